/**
 * Simulator benchmarks (issue 7): radio link evaluations per second (target ≥ 1 000 000 on one core),
 * memory per simulated hotspot beyond its keys (target ≤ 4 KB), and one demo epoch in fast mode through
 * the real oracle, next to the ed25519 sign + verify floor for the same number of reports measured in the
 * same run (target ≤ 1.5× the floor at 100 000 hotspots).
 *
 * The epoch run defaults to SIM_BENCH_HOTSPOTS = 500 hotspots so `npm run bench` stays short on a shared
 * machine; set SIM_BENCH_HOTSPOTS=10000 (or 100000) for the figures.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { row, rate, type BenchRow } from './lib.ts';
import { Medium, type Transmission } from '../hotspot-sim/src/core/medium/medium.ts';
import { resolveScenario } from '../hotspot-sim/src/core/scenario/load-scenario.ts';
import { materialize } from '../hotspot-sim/src/core/scenario/materialize.ts';
import { World } from '../hotspot-sim/src/core/world.ts';
import { runScenario } from '../hotspot-sim/src/index.ts';
import { launchInProcessOracle } from '../harness/src/in-process-oracle.ts';
import { createRng } from '@hexium/shared/random/rng';

const SUITE = 'sim';

function linkRate(): number {
  const rng = createRng(1);
  const gws = Array.from({ length: 1000 }, () => {
    const x = rng.next() * 20_000;
    const y = rng.next() * 20_000;
    return { lat: 52.5 + y / 111_000, lng: 13.4 + x / 67_800, x, y, elevationM: 3 + rng.next() * 20, gainDbi: 3 };
  });
  const m = new Medium({ preset: 'urban', seed: 7, fadingSigmaDb: 1, noiseFigureDb: 6, demodulators: 8, maxEirpDbm: 16, maxGainDbi: 3, freqHz: 868_100_000 }, gws);
  const txs: Transmission[] = Array.from({ length: 64 }, (_, i) => ({
    id: i, sourceId: 5000 + i, lat: 52.55, lng: 13.5, x: rng.next() * 20_000, y: rng.next() * 20_000, elevationM: 10, eirpDbm: 16,
    freqHz: 868_100_000, sf: 12, bandwidthHz: 125_000, startMs: 0, endMs: 1, data: null,
  }));
  let sink = 0;
  const r = rate((i) => {
    sink += m.prxDbm(txs[i & 63], (i * 7919) % 1000).prxDbm;
  });
  if (sink === 42) console.log('');
  return r;
}

function memoryPerHotspot(n: number): number {
  const scenario = resolveScenario({ name: 'mem', seed: 3, area: { preset: 'greater-berlin' }, duration: { epochs: 1 }, hotspots: { count: n } });
  const net = materialize(scenario); // keys included before the baseline
  // a collectable heap for the measurement, with or without --expose-gc
  setFlagsFromString('--expose-gc');
  const gc = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const sched = { now: () => 0, at: () => undefined };
  const port = { publish: () => undefined, connect: () => undefined, disconnect: () => undefined };
  const world = new World(scenario, net, sched, port, () => undefined);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  if (world.firmware.length !== n) throw new Error('world size');
  return (after - before) / n;
}

function signVerifyFloorMs(reports: number): number {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const msg = Buffer.from(JSON.stringify({ v: 1, hotspot: '1'.repeat(51), dataHex: 'ab'.repeat(51), rssiDbm: -110, snrDb: 2.5, frequencyHz: 868100000, dataRate: 'SF12BW125', tmst: 1, timestampMs: 1 }));
  const n = Math.min(reports, 20_000);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) verify(null, msg, publicKey, sign(null, msg, privateKey));
  return ((performance.now() - t0) / n) * reports;
}

export default async function simBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const links = linkRate();
  rows.push(row(SUITE, 'radio link evaluations (urban, shadowing + fading)', links, 'links/s', { target: '≥ 1000000 links/s', pass: (r) => r.value >= 1_000_000 }));
  const mem = memoryPerHotspot(5000);
  rows.push(row(SUITE, 'memory per simulated hotspot beyond its keys (5000 hotspots)', mem, 'bytes', { target: '≤ 4096 bytes', pass: (r) => r.value <= 4096 }));
  const n = Number(process.env.SIM_BENCH_HOTSPOTS ?? 500);
  const t0 = performance.now();
  const res = await runScenario(
    { name: `bench-${n}`, seed: 1, params: 'demo', area: { preset: n > 20_000 ? 'california-bay-area' : 'greater-berlin' }, duration: { epochs: 1 }, propagation: { preset: 'urban-dense' }, hotspots: { count: n, statsIntervalS: 0 } },
    { mode: 'fast', launchOracle: launchInProcessOracle },
  );
  const wallMs = performance.now() - t0;
  const simMs = res.timings.runMs;
  const reports = res.summary.sim.beaconReports + res.summary.witnesses;
  const floorMs = signVerifyFloorMs(reports);
  rows.push(row(SUITE, `  of which oracle start + onboarding + connect (${n} hotspots)`, res.timings.setupMs, 'ms'));
  rows.push(row(SUITE, `  whole command wall time (${n} hotspots, incl. key derivation)`, wallMs, 'ms'));
  rows.push(
    row(SUITE, `one demo epoch, ${n} hotspots, fast mode through the oracle (${reports} reports, ${res.summary.manifestHashes.length} manifest)`, simMs, 'ms', {
      baseline: { name: `ed25519 sign + verify × ${reports}`, value: floorMs },
      target: n >= 100_000 ? 'ratio ≤ 1.5' : 'ratio ≤ 1.5 at 100k (informative here)',
      pass: n >= 100_000 ? (r) => (r.ratio ?? Infinity) <= 1.5 : undefined,
    }),
  );
  return rows;
}
