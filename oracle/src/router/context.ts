/** What the router's stages share: the ports passed to createPacketRouter plus a counter. */
import type { NetworkParams } from '@hexium/shared/params/index';
import type { Clock } from '@hexium/shared/clock';
import type { Topics } from '@hexium/shared/protocol/index';
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
  emit: (event: string, data: object) => void;
  logger: RouterLogger;
  topics: Topics;
  count(name: string, n?: number): void;
}

/** Why a packet was not bought (counted as `dropped_<reason>`, emitted as SSE `packet { dropped }`). */
export type DropReason =
  | 'invalid_packet'
  | 'unknown_device'
  | 'bad_mic'
  | 'fcnt_replay'
  | 'dc_exhausted'
  | 'devnonce_replay'
  | 'devaddr_exhausted'
  /** A PHYPayload over 255 bytes (LoRaWAN 1.0.x §4, RP002 M = 250): no radio can have received it. */
  | 'too_large'
  /** Handling this one frame failed unexpectedly (logged); the frames beside it go on. */
  | 'frame_error';
