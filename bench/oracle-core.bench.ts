/**
 * Oracle core: PoC rounds verified per second (pure checks, 14 witnesses a round), the HIP-17 density
 * map rebuilt for 100 000 hotspots, epoch rewards for 100 000 gateways — each next to a baseline
 * measured in the same run (issue 5 "Tests and benchmarks"; targets on one core).
 */
import { cellToLatLng, cellToParent, greatCircleDistance, gridDistance, latLngToCell } from 'h3-js';
import { createRng } from '@hexium/shared/random/rng';
import { HELIUM_PARAMS } from '@hexium/shared/params/index';
import { Dec } from '../oracle/src/poc/decimal.ts';
import { verifyPoc, buildDensityMap, type GatewayInfo, type PocInput } from '../oracle/src/poc/index.ts';
import { computeEpochRewards, type GatewayShares } from '../oracle/src/rewards/index.ts';
import { buildBeacon } from '@hexium/shared/poc/beacon';
import { clearDistanceMemo } from '../oracle/src/poc/cell-distance.ts';
import { clearDensityMemo } from '../oracle/src/poc/density-map.ts';
import { hexToBytes } from '../oracle/src/poc/hex.ts';
import { cellAt, gatewayInfo, makeBeacon, makeContext, makeWitness, testAddress } from '../oracle/src/poc/test-fixtures.ts';
import { median, rate, row, type BenchRow } from './lib.ts';

const SUITE = 'oracle-core';

