import { describe, it, expect } from 'vitest';
import { latLngToCell } from 'h3-js';
import { KEEP_AFTER_VERDICT_MS, KEEP_OPEN_MS, LIVE_MAX_LINES, LIVE_MAX_ROUNDS, LiveRounds } from './live-rounds.ts';
import type { PocResult } from '../api/types.ts';

const KEY = 'ab'.repeat(51);
const beacon = { beaconer: 'B', key: KEY, receivedAtMs: 1000, frequencyHz: 867_100_000, dataRate: 'SF9BW125', lat: 52.5, lng: 13.4 };
const witness = (w: string, lng: number) => ({ witness: w, key: KEY, receivedAtMs: 1100, rssiDbm: -90, snrDb: 3, lat: 52.6, lng });

function result(over: Partial<PocResult> = {}): PocResult {
  const w = (hotspot: string, status: 'valid' | 'invalid', reason: string | null) =>
    ({
      hotspot, receivedAtMs: 1100, status, reason, selected: status === 'valid', location: latLngToCell(52.6, 13.5, 12), hexScale: '1', rewardUnit: '1', rssiDbm: -90, snrDb: 3, distanceM: 11_000,
    }) as PocResult['witnesses'][number];
  return {
    v: 1, pocId: 'p1', dataHex: '00'.repeat(51), beaconer: 'B', receivedAtMs: 1000, verifiedAtMs: 5000,
    beacon: { status: 'valid', reason: null, location: latLngToCell(52.5, 13.4, 12), hexScale: '1', rewardUnit: '1', frequencyHz: 867_100_000, dataRate: 'SF9BW125', txPowerDbm: 16 },
    witnesses: [w('W1', 'valid', null), w('W2', 'invalid', 'max_distance_exceeded')],
    ...over,
  };
}

