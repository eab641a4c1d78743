/**
 * The event relay between oracle processes (oracle/src/events/event-relay.ts) on PostgreSQL
 * (TEST_DATABASE_URL, as `.ci/run` sets it; skipped without it). Two relays stand for two processes on
 * one database: every event either produces reaches both, once, in one order; an event over NOTIFY's
 * 8,000-byte payload limit (PostgreSQL docs, "NOTIFY") goes through the spill table; `hotspot` events
 * stay in the process that saw them; another topic prefix is another network and hears nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import { OracleEvents, type OracleEvent } from '../src/events/oracle-events.ts';
import { startEventRelay, relayChannel, packPayloads, type EventRelay } from '../src/events/event-relay.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Sql } from '../src/store/sql.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

describe('packPayloads', () => {
  // {"type":"reward","data":{"epoch":N,"hash":"h","totalBones":"1","hotspots":1}} for a one-digit N:
  // 17 ({"type":"reward",) + 8 ("data":{) + 10 ("epoch":N,) + 11 ("hash":"h",) + 17 ("totalBones":"1",)
  // + 12 ("hotspots":1) + 2 (}}) = 77 bytes
  const ev = (epoch: number) => ({ type: 'reward', data: { epoch, hash: 'h', totalBones: '1', hotspots: 1 } }) as OracleEvent;
  it('packs events in order into JSON arrays no larger than the limit', () => {
    expect(JSON.stringify(ev(1)).length).toBe(77);
    // two events: 2 brackets + 77 + 1 comma + 77 = 157 bytes; a third would make 235
    const out = packPayloads([1, 2, 3, 4, 5].map(ev), 157);
    expect(out.map((p) => (JSON.parse(p) as OracleEvent[]).map((e) => (e.data as { epoch: number }).epoch))).toEqual([[1, 2], [3, 4], [5]]);
    expect(out.every((p) => Buffer.byteLength(p) <= 157)).toBe(true);
  });
  it('gives an event larger than the limit a payload of its own', () => {
    const out = packPayloads([ev(1), ev(2), ev(3)], 60);
    expect(out).toEqual([1, 2, 3].map((n) => `[${JSON.stringify(ev(n))}]`));
    expect(packPayloads([], 100)).toEqual([]);
  });
});

describe.skipIf(!pgUrl)('event relay (PostgreSQL LISTEN/NOTIFY)', () => {
  const schema = `relay_${process.pid}_${Date.now()}`;
  const prefix = `relay-test-${process.pid}`;
  let admin: pg.Client;
  let url: string;
  const stores: Sql[] = [];
  const relays: EventRelay[] = [];

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const u = new URL(pgUrl!);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
  });

  afterAll(async () => {
    for (const r of relays) await r.close();
    for (const s of stores) await s.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  async function process_(topicPrefix: string) {
    const sql = await openStore({ databaseUrl: url, dataDir: 'memory://' });
    stores.push(sql);
    const events = new OracleEvents();
    const seen: OracleEvent[] = [];
    const refusals: string[] = [];
    events.on((e) => seen.push(e));
    const relay = await startEventRelay({ databaseUrl: url, sql, topicPrefix, events, logger: pino({ level: 'silent' }), nowMs: () => Date.now(), onRefused: (r) => refusals.push(r) });
    relays.push(relay);
    return { events, seen, relay, refusals };
  }

  it('delivers every event to every process once, in one order; spills large ones; keeps hotspot events local', async () => {
    const a = await process_(prefix);
    const b = await process_(prefix);
    const other = await process_(`${prefix}-other`);
    expect(relayChannel(prefix)).not.toBe(relayChannel(`${prefix}-other`));

    // 9,000 bytes of witness addresses: over the 8,000-byte NOTIFY limit
    const big = { pocId: 'big', beaconer: 'x', witnesses: Array.from({ length: 300 }, (_, i) => ({ hotspot: `w${String(i).padStart(27, '0')}` })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(8000);
    for (let i = 0; i < 20; i++) {
      a.events.emit('reward', { epoch: i, hash: `a${i}`, totalBones: '1', hotspots: 1 });
      b.events.emit('reward', { epoch: i, hash: `b${i}`, totalBones: '1', hotspots: 1 });
    }
    a.events.emit('poc', big as never);
    b.events.emit('hotspot', { address: 'h1', online: true });
    await Promise.all([a.relay.flushed(), b.relay.flushed()]);

    const deadline = Date.now() + 20_000;
    const relayed = (s: OracleEvent[]) => s.filter((e) => e.type !== 'hotspot');
    while ((relayed(a.seen).length < 41 || relayed(b.seen).length < 41) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // nothing more (no duplicates) arrives

    // 20 + 20 rewards and the big round, on both, in the same order
    expect(relayed(a.seen)).toHaveLength(41);
    expect(relayed(b.seen)).toEqual(relayed(a.seen));
    const hashes = relayed(a.seen).filter((e) => e.type === 'reward').map((e) => (e.data as { hash: string }).hash);
    expect(new Set(hashes).size).toBe(40);
    // each process's own events keep the order it produced them in
    expect(hashes.filter((h) => h.startsWith('a'))).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(hashes.filter((h) => h.startsWith('b'))).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`));
    expect(relayed(a.seen).find((e) => e.type === 'poc')?.data).toEqual(big);
    expect((await stores[0].query('SELECT count(*)::int8 AS n FROM event_relay_spill')).rows[0].n).toBe(1);

    // the hotspot event stayed where it was seen; the other network heard nothing
    expect(b.seen.filter((e) => e.type === 'hotspot')).toHaveLength(1);
    expect(a.seen.filter((e) => e.type === 'hotspot')).toHaveLength(0);
    expect(other.seen).toEqual([]);
    expect(a.relay.refused + b.relay.refused).toBe(0);
  });

  it('refuses a notification that is not an oracle event, counts it and goes on', async () => {
    const p = await process_(`${prefix}-refuse`);
    const channel = relayChannel(`${prefix}-refuse`);
    await admin.query('SELECT pg_notify($1, $2)', [channel, 'not json']);
    await admin.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ type: 'nope', data: {} })]);
    await admin.query('SELECT pg_notify($1, $2)', [channel, 'spill:999999999']);
    p.events.emit('reward', { epoch: 1, hash: 'after', totalBones: '0', hotspots: 0 });
    const deadline = Date.now() + 20_000;
    while (p.seen.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(p.seen.map((e) => e.type)).toEqual(['reward']);
    expect(p.relay.refused).toBe(3);
    expect(p.refusals).toEqual(['not_json', 'not_a_list', 'spill_missing']);
  });
});
