/**
 * The harness's own logic on a hand-made run (no simulator): matchers, per-group observation from PoC
 * results, honest = totals − adversaries when only a summary exists, hex-scale counts, relations and
 * the adversary detection verdicts of the report.
 */
import { describe, it, expect } from 'vitest';
import { parseMatcher } from './matchers.ts';
import { observe, type RunLike } from './observe.ts';
import { compare } from './compare.ts';
import { parseHarnessScenario } from './scenario-file.ts';
import { runHarnessScenario } from './run-harness.ts';
import { adversaryDetection, markdownReport } from './report.ts';
import type { PocResult } from '@hexium/shared/protocol/index';

const A = 'honestA', B = 'honestB', S = 'spoofer1';
const verdict = (hotspot: string, status: 'valid' | 'invalid', reason: string | null, hexScale: string, atMs: number) =>
  ({ hotspot, receivedAtMs: atMs, status, reason, selected: status === 'valid', location: null, hexScale, rewardUnit: '1', rssiDbm: -100, snrDb: 1, distanceM: 1000 });
const round = (pocId: string, beaconer: string, status: 'valid' | 'invalid', reason: string | null, hexScale: string, atMs: number, witnesses: ReturnType<typeof verdict>[]) =>
  ({ v: 1 as const, pocId, dataHex: '00'.repeat(51), beaconer, receivedAtMs: atMs, verifiedAtMs: atMs + 1, beacon: { status, reason, location: null, hexScale, rewardUnit: '1', frequencyHz: 868_100_000, dataRate: 'SF12BW125', txPowerDbm: 14 }, witnesses });

// Two honest hotspots and one spoofer; three rounds (times in ms).
const run: RunLike = {
  summary: {
    epochs: 1, rounds: 3, beacons: 3, witnesses: 4, validWitnesses: 2, validBeacons: 2,
    invalidByReason: { max_distance_exceeded: 2 }, invalidBeaconsByReason: { gateway_no_valid_witnesses: 1 },
    uplinks: 0, uplinksDelivered: 0, dcSpent: 0, manifestHashes: ['h1'],
    adversaries: { 'location-spoofer': { hotspots: [S], beacons: { valid: 0, invalid: 1, reasons: { gateway_no_valid_witnesses: 1 } }, witnesses: { valid: 0, invalid: 1, reasons: { max_distance_exceeded: 1 } } } },
  },
  rewards: [
    { hotspot: A, group: 'honest', beaconAmount: '10', witnessAmount: '30', dcTransferAmount: '0', total: '40' },
    { hotspot: B, group: 'honest', beaconAmount: '20', witnessAmount: '0', dcTransferAmount: '0', total: '20' },
  ],
  network: { hotspots: [A, B, S].map((a) => ({ key: { address: a, name: a }, role: { kind: a === S ? 'location-spoofer' : 'honest' } })) },
  rounds: [
    round('r1', A, 'valid', null, '0.5', 1000, [verdict(B, 'valid', null, '1', 1100), verdict(S, 'invalid', 'max_distance_exceeded', '0', 1200)]),
    round('r2', B, 'valid', null, '1', 2000, [verdict(A, 'valid', null, '0.25', 2100)]),
    round('r3', S, 'invalid', 'gateway_no_valid_witnesses', '0', 3000, [verdict(A, 'invalid', 'max_distance_exceeded', '0', 3100)]),
  ] as unknown as PocResult[],
};

describe('matchers', () => {
  it('reads numbers as exact, operators and closed ranges', () => {
    expect(parseMatcher(3).test(3)).toBe(true);
    expect(parseMatcher(3).test(4)).toBe(false);
    expect(parseMatcher('>= 2').test(2)).toBe(true);
    expect(parseMatcher('> 2').test(2)).toBe(false);
    expect(parseMatcher('1..5').test(5)).toBe(true);
    expect(parseMatcher('1..5').test(5.5)).toBe(false);
    expect(() => parseMatcher('about 3')).toThrow(/not a matcher/);
  });
});

