/**
 * The whole pipeline (issue 9 "Benchmarks"): simulator → MQTT → ingest → verifier → rewarder for one
 * epoch of 10,000 hotspots in fast mode (virtual time, the real oracle in process, real MQTT over
 * loopback), as wall time and reports per second — next to the machine's ed25519 floor measured in the
 * same run: signing (simulator) plus verifying (oracle) every report the run produced, on one core.
 * The pipeline cannot beat that floor on one core; the oracle verifies in a pool of 2 workers. Issue 12
 * sets its target against the floor on both cores: the same sign + verify loop in two worker threads at
 * once (a third row; on a loaded machine the two threads get less than two cores, as the run did).
 * HEXIUM_BENCH_PIPELINE_HOTSPOTS overrides the size (e.g. 500 for a quick look).
 */
import { createHash, sign, verify } from 'node:crypto';
import { keyPairFromSeed, publicKeyObject, signingBytes } from '@hexium/shared/identity/index';
import { runScenario } from '../hotspot-sim/src/index.ts';
import { launchInProcessOracle } from '../harness/src/in-process-oracle.ts';
import { median, row, twoThreadRate, type BenchRow } from './lib.ts';

const SUITE = 'pipeline';
const HOTSPOTS = Number(process.env.HEXIUM_BENCH_PIPELINE_HOTSPOTS ?? 10_000);

/** Sign + verify one witness-sized report per call, as a rate (reports/s) on this core. */
function signVerifyRate(): number {
  const key = keyPairFromSeed(createHash('sha256').update('bench-pipeline').digest());
  const pub = publicKeyObject(key.address);
  const msg = {
    v: 1, hotspot: key.address, dataHex: 'ab'.repeat(51), rssiDbm: -101.5, snrDb: 3.25, frequencyHz: 867_100_000, dataRate: 'SF12BW125', tmst: 123456, timestampMs: 1_767_225_600_000,
  };
  const measure = () => {
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      msg.tmst = i; // a different message each time, as in the run
      const bytes = signingBytes(msg);
      const sig = sign(null, bytes, key.privateKeyObject);
      if (!verify(null, bytes, pub, sig)) throw new Error('verify failed');
    }
    return (n / (performance.now() - t0)) * 1000;
  };
  measure(); // warm-up
  return median([measure(), measure(), measure()]);
}

// One thread of the two-core floor: sign + verify the given signing bytes `reps` times over, reply with the time.
const floorThreadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { sign, verify } = require('node:crypto');
const { messages, privateKey, publicKey, reps } = workerData;
const t0 = performance.now();
for (let r = 0; r < reps; r++) {
  for (const m of messages) {
    const sig = sign(null, m, privateKey);
    if (!verify(null, m, publicKey, sig)) throw new Error('verify failed');
  }
}
parentPort.postMessage(performance.now() - t0);
`;

/** Sign + verify witness-sized reports in two threads at once, as a rate (reports/s) on two cores. */
export async function signVerifyRateTwoCores(): Promise<number> {
  const key = keyPairFromSeed(createHash('sha256').update('bench-pipeline').digest());
  const messages = Array.from({ length: 2000 }, (_, i) =>
    signingBytes({ v: 1, hotspot: key.address, dataHex: 'ab'.repeat(51), rssiDbm: -101.5, snrDb: 3.25, frequencyHz: 867_100_000, dataRate: 'SF12BW125', tmst: i, timestampMs: 1_767_225_600_000 }),
  );
  const workerData = { messages, privateKey: key.privateKeyObject, publicKey: publicKeyObject(key.address) };
  return twoThreadRate(floorThreadSource, workerData, messages.length, 2);
}

export default async function pipeline(): Promise<BenchRow[]> {
  const scenario = {
    name: `pipeline ${HOTSPOTS}`,
    seed: 9,
    params: 'demo',
    area: { preset: HOTSPOTS > 20_000 ? 'california-bay-area' : 'greater-berlin' },
    duration: { epochs: 1 },
    hotspots: { count: HOTSPOTS, statsIntervalS: 0 },
  };
  const t0 = performance.now();
  const r = await runScenario(scenario, { mode: 'fast', launchOracle: launchInProcessOracle });
  const wallS = (performance.now() - t0) / 1000;
  const s = r.summary;
  const reports = s.sim.beaconReports + s.sim.witnesses;
  const floorRate = signVerifyRate();
  const floorS = reports / floorRate;
  const floorRate2 = await signVerifyRateTwoCores();
  const label = `${HOTSPOTS.toLocaleString('en-US')} hotspots, 1 demo epoch, fast mode`;
  return [
    row(SUITE, `${label}: wall time (${reports.toLocaleString('en-US')} reports, ${s.rounds} rounds, ${s.epochs} manifest)`, wallS, 's', {
      baseline: { name: 'ed25519 sign+verify of every report, 1 core', value: floorS },
    }),
    row(SUITE, `${label}: wall time ÷ ed25519 floor on 2 cores`, wallS, 's', {
      baseline: { name: 'ed25519 sign+verify of every report, 2 threads at once', value: reports / floorRate2 },
      target: 'ratio ≤ 2', // issue 12 targets table (stretch 1.5)
      pass: ({ ratio }) => (ratio ?? Infinity) <= 2,
    }),
    row(SUITE, `${label}: reports per second`, reports / wallS, 'reports/s', { baseline: { name: 'ed25519 sign+verify rate, 1 core', value: floorRate } }),
  ];
}
