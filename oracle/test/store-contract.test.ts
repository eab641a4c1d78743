/**
 * The store contract (STYLE.md §6): the same suite on PGlite always and on PostgreSQL when
 * TEST_DATABASE_URL is set (CI). PostgreSQL runs in a schema of its own, dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { resolveParams } from '@hexium/shared/params/index';
import { topics } from '@hexium/shared/protocol/index';
import { migrate } from '../src/store/migrate.ts';
import type { Sql } from '../src/store/sql.ts';
import { createRewarder } from '../src/workers/rewarder.ts';
import { createMetrics } from '../src/metrics.ts';
import { OracleEvents } from '../src/events/oracle-events.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { contractStores } from './helpers/contract-stores.ts';

const stores = contractStores('contract');

describe.each(stores)('store contract ($name)', ({ open }) => {
  let sql: Sql;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, cleanup } = await open());
  });
  afterAll(async () => {
    await sql?.close();
    await cleanup?.();
  });

  it('applies every migration once', async () => {
    expect(await migrate(sql)).toEqual([]);
    const names = (await sql.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
    expect(names[0]).toBe('001-core.sql');
  });

  it('returns bigint as number, numeric as string and jsonb as an object', async () => {
    await sql.query('CREATE TEMP TABLE types_probe (a bigint, b numeric, c jsonb)');
    await sql.query('INSERT INTO types_probe VALUES ($1, $2, $3::jsonb)', [1_764_000_000_123, '123456789012345678901234567890', JSON.stringify({ x: [1] })]);
    const { rows } = await sql.query('SELECT a, b, c FROM types_probe');
    expect(rows[0]).toEqual({ a: 1_764_000_000_123, b: '123456789012345678901234567890', c: { x: [1] } });
  });

  it('rolls a transaction back when it throws', async () => {
    await expect(
      sql.transaction(async (tx) => {
        await tx.query("INSERT INTO meta (key, value) VALUES ('rollback-probe', 'x')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await sql.query("SELECT * FROM meta WHERE key = 'rollback-probe'")).rows).toEqual([]);
  });

  it('gives an advisory lock to one holder at a time', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = sql.withAdvisoryLock(99, () => held.then(() => 'first'));
    await new Promise((r) => setTimeout(r, 50));
    const second = await sql.withAdvisoryLock(99, async () => 'second');
    release();
    expect(second).toEqual({ acquired: false });
    expect(await first).toEqual({ acquired: true, value: 'first' });
    expect(await sql.withAdvisoryLock(99, async () => 'third')).toEqual({ acquired: true, value: 'third' });
  });

  it('keeps a lease until it is released; on PostgreSQL one session at a time holds it', async () => {
    // Each PostgreSQL lease is a session of its own, as another oracle process's would be; a PGlite
    // store belongs to one process, which holds every lease it asks for.
    const a = sql.lease(98);
    const b = sql.lease(98);
    expect(await a.tryAcquire()).toBe(true);
    expect(await a.tryAcquire()).toBe(true);
    expect(a.held).toBe(true);
    const multiProcess = sql.kind === 'postgres';
    expect(await b.tryAcquire()).toBe(!multiProcess);
    await a.release();
    expect(a.held).toBe(false);
    expect(await b.tryAcquire()).toBe(true);
    if (multiProcess) expect(await a.tryAcquire()).toBe(false);
    await b.release();
    await a.release();
  });

  it('pays an epoch once, with the same manifest hash when recomputed', async () => {
    const params = resolveParams('demo');
    const epoch = 5_880_000;
    const clock = new ManualClock((epoch + 1) * 300_000 + 20_000); // epoch end + rewardOffsetS
    await sql.query("INSERT INTO meta (key, value) VALUES ('first_epoch', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [String(epoch)]);
    // the verifier has settled every beacon received up to the epoch end (the rewarder waits for it)
    await sql.query(
      "INSERT INTO verifier_state (id, checkpoint_ms, owner, beacons_settled_ms) VALUES (1, $1, 'test', $1) ON CONFLICT (id) DO UPDATE SET beacons_settled_ms = $1",
      [(epoch + 1) * 300_000 + 1],
    );
    const a = keyPairFromSeed(Buffer.alloc(32, 1)).address;
    const b = keyPairFromSeed(Buffer.alloc(32, 2)).address;
    const at = epoch * 300_000 + 1000;
    for (const [id, hotspot, kind, share] of [['p1', a, 'beacon', '0.1'], ['p1', b, 'witness', '0.2'], ['p2', b, 'beacon', '0.1'], ['p2', a, 'witness', '0.2']]) {
      await sql.query('INSERT INTO poc_shares (poc_id, hotspot, kind, share, reward_at_ms) VALUES ($1,$2,$3,$4,$5)', [id, hotspot, kind, share, at]);
    }
    const published: string[] = [];
    const rewarder = createRewarder({
      sql, clock, params, topics: topics('hexium'), bus: () => ({ mqttUrl: '', wsUrl: null, publish: async (t) => void published.push(t), close: async () => undefined }),
      events: new OracleEvents(), metrics: createMetrics(), logger: pino({ level: 'silent' }), oracleKey: keyPairFromSeed(Buffer.alloc(32, 9)),
      dcShares: async () => new Map(),
    });
    const [first, again] = await Promise.all([rewarder.payDue(), rewarder.payDue()]);
    const paid = [...first, ...again];
    expect(paid.map((m) => m.epoch)).toEqual([epoch]);
    expect(await rewarder.payDue()).toEqual([]);
    expect((await sql.query('SELECT count(*)::int AS n FROM epochs')).rows[0].n).toBe(1);
    expect((await rewarder.computeManifest(epoch, null)).hash).toBe(paid[0].hash);
    // a and b hold equal beacon (0.1) and witness (0.2) shares, so they are paid equally
    expect(paid[0].rewards[0].beaconAmount).toBe(paid[0].rewards[1].beaconAmount);
    expect(published).toEqual(['hexium/rewards/manifest']);
    await expect(
      sql.query("INSERT INTO epochs (epoch, start_s, end_s, hash, hotspots, total_bones, manifest) VALUES ($1, 0, 1, 'x', 0, 0, '{}'::jsonb)", [epoch]),
    ).rejects.toThrow();
  });
});