describe('observe + compare', () => {
  it('tallies verdicts per group from the PoC results', () => {
    const o = observe(run);
    expect(o.source).toBe('rounds');
    expect(o.groups.honest.beacons).toEqual({ total: 2, valid: 2, invalid: 0, reasons: {} });
    // A: 1 valid (r2) + 1 invalid (r3); B: 1 valid (r1)
    expect(o.groups.honest.witnesses).toEqual({ total: 3, valid: 2, invalid: 1, reasons: { max_distance_exceeded: 1 } });
    // spoofer: 1 invalid beacon + 1 invalid witness → 2 of 2 rejected
    expect(o.groups['location-spoofer'].detectionRate).toBe(1);
    // latest valid beacon: A in r1 (0.5), B in r2 (1); witness verdicts' scales are not used
    expect(o.groups.honest.finalHexScaleCounts).toEqual({ '0.5': 1, '1': 1 });
    expect(o.groups.honest.rewards.total).toEqual({ sum: 60, min: 20, max: 40, mean: 30 });
  });

  it('derives honest = totals − adversaries when the run gives only its summary', () => {
    const o = observe({ ...run, rounds: undefined });
    expect(o.source).toBe('summary');
    // 2 valid beacons − 0 adversary; invalid 1 − 1 adversary = 0
    expect(o.groups.honest.beacons).toEqual({ total: 2, valid: 2, invalid: 0, reasons: {} });
    // witnesses: valid 2 − 0; invalid 2 − 1 = 1; max_distance_exceeded 2 − 1 = 1
    expect(o.groups.honest.witnesses).toEqual({ total: 3, valid: 2, invalid: 1, reasons: { max_distance_exceeded: 1 } });
    expect(o.groups.honest.finalHexScaleCounts).toBeNull();
  });

  it('passes matching expectations and names each mismatch', () => {
    const checks = compare(
      {
        epochs: 1,
        invalidWitnessReasons: { max_distance_exceeded: 2 },
        groups: {
          'location-spoofer': { witnesses: { valid: 0, onlyReasons: ['max_distance_exceeded'] }, rewards: { total: 0 }, detectionRate: 1 },
          honest: { hexScale: { finalCounts: { '0.5': 1, '1': 1 }, allowed: ['0.5', '1'] }, rewards: { earning: 2 } },
        },
        relations: ['honest.rewards.total.min > location-spoofer.rewards.total.max', 'honest.witnesses.invalid == 0'],
      },
      observe(run),
    );
    expect(checks.filter((c) => !c.ok).map((c) => c.what)).toEqual(['honest.witnesses.invalid == 0']);
    expect(checks.find((c) => c.what === 'honest.witnesses.invalid == 0')!.actual).toBe('1 == 0');
  });
});

describe('runHarnessScenario and the report', () => {
  const file = JSON.stringify({
    name: 'unit', description: 'hand-made run', notCaught: 'nothing', scenario: { seed: 7 },
    expect: { epochs: 1, deterministic: true, groups: { 'location-spoofer': { rewards: { total: 0 } } } },
  });

  it('runs twice when deterministic and compares manifest hashes', async () => {
    let calls = 0;
    const out = await runHarnessScenario('unit.json', file, { run: async () => (calls++, run) });
    expect(calls).toBe(2);
    expect(out.ok).toBe(true);
    expect(out.determinism).toEqual({ runs: [['h1'], ['h1']], identical: true });
  });

  it('fails when the second run writes different manifests', async () => {
    let calls = 0;
    const out = await runHarnessScenario('unit.json', file, { run: async () => ({ ...run, summary: { ...run.summary, manifestHashes: [calls++ === 0 ? 'h1' : 'h2'] } }) });
    expect(out.ok).toBe(false);
    expect(out.checks.at(-1)).toMatchObject({ ok: false, actual: 'h1 vs h2' });
  });

  it('states plainly which adversaries were caught and which were not', async () => {
    const out = await runHarnessScenario('unit.json', file, { run: async () => run });
    const det = adversaryDetection(out);
    expect(det).toEqual([expect.objectContaining({ group: 'location-spoofer', reports: 2, rejected: 2, detectionRate: 1, verdict: 'caught: all 2 reports rejected, no rewards' })]);
    const ring = { ...run, network: { hotspots: [A, B].map((a) => ({ key: { address: a, name: a }, role: { kind: a === A ? 'colluding-ring' : 'honest' } })) } };
    const out2 = await runHarnessScenario('unit.json', JSON.stringify({ ...JSON.parse(file), expect: { epochs: 1 } }), { run: async () => ring });
    // A as ring member: beacons 1 valid + 1 valid... r1 beacon valid, r2 witness valid, r3 witness invalid → 2 of 3 accepted; earned 40
    expect(adversaryDetection(out2)[0].verdict).toMatch(/^NOT caught: 2 of 3 reports accepted as valid; earned 40 bones/);
    expect(markdownReport([out2])).toContain('What Helium\'s rules do not catch here:** nothing');
  });

  it('reports a bad file with the JSON path', () => {
    expect(() => parseHarnessScenario(JSON.stringify({ name: 'x', description: 'y', scenario: {}, expect: { groups: { honest: { witnesses: { reasons: { not_a_reason: 1 } } } } } }))).toThrow(/not_a_reason: unknown reason/);
  });
});