describe('LiveRounds', () => {
  it('draws a pulse point at the beaconer and a line per witness as they arrive', () => {
    const live = new LiveRounds();
    live.beacon(beacon, 0);
    expect(live.features()).toHaveLength(1);
    live.witness(witness('W1', 13.5), 10);
    live.witness(witness('W2', 13.6), 20);
    const f = live.features();
    expect(f.map((x) => x.geometry.type)).toEqual(['Point', 'LineString', 'LineString']);
    expect(f[1].geometry.coordinates).toEqual([[13.4, 52.5], [13.5, 52.6]]);
    expect(f.every((x) => x.properties.status === 'pending')).toBe(true);
  });

  it('links a witness that arrives before its beacon by the payload key', () => {
    const live = new LiveRounds();
    live.witness(witness('W1', 13.5), 0);
    expect(live.features()).toHaveLength(0); // no beaconer yet
    live.beacon(beacon, 5);
    expect(live.features()).toHaveLength(2);
  });

  it('colours the round with the verdict, each witness with its own status and reason', () => {
    const live = new LiveRounds();
    live.beacon(beacon, 0);
    live.witness(witness('W1', 13.5), 10);
    live.witness(witness('W2', 13.6), 20);
    live.poc(result(), 100);
    const byWitness = Object.fromEntries(live.features().filter((f) => f.properties.kind === 'witness').map((f) => [(f.properties as { witness: string }).witness, f.properties]));
    expect(byWitness.W1.status).toBe('valid');
    expect(byWitness.W2.status).toBe('invalid');
    expect(byWitness.W2.reason).toBe('max_distance_exceeded');
    expect(live.features()[0].properties.status).toBe('valid');
    expect(live.rounds.size).toBe(1);
  });

  it('opens a round from a verdict alone, placing it by the H3 locations', () => {
    const live = new LiveRounds();
    live.poc(result(), 0);
    const f = live.features();
    expect(f).toHaveLength(3);
    const [lng, lat] = f[0].geometry.coordinates as [number, number];
    expect(lng).toBeCloseTo(13.4, 3); // res-12 cell centre is within ≈ 10 m (≈ 0.0002°)
    expect(lat).toBeCloseTo(52.5, 3);
  });

  it('forgets a round KEEP_AFTER_VERDICT_MS after its verdict', () => {
    const live = new LiveRounds();
    live.beacon(beacon, 0);
    live.poc(result(), 1000);
    expect(live.prune(1000 + KEEP_AFTER_VERDICT_MS)).toBe(false);
    expect(live.prune(1001 + KEEP_AFTER_VERDICT_MS)).toBe(true);
    expect(live.rounds.size).toBe(0);
  });

  it('draws only the newest LIVE_MAX_ROUNDS rounds, oldest of them first', () => {
    const live = new LiveRounds();
    const keys = Array.from({ length: 8 }, (_, i) => String(i).repeat(102).slice(0, 102));
    keys.forEach((key, i) => live.beacon({ ...beacon, key }, i * 100));
    expect(LIVE_MAX_ROUNDS).toBe(5); // issue 16: "at most a few at once (e.g. ≤ 5 rounds)"
    const drawn = live.features().map((f) => f.properties.key);
    expect(drawn).toEqual(keys.slice(3)); // rounds opened at 300 … 700 ms
  });

  it('draws only rounds whose beaconer is in view, still at most LIVE_MAX_ROUNDS', () => {
    const live = new LiveRounds();
    for (let i = 0; i < 7; i++) live.beacon({ ...beacon, key: `k${i}`, lng: i < 4 ? 13.4 : 20 }, i);
    const inView = ([lng]: [number, number]) => lng < 15;
    expect(live.features({ inView }).map((f) => f.properties.key)).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('fades a round linearly over KEEP_AFTER_VERDICT_MS after its verdict', () => {
    const live = new LiveRounds();
    live.beacon(beacon, 0);
    live.poc(result(), 1000);
    const fadeAt = (nowMs: number) => live.features({ nowMs })[0].properties.fade;
    expect(fadeAt(1000)).toBe(1);
    expect(fadeAt(1000 + KEEP_AFTER_VERDICT_MS / 2)).toBe(0.5);
    expect(fadeAt(1000 + KEEP_AFTER_VERDICT_MS)).toBe(0);
    expect(live.fading(1000)).toBe(false);
    expect(live.fading(1001)).toBe(true);
    // Without a clock (reduced motion) a round is drawn at full strength until it is pruned.
    expect(live.features()[0].properties.fade).toBe(1);
  });

  it('fades a round that never gets a verdict before KEEP_OPEN_MS', () => {
    const live = new LiveRounds();
    live.beacon(beacon, 0);
    expect(live.features({ nowMs: KEEP_OPEN_MS - KEEP_AFTER_VERDICT_MS })[0].properties.fade).toBe(1);
    expect(live.features({ nowMs: KEEP_OPEN_MS - KEEP_AFTER_VERDICT_MS / 4 })[0].properties.fade).toBe(0.25);
  });

  it('draws lines to the LIVE_MAX_LINES nearest witnesses of a round only', () => {
    const live = new LiveRounds();
    live.beacon(beacon, 0);
    // 14 witnesses due east of the beaconer (13.4° E, 52.5° N), 0.01° apart; W13 nearest, W0 farthest.
    for (let i = 0; i < 14; i++) live.witness({ ...witness(`W${String(i).padStart(2, '0')}`, 13.4 + (14 - i) * 0.01), lat: 52.5 }, i);
    expect(LIVE_MAX_LINES).toBe(10);
    const lines = live.features().filter((f) => f.properties.kind === 'witness').map((f) => (f.properties as { witness: string }).witness);
    expect(lines).toEqual(['W13', 'W12', 'W11', 'W10', 'W09', 'W08', 'W07', 'W06', 'W05', 'W04']);
    expect(live.features({ maxLines: 2 }).filter((f) => f.properties.kind === 'witness')).toHaveLength(2);
  });
});

