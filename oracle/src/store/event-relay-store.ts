/**
 * The event relay's use of PostgreSQL (docs/architecture.md "Several oracle processes"): `NOTIFY` on a
 * network's channel, a listening connection of its own, and `event_relay_spill` for payloads over
 * NOTIFY's 8,000-byte limit (PostgreSQL docs, "NOTIFY"). The relay (`events/event-relay.ts`) decides
 * what to send and when to reconnect; this module holds its SQL.
 */
import pg from 'pg';
import type { SqlQuery } from './sql.ts';

/** Send `payload` to every listener of `channel` (delivered when the statement's transaction commits). */
export async function notify(q: SqlQuery, channel: string, payload: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

/** Store a payload too large for NOTIFY; returns the id to send instead. */
export async function spillPayload(q: SqlQuery, atMs: number, payload: string): Promise<number> {
  const r = await q.query<{ id: number }>('INSERT INTO event_relay_spill (at_ms, event) VALUES ($1, $2) RETURNING id', [atMs, payload]);
  return r.rows[0].id;
}

/** Forget spilled payloads stored before `beforeMs` (every listener has read them by then). */
export async function pruneSpill(q: SqlQuery, beforeMs: number): Promise<void> {
  await q.query('DELETE FROM event_relay_spill WHERE at_ms < $1', [beforeMs]);
}

/** A spilled payload, or null when it is gone. */
export async function readSpill(q: SqlQuery, id: string): Promise<string | null> {
  const r = await q.query<{ event: string }>('SELECT event FROM event_relay_spill WHERE id = $1', [id]);
  return r.rows[0]?.event ?? null;
}

export interface Listener {
  end(): Promise<void>;
}

/**
 * A connection of its own that `LISTEN`s on `channel` (a pooled connection would drop the LISTEN when
 * returned). `onPayload` gets each notification's payload in delivery order; `onLost` is called once the
 * connection fails or ends (the caller reconnects).
 */
export async function listen(databaseUrl: string, channel: string, h: { onPayload(payload: string): void; onLost(listener: Listener): void }): Promise<Listener> {
  const c = new pg.Client({ connectionString: databaseUrl });
  const listener: Listener = { end: () => c.end() };
  c.on('error', () => h.onLost(listener));
  c.on('end', () => h.onLost(listener));
  c.on('notification', (n) => {
    if (n.channel !== channel || n.payload === undefined) return;
    h.onPayload(n.payload);
  });
  await c.connect();
  await c.query(`LISTEN ${channel}`);
  return listener;
}
