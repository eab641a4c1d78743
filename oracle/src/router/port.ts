/**
 * What the rest of the oracle sees of the packet router (`createPacketRouter` in ./index.ts): ingest
 * hands it uplinks and tx acks, the rewarder asks for data-transfer shares, the API for the DC spent and
 * its `/api/v1/orgs…` routes, /metrics for its counters, and `idle()` for its work in flight.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DownlinkTxAck, UplinkFrame } from '@hexium/shared/protocol/index';
import type { RouterRoutesOptions } from './routes.ts';

export interface PacketRouterPort {
  /** One copy of an uplink as a hotspot published it; `receivedAtMs` is the oracle's receive stamp. */
  handleUplink(frame: UplinkFrame, receivedAtMs: number): void;
  handleTxAck(ack: DownlinkTxAck): void;
  /** DC spent per hotspot (data-transfer shares) for uplinks received in [startMs, endMs). */
  dcSharesForEpoch(startMs: number, endMs: number): Promise<Map<string, bigint>>;
  /**
   * Receive time of the oldest copy whose packet is not handled yet (de-dup window open, queued or being
   * written); null when none. Every DC share of a copy received before it is stored.
   */
  oldestUnsettledMs(): number | null;
  /** DC charged to organizations over all time (for `/api/v1/network` `dcSpent`). */
  dcSpentTotal(): Promise<bigint>;
  /** The router's own counters (`dropped_<reason>`, `copies_<reason>`, …), exported in /metrics. */
  counters(): Record<string, number>;
  /** Resolves when no de-dup window is open and no write is pending. */
  idle(): Promise<void>;
  /** Closes open windows, handles them, and waits for the writes. */
  close(): Promise<void>;
  /** Fastify plugin with the `/api/v1/orgs…` routes. */
  routes: FastifyPluginAsync<RouterRoutesOptions>;
}
