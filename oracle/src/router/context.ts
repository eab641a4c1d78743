/** What the router's stages share: the ports passed to createPacketRouter plus a counter. */
import type { NetworkParams } from '@hexium/shared/params/index';
import type { Clock } from '@hexium/shared/clock';
import type { PacketDropReason, PacketEvent, Topics } from '@hexium/shared/protocol/index';
import type { Sql } from './sql.ts';

export interface RouterLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug?(obj: unknown, msg?: string): void;
}

/**
 * MQTT publish port. The router hands it the JSON text of the message (the oracle's message bus takes
 * `string | Buffer`); a returned promise is awaited for errors only.
 */
export type Publish = (topic: string, payload: string, opts?: { qos?: 0 | 1; retain?: boolean }) => unknown;

export interface RouterContext {
  sql: Sql;
  params: NetworkParams;
  clock: Clock;
  /** Publish `message` as JSON (errors are logged and counted, never thrown). */
  publish: (topic: string, message: object, opts?: { qos?: 0 | 1; retain?: boolean }) => void;
  /** The SSE `packet` event (shared/src/protocol/events.ts). */
  emit: (event: 'packet', data: PacketEvent) => void;
  logger: RouterLogger;
  topics: Topics;
  count(name: string, n?: number): void;
}

/** Why a packet was not bought (counted as `dropped_<reason>`, emitted as SSE `packet { dropped }`). */
export type DropReason = PacketDropReason;