function time(fn: () => unknown, reps = 3): number {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

function pocRounds(): BenchRow[] {
  // 32 beaconers, each with 14 distinct witnesses on a 3 km ring: every witness passes every check.
  const rounds: { input: PocInput; ctx: ReturnType<typeof makeContext>; pairs: [string, string][] }[] = [];
  for (let r = 0; r < 32; r++) {
    const lat = 48 + r * 0.1;
    const beaconer = gatewayInfo(testAddress(1 + r), cellAt(lat, 5));
    const ring: GatewayInfo[] = Array.from({ length: 14 }, (_, i) => {
      const a = (i / 14) * 2 * Math.PI;
      return gatewayInfo(testAddress(100 + ((r * 14 + i) % 150)), cellAt(lat, 5, 3000 * Math.cos(a), 3000 * Math.sin(a)));
    });
    const beacon = makeBeacon(beaconer);
    const witnesses = ring.map((g, i) => makeWitness(beacon, g.address, { receivedAtMs: beacon.receivedAtMs + 100 + i }));
    const pairs: [string, string][] = [beaconer, ...ring].map((g) => [beaconer.location!, g.location!]);
    rounds.push({ input: { beacon, witnesses }, ctx: makeContext([beaconer, ...ring]), pairs });
  }
  const check = verifyPoc(rounds[0].input, rounds[0].ctx);
  if (check.witnesses.filter((w) => w.selected).length !== 14) throw new Error('bench round is not fully valid');
  // Warm path: hotspots keep their assertions, so beaconer–witness pair distances are memoised.
  const perSecond = rate((i) => {
    const r = rounds[i % rounds.length];
    return verifyPoc(r.input, r.ctx);
  });
  // Baseline: the 15 h3 gridDistance + greatCircleDistance calls of one round alone.
  const baseline = rate((i) => {
    let s = 0;
    for (const [a, b] of rounds[i % rounds.length].pairs) {
      s += gridDistance(cellToParent(a, 11), cellToParent(b, 11));
      s += greatCircleDistance(cellToLatLng(a), cellToLatLng(b), 'm');
    }
    return s;
  });
  // The cold path: every pair's distances computed afresh (a network where no pair ever repeats).
  const cold = rate((i) => {
    clearDistanceMemo();
    const r = rounds[i % rounds.length];
    return verifyPoc(r.input, r.ctx);
  });
  // What the payload check costs: regenerating one beacon (shared/src/poc/beacon.ts).
  const b0 = rounds[0].input.beacon;
  const regen = rate(() =>
    buildBeacon({
      remote: { data: hexToBytes(b0.remoteEntropyHex), timestampS: 1_764_000_000, version: 0 },
      local: { data: hexToBytes(b0.localEntropyHex), timestampS: 0, version: 0 },
      regionParams: HELIUM_PARAMS.regions.EU868,
      gainDbi: 1.2,
    }),
  );
  return [
    row(SUITE, 'beacon regenerations (one per round)', regen, 'beacons/s'),
    row(SUITE, 'PoC rounds verified, cold distances', cold, 'rounds/s', {
      baseline: { name: '15 h3 gridDistance+greatCircleDistance', value: baseline },
    }),
    row(SUITE, 'PoC rounds verified (14 witnesses)', perSecond, 'rounds/s', {
      baseline: { name: '15 h3 gridDistance+greatCircleDistance', value: baseline },
      target: '≥ 20000 rounds/s',
      pass: ({ value }) => value >= 20_000,
    }),
  ];
}

/** 100 000 res-12 cells around 200 towns (normal spread of ~3 km), seeded. */
function hotspotCells(n: number): string[] {
  const rng = createRng('oracle-core-density');
  const towns = Array.from({ length: 200 }, () => [rng.normal(50, 4), rng.normal(5, 8)] as const);
  return Array.from({ length: n }, () => {
    const [lat, lng] = towns[rng.int(0, towns.length - 1)];
    return latLngToCell(lat + rng.normal(0, 0.03), lng + rng.normal(0, 0.045), 12);
  });
}

function densityRebuild(): BenchRow[] {
  const cells = hotspotCells(100_000);
  // A first build computes each location's H3 facts (validity, res-11 parent); rebuilds reuse them.
  const firstMs = time(() => {
    clearDensityMemo();
    return buildDensityMap(cells, HELIUM_PARAMS.hip17.resolutions);
  });
  const ms = time(() => buildDensityMap(cells, HELIUM_PARAMS.hip17.resolutions));
  const baselineMs = time(() => {
    let s = 0;
    for (const c of cells) for (let r = 11; r >= 4; r--) s += cellToParent(c, r).length;
    return s;
  });
  return [
    row(SUITE, 'density map first build, 100 000 hotspots', firstMs, 'ms', {
      baseline: { name: '100 000 cellToParent chains (res 11..4)', value: baselineMs },
    }),
    row(SUITE, 'density map rebuild, 100 000 hotspots', ms, 'ms', {
      baseline: { name: '100 000 cellToParent chains (res 11..4)', value: baselineMs },
      target: '≤ 1000 ms', // issue 12 targets table
      pass: ({ value }) => value <= 1000,
    }),
  ];
}

function epochRewards(): BenchRow[] {
  const rng = createRng('oracle-core-rewards');
  const gateways = new Map<string, GatewayShares>();
  for (let i = 0; i < 100_000; i++) {
    gateways.set(`gw${i}`, {
      beaconShares: (rng.int(0, 40_000) / 10_000).toString(),
      witnessShares: (rng.int(0, 400_000) / 10_000).toString(),
      dcShares: String(rng.int(0, 5_000)),
    });
  }
  const input = { epochEmissionsBones: 205_479_452_054n, hntPrice: 359_000_000, hntPriceDecimals: 8, gateways };
  const ms = time(() => computeEpochRewards(input, HELIUM_PARAMS));
  const values = [...gateways.values()].map((g) => g.witnessShares as string);
  const baselineMs = time(() => values.reduce((acc, v) => acc.plus(v), new Dec(0)));
  return [
    row(SUITE, 'epoch rewards, 100 000 gateways', ms, 'ms', {
      baseline: { name: 'summing 100 000 Decimal values', value: baselineMs },
      target: '≤ 1000 ms',
      pass: ({ value }) => value <= 1000,
    }),
  ];
}

export default async function oracleCore(): Promise<BenchRow[]> {
  return [...pocRounds(), ...densityRebuild(), ...epochRewards()];
}
