/**
 * The small state stores' contract, on PGlite and — with TEST_DATABASE_URL — PostgreSQL:
 * oracle-state-store.ts (oracle identity, entropy, challenges, the verifier checkpoint),
 * connect-token-store.ts (connect-token replay memory) and event-relay-store.ts (spill table; NOTIFY and
 * LISTEN on PostgreSQL, where the relay runs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../src/store/sql.ts';
import {
  insertChallenge, insertEntropy, pinOracleAddress, readEntropy, readVerifierCheckpoint, verifierBeaconHorizonMs, writeVerifierCheckpoint,
} from '../src/store/oracle-state-store.ts';
import { sqlTokenStore } from '../src/store/connect-token-store.ts';
import { listen, notify, pruneSpill, readSpill, spillPayload } from '../src/store/event-relay-store.ts';
import { contractStores } from './helpers/contract-stores.ts';

const T = 1_764_000_000_000;

describe.each(contractStores('state_store'))('small state stores ($name)', ({ name, open }) => {
  let sql: Sql;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, cleanup } = await open());
  });
  afterAll(async () => {
    await sql?.close();
    await cleanup?.();
  });

  it('pins the first oracle address; a later one gets the pinned address back', async () => {
    expect(await pinOracleAddress(sql, 'oracle-1')).toBe('oracle-1');
    expect(await pinOracleAddress(sql, 'oracle-2')).toBe('oracle-1');
  });

  it('stores entropy once per value and finds the known values', async () => {
    await insertEntropy(sql, { dataHex: 'aa', timestampS: 100, version: 0 });
    await insertEntropy(sql, { dataHex: 'aa', timestampS: 999, version: 0 }); // same data: the first kept
    await insertEntropy(sql, { dataHex: 'bb', timestampS: 160, version: 0 });
    expect(await readEntropy(sql, ['aa', 'cc'])).toEqual(new Map([['aa', { dataHex: 'aa', timestampS: 100, version: 0 }]]));
    expect(await readEntropy(sql, [])).toEqual(new Map());
  });

  it('records a challenge once per id', async () => {
    await insertChallenge(sql, { challengeId: 'c-1', hotspot: 'h', issuedAtMs: T });
    await expect(insertChallenge(sql, { challengeId: 'c-1', hotspot: 'h', issuedAtMs: T + 1 })).rejects.toThrow();
  });

  it('keeps one verifier checkpoint with its writer and beacon horizon', async () => {
    expect(await readVerifierCheckpoint(sql)).toBeNull();
    expect(await verifierBeaconHorizonMs(sql)).toBeNull();
    // a row from before the beacon horizon was recorded: the rewarder falls back to the checkpoint
    await sql.query("INSERT INTO verifier_state (id, checkpoint_ms, owner) VALUES (1, $1, 'old')", [T - 1000]);
    expect(await verifierBeaconHorizonMs(sql)).toBe(T - 1000);
    await writeVerifierCheckpoint(sql, { checkpointMs: T, owner: 'process-a', beaconsSettledMs: T + 100 });
    await writeVerifierCheckpoint(sql, { checkpointMs: T + 5000, owner: 'process-b', beaconsSettledMs: T + 7000 });
    expect(await readVerifierCheckpoint(sql)).toEqual({ checkpointMs: T + 5000, owner: 'process-b', beaconsSettledMs: T + 7000 });
    expect(await verifierBeaconHorizonMs(sql)).toBe(T + 7000);
  });

  it('accepts a connect token only when newer than the last one, and prunes rows older than the token lifetime', async () => {
    const tokens = await sqlTokenStore(sql, { nowMs: T, authSkewMs: 60_000 });
    expect(await tokens.claim('h1', T)).toBe(true);
    expect(await tokens.claim('h1', T)).toBe(false);
    expect(await tokens.claim('h1', T - 1)).toBe(false);
    expect(await tokens.claim('h1', T + 1)).toBe(true);
    expect(await tokens.claim('h2', T - 1)).toBe(true);
    // a restart 2 minutes later: rows before now − 60 s (both) are pruned, so an old token is no replay here
    // (device-auth refuses it as stale before it reaches the store)
    const later = await sqlTokenStore(sql, { nowMs: T + 120_000, authSkewMs: 60_000 });
    expect(await later.claim('h1', T - 5)).toBe(true);
  });

  it('spills a large payload, reads it back by id and prunes it by age', async () => {
    const big = 'x'.repeat(10_000);
    const id = await spillPayload(sql, T, big);
    expect(await readSpill(sql, String(id))).toBe(big);
    const id2 = await spillPayload(sql, T + 1000, '[2]');
    expect(id2).toBeGreaterThan(id);
    await pruneSpill(sql, T + 1); // stored before T + 1: the first only
    expect(await readSpill(sql, String(id))).toBeNull();
    expect(await readSpill(sql, String(id2))).toBe('[2]');
  });

  it.runIf(name === 'postgres')('delivers NOTIFY payloads to a listener in order', async () => {
    const got: string[] = [];
    let lost = 0;
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const l = await listen(url.toString(), 'hexium_store_contract', { onPayload: (p) => got.push(p), onLost: () => lost++ });
    try {
      await notify(sql, 'hexium_store_contract', 'one');
      await notify(sql, 'hexium_store_contract', 'two');
      await notify(sql, 'other_channel', 'not ours');
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual(['one', 'two']);
    } finally {
      await l.end();
    }
    expect(lost).toBe(1); // ending the connection is reported once
  });
});
