/**
 * What the oracle needs from the packet router (oracle/src/router/): uplinks and tx acks
 * from ingest, data-transfer shares for the rewarder, and its HTTP routes. Loaded with a dynamic import
 * so the server runs without it; a missing router means uplinks are counted and dropped.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { DownlinkTxAck, UplinkFrame } from '@hexium/shared/protocol/index';
import type { Sql } from '../store/sql.ts';
import type { OracleEvents } from '../events/oracle-events.ts';

export interface PacketRouterPort {
  handleUplink(frame: UplinkFrame, receivedAtMs: number): Promise<void> | void;
  handleTxAck(ack: DownlinkTxAck): Promise<void> | void;
  /** DC spent per hotspot (data-transfer shares) for uplinks received in [startMs, endMs). */
  dcSharesForEpoch(startMs: number, endMs: number): Promise<Map<string, bigint>>;
  /** Fastify plugin with the /api/v1/orgs… routes. */
  routes?: FastifyPluginAsync<any> | ((app: any, opts: any) => Promise<void>);
  close?(): Promise<void> | void;
  /** The router's own counters (`dropped_<reason>`, `copies_<reason>`, …), exported in /metrics. */
  counters?(): Record<string, number>;
  /** Work in flight (dedup windows), for idle(). */
  idle?(): Promise<void>;
}

export interface RouterDeps {
  sql: Sql;
  params: NetworkParams;
  clock: Clock;
  publish: (topic: string, payload: string | Buffer, opts?: { retain?: boolean; qos?: 0 | 1 }) => Promise<void>;
  events: OracleEvents;
  logger: Logger;
  topics: unknown;
  adminToken: string;
  tracker: unknown;
  oracleKey?: unknown;
}

/** Load the packet router (oracle/src/router/) when present; null otherwise. */
export async function loadPacketRouter(deps: RouterDeps): Promise<PacketRouterPort | null> {
  const spec = '../router/index.ts';
  let mod: { createPacketRouter?: (d: RouterDeps) => PacketRouterPort | Promise<PacketRouterPort> };
  try {
    mod = await import(spec);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('router/index.ts')) return null;
    throw err;
  }
  if (typeof mod.createPacketRouter !== 'function') return null;
  try {
    return await mod.createPacketRouter(deps);
  } catch (err) {
    // a broken router must not take PoC down with it: run without, loudly
    deps.logger.error({ err }, 'packet router failed to start; running without it');
    return null;
  }
}
