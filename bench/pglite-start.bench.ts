/**
 * Opening a new embedded database: PGlite's own start of an empty cluster (initdb in WebAssembly, the
 * baseline) against `openPglite('memory://')`, which loads the dumped fresh cluster and reuses the compiled
 * WebAssembly (oracle/src/store/pglite-template.ts). Every in-memory oracle start (tests, the simulator's
 * fast mode) and the first `npm start` on a machine pay this once.
 */
import { PGlite } from '@electric-sql/pglite';
import { openPglite } from '../oracle/src/store/pglite-sql.ts';
import { freshClusterTarball } from '../oracle/src/store/pglite-template.ts';
import { median, row, type BenchRow } from './lib.ts';

async function timeMs(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export default async function pgliteStart(): Promise<BenchRow[]> {
  await freshClusterTarball(); // made (or read from the temporary directory) before timing
  const initdb: number[] = [];
  const loaded: number[] = [];
  // interleaved, so a change in the machine's load hits both sides alike
  for (let i = 0; i < 2; i++) {
    initdb.push(await timeMs(async () => (await PGlite.create()).close()));
    loaded.push(await timeMs(async () => (await openPglite('memory://')).close()));
  }
  const baseline = { name: 'PGlite.create() of an empty cluster (initdb), ms', value: median(initdb) };
  return [
    row('pglite-start', 'openPglite(memory://) from the dumped fresh cluster', median(loaded), 'ms', {
      baseline,
      target: 'ratio ≤ 0.5',
      pass: (r) => (r.ratio ?? Infinity) <= 0.5,
    }),
  ];
}
