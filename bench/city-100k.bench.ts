/**
 * `city-100k` (issue 12 targets): the checked-in hotspot-sim/scenarios/city-100k.json — 100,000 hotspots,
 * one demo epoch — in fast mode (virtual time, the real oracle in process, real MQTT over loopback), as
 * wall time ÷ the ed25519 sign + verify floor of its reports on 2 cores (target ≤ 3), reports per second
 * and the process's peak RSS (target ≤ 16 GiB). It takes tens of minutes, so it runs only when named:
 * `npm run bench city-100k`, or with HEXIUM_BENCH_CITY_100K=1 (see `optIn` and bench/index.ts).
 * Progress (share of simulated time, wall time, RSS, heap) goes to stderr every 30 s of wall time.
 */
import { readFileSync } from 'node:fs';
import { runScenario } from '../hotspot-sim/src/index.ts';
import { launchInProcessOracle } from '../harness/src/in-process-oracle.ts';
import { signVerifyRateTwoCores } from './pipeline.bench.ts';
import { row, type BenchRow } from './lib.ts';

const SUITE = 'city-100k';
const FILE = new URL('../hotspot-sim/scenarios/city-100k.json', import.meta.url);
/** Issue 12 targets table: "finishes, ≤ 3× its floor, peak RSS ≤ 16 GiB". */
const TARGET_RATIO = 3;
const TARGET_RSS_GIB = 16;

/** Runs only when named on the command line or when this variable is 1 (bench/index.ts). */
export const optIn = { env: 'HEXIUM_BENCH_CITY_100K' };

const GIB = 1024 ** 3;
const gib = (bytes: number) => (bytes / GIB).toFixed(2);

export default async function city100k(): Promise<BenchRow[]> {
  const scenario: unknown = JSON.parse(readFileSync(FILE, 'utf8'));
  const t0 = performance.now();
  const minutes = () => ((performance.now() - t0) / 60_000).toFixed(1);
  const memory = () => {
    const m = process.memoryUsage();
    return `RSS ${gib(m.rss)} GiB (peak ${gib(process.resourceUsage().maxRSS * 1024)}), heap ${gib(m.heapUsed)} GiB, external ${gib(m.external)} GiB`;
  };
  // reports published so far, from the event log (one `beacon-report` or `witness` line per report)
  let reportsSoFar = 0;
  const onLog = (line: string) => {
    if (line.includes('"ev":"witness"') || line.includes('"ev":"beacon-report"')) reportsSoFar++;
    else if (line.includes('"ev":"start"')) process.stderr.write(`${SUITE}: setup done (network built, oracle started, hotspots onboarded) at ${minutes()} min wall, ${memory()}\n`);
  };
  let lastReport = -Infinity;
  const onProgress = (fraction: number, simNowMs: number) => {
    const now = performance.now();
    if (now - lastReport < 30_000 && fraction < 1) return;
    lastReport = now;
    process.stderr.write(
      `${SUITE}: ${(fraction * 100).toFixed(1)} % of simulated time (${new Date(simNowMs).toISOString()}), ${minutes()} min wall, ${reportsSoFar} reports, ${memory()}\n`,
    );
  };
  const r = await runScenario(scenario, { mode: 'fast', launchOracle: launchInProcessOracle, onLog, onProgress });
  const wallS = (performance.now() - t0) / 1000;
  // maxRSS is in kilobytes (getrusage ru_maxrss on Linux; Node docs `process.resourceUsage()`)
  const peakRssGib = (process.resourceUsage().maxRSS * 1024) / GIB;
  const s = r.summary;
  const reports = s.sim.beaconReports + s.sim.witnesses;
  const floorRate2 = await signVerifyRateTwoCores();
  const floorS = reports / floorRate2;
  const label = `city-100k.json (${r.network.hotspots.length.toLocaleString('en-US')} hotspots, 1 demo epoch, fast mode)`;
  process.stderr.write(
    `${SUITE}: done — wall ${wallS.toFixed(1)} s (setup ${(r.timings.setupMs / 1000).toFixed(1)} s, run ${(r.timings.runMs / 1000).toFixed(1)} s), ` +
      `${reports} reports (${s.sim.beaconReports} beacon reports, ${s.sim.witnesses} witnesses), ${s.rounds} rounds, ${s.epochs} manifest(s), ` +
      `floor ${floorS.toFixed(1)} s at ${floorRate2.toFixed(0)} reports/s, ratio ${(wallS / floorS).toFixed(2)}, peak RSS ${peakRssGib.toFixed(2)} GiB\n`,
  );
  return [
    row(SUITE, `${label}: wall time ÷ ed25519 floor on 2 cores (${reports.toLocaleString('en-US')} reports, ${s.rounds} rounds, ${s.epochs} manifest)`, wallS, 's', {
      baseline: { name: 'ed25519 sign+verify of every report, 2 threads at once', value: floorS },
      target: `ratio ≤ ${TARGET_RATIO}`,
      pass: ({ ratio }) => (ratio ?? Infinity) <= TARGET_RATIO,
    }),
    row(SUITE, `${label}: setup (oracle start, onboarding, connect)`, r.timings.setupMs / 1000, 's'),
    row(SUITE, `${label}: reports per second`, reports / wallS, 'reports/s', { baseline: { name: 'ed25519 sign+verify rate, 2 threads at once', value: floorRate2 } }),
    row(SUITE, `${label}: peak RSS`, peakRssGib, 'GiB', { target: `≤ ${TARGET_RSS_GIB} GiB`, pass: ({ value }) => value <= TARGET_RSS_GIB }),
  ];
}
