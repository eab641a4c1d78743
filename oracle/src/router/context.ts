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

export type Publish = (topic: string, payload: object, opts?: { qos?: 0 | 1; retain?: boolean }) => void;

export interface RouterContext {
  sql: Sql;
  params: NetworkParams;
  clock: Clock;
  publish: Publish;
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
  | 'devaddr_exhausted';
