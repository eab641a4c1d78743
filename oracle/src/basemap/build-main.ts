/**
 * The basemap build as a process of its own: `node --import tsx build-main.ts --source FILE --dir DIR`.
 * Started by the oracle (basemap-service.ts) so the build's memory is returned when it exits. While another
 * live process holds the build lock it waits for that build, then checks the result. Exit 0: the cache is
 * there; 1: it is not (the error on stderr).
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildBasemap } from './build-basemap.ts';
import { readSourceInfo } from './basemap-cache.ts';

const WAIT_POLL_MS = 1000;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { source: { type: 'string' }, dir: { type: 'string' } }, strict: true });
  if (!values.source || !values.dir) {
    process.stderr.write('usage: build-main.ts --source FILE --dir DIR\n');
    return 2;
  }
  const source = readSourceInfo(values.source);
  // The oracle that started this process is gone: stop (the build lock and temporary files are cleaned by the next build).
  process.on('disconnect', () => process.exit(1));
  for (;;) {
    const { outcome } = buildBasemap(values.dir, source, (line) => process.stdout.write(`${line}\n`));
    if (outcome !== 'busy') return 0;
    await sleep(WAIT_POLL_MS);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`basemap build failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
