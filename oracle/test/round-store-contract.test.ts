/**
 * The round store's contract (oracle/src/store/round-store.ts), on PGlite and — with TEST_DATABASE_URL —
 * PostgreSQL: a round stored once with its participants and shares, newest-first listing with its
 * filters, a hotspot's recent rounds, the network counts; the shares it writes are what the epoch store
 * sums per epoch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PocResult } from '@hexium/shared/protocol/index';
import type { Sql } from '../src/store/sql.ts';
import { createRoundStore, type RoundRecord } from '../src/store/round-store.ts';
import { sumPocShares } from '../src/store/epoch-store.ts';
import { contractStores } from './helpers/contract-stores.ts';

const T = 1_764_000_000_000;
const rounds = createRoundStore();

function witness(hotspot: string, status: 'valid' | 'invalid', receivedAtMs: number): PocResult['witnesses'][number] {
  return {
    hotspot, receivedAtMs, status, reason: status === 'valid' ? null : 'witness_too_far', selected: status === 'valid', location: null, hexScale: '1', rewardUnit: '1',
    rssiDbm: -100, snrDb: 5, distanceM: 1000,
  } as PocResult['witnesses'][number];
}

function round(pocId: string, beaconer: string, receivedAtMs: number, witnesses: PocResult['witnesses'], status: 'valid' | 'invalid' = 'valid'): PocResult {
  return {
    v: 1, pocId, dataHex: 'ab'.repeat(51), beaconer, receivedAtMs, verifiedAtMs: receivedAtMs + 180_000,
    beacon: { status, reason: status === 'valid' ? null : 'beacon_too_soon', location: null, hexScale: '1', rewardUnit: '1', frequencyHz: 867_100_000, dataRate: 'SF12BW125', txPowerDbm: 27 },
    witnesses,
  } as PocResult;
}

describe.each(contractStores('round_store'))('round store ($name)', ({ open }) => {
  let sql: Sql;
  let cleanup: () => Promise<void>;
  // r1 (a beacons, b valid, c invalid) at T+1000; r2 (b beacons, a valid) at T+2000; r3 (c beacons, invalid) at T+2000
  const r1 = round('r1', 'a', T + 1000, [witness('b', 'valid', T + 1100), witness('c', 'invalid', T + 1200)]);
  const r2 = round('r2', 'b', T + 2000, [witness('a', 'valid', T + 2100)]);
  const r3 = round('r3', 'c', T + 2000, [], 'invalid');
  const records: RoundRecord[] = [
    { result: r1, shares: { beacon: { hotspot: 'a', share: '0.5' }, witnesses: [{ hotspot: 'b', share: '0.25' }] } },
    { result: r2, shares: { beacon: { hotspot: 'b', share: '1' }, witnesses: [{ hotspot: 'a', share: '0.125' }] } },
    { result: r3 },
  ];
  beforeAll(async () => {
    ({ sql, cleanup } = await open());
  });
  afterAll(async () => {
    await sql?.close();
    await cleanup?.();
  });

  it('stores each round once; a round stored before is skipped with its shares', async () => {
    expect(await rounds.insertRounds(sql, [])).toEqual(new Set());
    expect(await rounds.insertRounds(sql, records.slice(0, 2))).toEqual(new Set(['r1', 'r2']));
    // r1 again with other shares (the same beacon read twice after a restart): nothing of it is stored
    const again = { result: r1, shares: { beacon: { hotspot: 'a', share: '9' }, witnesses: [] } };
    expect(await rounds.insertRounds(sql, [again, records[2]])).toEqual(new Set(['r3']));
    expect(await rounds.storedIds(sql, ['r1', 'r3', 'r9'])).toEqual(new Set(['r1', 'r3']));
    expect(await rounds.storedIds(sql, [])).toEqual(new Set());
    expect(await rounds.get(sql, 'r2')).toEqual(r2);
    expect(await rounds.get(sql, 'r9')).toBeNull();
  });

  it('writes the shares the epoch sums: a 0.5 + 0.125, b 0.25 + 1, none for r3', async () => {
    expect(await sumPocShares(sql, T, T + 300_000)).toEqual([
      { hotspot: 'a', kind: 'beacon', total: '0.5' },
      { hotspot: 'a', kind: 'witness', total: '0.125' },
      { hotspot: 'b', kind: 'beacon', total: '1' },
      { hotspot: 'b', kind: 'witness', total: '0.25' },
    ]);
  });

  it('lists newest first (receive time, then id), filtered by hotspot, status and time', async () => {
    const ids = async (f: Parameters<typeof rounds.list>[1]) => (await rounds.list(sql, f)).map((r) => r.pocId);
    expect(await ids({ limit: 10 })).toEqual(['r2', 'r3', 'r1']); // r2 and r3 tie at T+2000: id order
    expect(await ids({ limit: 1 })).toEqual(['r2']);
    expect(await ids({ hotspot: 'c', limit: 10 })).toEqual(['r3', 'r1']); // c beaconed r3, witnessed r1
    expect(await ids({ status: 'invalid', limit: 10 })).toEqual(['r3']);
    expect(await ids({ before: T + 2000, limit: 10 })).toEqual(['r1']);
    expect((await rounds.recentOf(sql, 'a', 20)).map((r) => r.pocId)).toEqual(['r2', 'r1']);
    expect((await rounds.recentOf(sql, 'a', 1)).map((r) => r.pocId)).toEqual(['r2']);
    expect(await rounds.recentOf(sql, 'nobody', 20)).toEqual([]);
  });

  it('counts beacons, witness reports and valid witnesses after an instant', async () => {
    // after T: 3 beacons; witnesses r1 b, r1 c, r2 a = 3, of which 2 valid
    expect(await rounds.countReportsSince(sql, T)).toEqual({ beacons: 3, witnesses: 3 });
    expect(await rounds.countWitnessVerdictsSince(sql, T)).toEqual({ valid: 2, n: 3 });
    // after T+1000 (exclusive): r2 and r3 only
    expect(await rounds.countReportsSince(sql, T + 1000)).toEqual({ beacons: 2, witnesses: 1 });
    expect(await rounds.countWitnessVerdictsSince(sql, T + 1000)).toEqual({ valid: 1, n: 1 });
    expect(await rounds.countWitnessVerdictsSince(sql, T + 9000)).toEqual({ valid: 0, n: 0 });
  });
});
