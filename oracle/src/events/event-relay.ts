/**
 * Every oracle process's event stream shows the whole network (issue 12, docs/architecture.md "Several
 * oracle processes"). With `MQTT_URL` + `DATABASE_URL` the processes split the work (`$share` ingest,
 * one verifier, one rewarder, one router owner, one entropy minter), so each produces only part of the
 * events. Each event a process produces is sent once with PostgreSQL `NOTIFY` on a channel named after
 * the topic prefix; every process, the sender included, `LISTEN`s and hands what arrives to its SSE
 * clients. PostgreSQL delivers notifications of committed transactions in commit order to every
 * listener (PostgreSQL docs, "NOTIFY"), so every stream carries the same events in the same order, none
 * twice. A process sends its own events one after another, so they keep the order it produced them in.
 *
 * Events produced while a notification is on its way are packed together (JSON arrays under the limit).
 * A payload over NOTIFY's 8,000-byte limit is stored in `event_relay_spill` and its id is sent instead.
 * A live stream is not a log: events sent while a listener's connection is down are not replayed to it.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ORACLE_EVENT_TYPES, type OracleEvent } from '@hexium/shared/protocol/index';
import type { Sql } from '../store/sql.ts';
import { listen, notify, pruneSpill, readSpill, spillPayload, type Listener } from '../store/event-relay-store.ts';
import type { OracleEvents } from './oracle-events.ts';

/** NOTIFY payloads must be shorter than 8,000 bytes (PostgreSQL docs, "NOTIFY"); keep a margin. */
const MAX_NOTIFY_BYTES = 7900;
const SPILL_KEEP_MS = 10 * 60_000;
const RECONNECT_MS = 1000;

/** The channel of one network (topic prefix): two networks sharing one database do not mix streams. */
export function relayChannel(topicPrefix: string): string {
  return `hexium_events_${createHash('sha256').update(topicPrefix).digest('hex').slice(0, 16)}`;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(ORACLE_EVENT_TYPES);

/**
 * Events as NOTIFY payloads: JSON arrays of at most `maxBytes` bytes, in order; an event too large
 * alone is a one-element array of its own (sent through the spill table).
 */
export function packPayloads(events: readonly OracleEvent[], maxBytes: number): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let bytes = 2; // the brackets
  const flush = () => {
    if (parts.length) out.push(`[${parts.join(',')}]`);
    parts = [];
    bytes = 2;
  };
  for (const e of events) {
    const json = JSON.stringify(e);
    const n = Buffer.byteLength(json);
    if (parts.length > 0 && bytes + n + 1 > maxBytes) flush();
    parts.push(json);
    bytes += n + (parts.length > 1 ? 1 : 0);
    if (bytes > maxBytes) flush();
  }
  flush();
  return out;
}

export interface EventRelayOptions {
  databaseUrl: string;
  sql: Sql;
  topicPrefix: string;
  events: OracleEvents;
  logger: Logger;
  nowMs: () => number;
  /** Each refused notification or element (`not_json`, `not_a_list`, `not_an_event`, `spill_missing`, `read_failed`). */
  onRefused?: (reason: string) => void;
}

export interface EventRelay {
  /** Events received but refused (not JSON, unknown type, spill row missing). */
  readonly refused: number;
  /** Resolves when every event sent so far went out. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

export async function startEventRelay(o: EventRelayOptions): Promise<EventRelay> {
  const channel = relayChannel(o.topicPrefix);
  let refused = 0;
  let closed = false;
  let listener: Listener | null = null;
  let received: Promise<void> = Promise.resolve();

  class Refused extends Error {
    constructor(readonly reason: string) {
      super(reason);
    }
  }
  const refuse = (reason: string) => {
    refused++;
    o.onRefused?.(reason);
    o.logger.warn({ reason }, 'event relay: notification refused');
  };

  /** One notification: a JSON array of events, or `spill:<id>` naming a stored one. */
  const deliverPayload = async (payload: string) => {
    let text = payload;
    const spill = /^spill:(\d+)$/.exec(payload);
    if (spill) {
      const stored = await readSpill(o.sql, spill[1]);
      if (stored === null) throw new Refused('spill_missing');
      text = stored;
    }
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      throw new Refused('not_json');
    }
    if (!Array.isArray(list)) throw new Refused('not_a_list');
    for (const e of list as OracleEvent[]) {
      if (typeof e !== 'object' || e === null || !KNOWN_TYPES.has(e.type) || typeof e.data !== 'object' || e.data === null) refuse('not_an_event');
      else o.events.deliver(e);
    }
  };

  const connect = async (): Promise<void> => {
    const lost = (c: Listener) => {
      if (listener !== c) return;
      listener = null;
      c.end().catch(() => undefined);
      if (!closed) {
        o.logger.warn('event relay: listener connection lost, reconnecting');
        setTimeout(() => void connect().catch((err) => o.logger.warn({ err }, 'event relay: reconnect failed')), RECONNECT_MS).unref();
      }
    };
    const c = await listen(o.databaseUrl, channel, {
      onLost: lost,
      onPayload: (payload) => {
        // one at a time, in the order PostgreSQL delivered them (a spilled event is read before the next)
        received = received.then(() =>
          deliverPayload(payload).catch((err) => {
            if (err instanceof Refused) refuse(err.reason);
            else {
              refuse('read_failed');
              o.logger.warn({ err }, 'event relay: reading a notification failed');
            }
          }),
        );
      },
    });
    if (closed) {
      await c.end();
      return;
    }
    listener = c;
  };
  await connect();

  let spilled = 0;
  const sendPayload = async (payload: string) => {
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) {
      const now = o.nowMs();
      payload = `spill:${await spillPayload(o.sql, now, payload)}`;
      if (++spilled % 100 === 0) await pruneSpill(o.sql, now - SPILL_KEEP_MS);
    }
    await notify(o.sql, channel, payload);
  };
  // Events produced while a notification is on its way wait and go together: as many as fit in one
  // payload, in the order they were produced (a busy ingest emits thousands per second; one round trip
  // each would fall behind).
  let queue: OracleEvent[] = [];
  let sending: Promise<void> | null = null;
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      for (const payload of packPayloads(batch, MAX_NOTIFY_BYTES)) {
        await sendPayload(payload).catch((err) => o.logger.warn({ err }, 'event relay: sending events failed'));
      }
    }
    sending = null; // same turn as the emptiness check: an event emitted later starts a new drain
  };
  o.events.relayThrough((e) => {
    queue.push(e);
    sending ??= drain();
  });

  return {
    get refused() {
      return refused;
    },
    async flushed() {
      while (sending) await sending;
    },
    async close() {
      o.events.relayThrough(null);
      while (sending) await sending;
      closed = true;
      const c = listener;
      listener = null;
      await c?.end().catch(() => undefined);
      await received;
    },
  };
}
