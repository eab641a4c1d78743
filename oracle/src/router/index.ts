/**
 * The oracle's packet router and data credits (issue 6; DESIGN.md "Data plane"; docs/data-credits.md).
 *
 *   hotspot/+/event/up ─▶ handleUplink ─▶ de-dup window (params.dedupWindowMs, key SHA-256(PHYPayload))
 *        ─▶ JoinRequest ─▶ join server ─▶ JoinAccept via the best hotspot (RX1 5 s / RX2 6 s)
 *        ─▶ data up ─▶ session, MIC, FCnt ─▶ charge DC once ─▶ DC shares for the first multiBuy hotspots
 *                   ─▶ AppUplink on {prefix}/org/<orgId>/up, SSE `packet` ─▶ ACK if confirmed (RX1 1 s / RX2 2 s)
 *
 * Closed windows are handled one at a time in arrival order, so frame counters and balances see a
 * single writer per process. With several oracle processes on an external broker only the holder of the
 * router lease receives uplinks (server.ts, docs/architecture.md "Several oracle processes"), so every
 * copy of a packet reaches this one window; its rows are still written `FOR UPDATE`.
 */
import { createHash } from 'node:crypto';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { Clock } from '@hexium/shared/clock';
import { LIMITS, type PacketEvent, type Topics } from '@hexium/shared/protocol/index';
import type { KeyPair } from '@hexium/shared/identity/index';
import type { Publish, RouterContext, RouterLogger } from './context.ts';
import { handleDataUplinks, dropPacket, type DataUp, type PacketInfo } from './data-uplink.ts';
import { DedupWindow, type Copy } from './dedup.ts';
import type { ReceivedCopy } from './downlink.ts';
import { parseUplink } from './frames.ts';
import { handleJoinRequest } from './join-server.ts';
import type { PacketRouterPort } from './port.ts';
import { routerRoutes } from './routes.ts';
import type { Sql } from './sql.ts';
import { dcSharesBetween, dcSpentTotal } from '../store/router-store.ts';

export interface PacketRouterDeps {
  sql: Sql;
  params: NetworkParams;
  clock: Clock;
  publish: Publish;
  /** SSE event sink: either a function or the oracle's `OracleEvents` (its `emit`). */
  emit?: (event: 'packet', data: PacketEvent) => void;
  events?: { emit(event: 'packet', data: PacketEvent): void };
  logger: RouterLogger;
  topics: Topics;
  oracleKey?: KeyPair;
  /** The oracle's work tracker: each open de-dup window and each pending write counts as work. */
  tracker?: { begin(): () => void };
  /** Admin token for the admin routes, if not given as a plugin option or server decoration. */
  adminToken?: string;
}

export interface PacketRouter extends PacketRouterPort {
  /** Same as close(). */
  stop(): Promise<void>;
}

export function createPacketRouter(deps: PacketRouterDeps): PacketRouter {
  const counts: Record<string, number> = {};
  const count = (name: string, n = 1) => {
    counts[name] = (counts[name] ?? 0) + n;
  };
  const emit = deps.emit ?? ((event: 'packet', data: PacketEvent) => deps.events?.emit(event, data));
  const publish = (topic: string, message: object, opts?: { qos?: 0 | 1; retain?: boolean }) => {
    try {
      const r = deps.publish(topic, JSON.stringify(message), opts);
      if (r && typeof (r as Promise<void>).catch === 'function') {
        (r as Promise<void>).catch((err) => {
          count('publish_errors');
          deps.logger.warn({ err, topic }, 'packet router: publish failed');
        });
      }
    } catch (err) {
      count('publish_errors');
      deps.logger.warn({ err, topic }, 'packet router: publish failed');
    }
  };
  const ctx: RouterContext = { sql: deps.sql, params: deps.params, clock: deps.clock, logger: deps.logger, topics: deps.topics, publish, emit, count };
  const windowWork = new Map<string, () => void>();
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let stopped = false;
  let draining = false;
  let waiters: (() => void)[] = [];

  const settle = () => {
    // Under a virtual clock open windows close only when the driver advances time (hotspot-sim fast mode).
    if (pending > 0 || (dedup.openCount > 0 && !(deps.clock as { virtual?: boolean }).virtual)) return;
    const w = waiters;
    waiters = [];
    w.forEach((fn) => fn());
  };

  /** Largest number of packets written in one transaction. */
  const BATCH = 500;
  const queue: { hash: string; copies: Copy<ReceivedCopy>[]; endWork?: () => void }[] = [];
  /** The batch being written (its DC shares are not stored yet). */
  let handling: typeof queue = [];

  function packetInfo(hash: string, copies: Copy<ReceivedCopy>[]): PacketInfo {
    const sorted = copies
      .map((c) => c.item)
      .sort((a, b) => a.receivedAtMs - b.receivedAtMs || (a.frame.hotspot < b.frame.hotspot ? -1 : a.frame.hotspot > b.frame.hotspot ? 1 : 0));
    return { hash, phy: Buffer.from(sorted[0].frame.phyPayload, 'base64'), copies: sorted };
  }

  /** A frame whose handling threw: dropped and counted alone, never its batch (issue 14). */
  const frameFailed = (err: unknown, p: PacketInfo) => {
    deps.logger.error({ err, packet: p.hash }, 'packet router: handling a frame failed');
    dropPacket(ctx, 'frame_error', p);
  };

  /**
   * Handle a batch in arrival order: runs of data uplinks share one transaction; joins go one by one. A
   * frame that throws is dropped alone (`frame_error`); a run whose transaction fails is retried frame by
   * frame, so one bad frame never fails the frames beside it.
   */
  async function handleBatch(batch: typeof queue): Promise<void> {
    let run: { up: DataUp; p: PacketInfo }[] = [];
    const flush = async () => {
      const items = run;
      run = [];
      if (items.length === 0) return;
      try {
        await handleDataUplinks(ctx, items);
      } catch (err) {
        if (items.length === 1) return frameFailed(err, items[0].p);
        count('batch_retries');
        for (const it of items) {
          try {
            await handleDataUplinks(ctx, [it]);
          } catch (e) {
            frameFailed(e, it.p);
          }
        }
      }
    };
    for (const { hash, copies } of batch) {
      const p = packetInfo(hash, copies);
      count('packets');
      count('packet_copies', p.copies.length);
      // drops are emitted in arrival order: the run before a dropped frame is handled first
      if (p.phy.length > LIMITS.phyPayloadBytes) {
        await flush();
        dropPacket(ctx, 'too_large', p, { bytes: p.phy.length });
        continue;
      }
      let parsed;
      try {
        parsed = parseUplink(p.phy);
      } catch (err) {
        await flush();
        frameFailed(err, p);
        continue;
      }
      if (parsed?.kind === 'data-up') {
        run.push({ up: parsed, p });
        continue;
      }
      await flush();
      if (!parsed || parsed.kind === 'other') dropPacket(ctx, 'invalid_packet', p, { mType: parsed?.mType ?? null });
      else {
        try {
          await handleJoinRequest(ctx, parsed, p);
        } catch (err) {
          frameFailed(err, p);
        }
      }
    }
    await flush();
  }

  async function drain(): Promise<void> {
    for (;;) {
      if (queue.length === 0) {
        draining = false; // in the same turn as the emptiness check: a window closing later starts a new drain
        return;
      }
      const batch = queue.splice(0, BATCH);
      handling = batch;
      try {
        await handleBatch(batch);
      } catch (err) {
        count('errors');
        deps.logger.error({ err, packets: batch.length }, 'packet router: handling a batch failed');
      } finally {
        pending -= batch.length;
        handling = [];
        batch.forEach((b) => b.endWork?.());
        settle();
      }
    }
  }

  const dedup = new DedupWindow<ReceivedCopy>(deps.clock, deps.params.dedupWindowMs, (hash, copies) => {
    pending++;
    // A window left untracked while open (virtual clock) is tracked from its close (hotspot-sim fast mode).
    const endWork = windowWork.get(hash) ?? deps.tracker?.begin();
    windowWork.delete(hash);
    queue.push({ hash, copies, endWork });
    // One drain at a time: a window closing while a batch is written joins the next batch.
    if (!draining) {
      draining = true;
      chain = chain.then(drain);
    }
  });

  async function stop(): Promise<void> {
    stopped = true;
    dedup.flush();
    await chain;
  }

  return {
    handleUplink(frame, receivedAtMs) {
      if (stopped) return;
      count('uplink_copies');
      // gateway-rs drops frames whose CRC is bad or absent before forwarding (radio.md §2.6).
      if (frame.rxInfo.crcStatus !== 'CRC_OK') return count('copies_bad_crc');
      if (frame.hotspot !== frame.rxInfo.gatewayId) return count('copies_invalid');
      const phy = Buffer.from(frame.phyPayload, 'base64');
      // Helium Packet Router keys copies by SHA-256 of the PHYPayload (hpr_packet_up:phash).
      const hash = createHash('sha256').update(phy).digest('hex');
      const outcome = dedup.add(hash, { hotspot: frame.hotspot, receivedAtMs, item: { frame, receivedAtMs } });
      // Under a virtual clock the window closes only when the driver advances time, so waiting for it in
      // idle() would deadlock: track it from its close instead (hotspot-sim fast mode).
      if (outcome === 'first' && deps.tracker && !(deps.clock as { virtual?: boolean }).virtual) windowWork.set(hash, deps.tracker.begin());
      else if (outcome === 'copy') count('copies_duplicate');
      else if (outcome === 'same_hotspot') count('copies_same_hotspot');
      else if (outcome === 'late') count('copies_late');
    },
    handleTxAck(ack) {
      count('tx_acks');
      for (const it of ack.items) count(`tx_ack_${it.status}`);
      if (ack.items.some((i) => i.status === 'OK')) count('downlinks_transmitted');
    },
    async dcSharesForEpoch(startMs, endMs) {
      return dcSharesBetween(deps.sql, startMs, endMs);
    },
    oldestUnsettledMs() {
      let min = dedup.oldestOpenMs() ?? Infinity;
      for (const b of [...handling, ...queue]) for (const c of b.copies) min = Math.min(min, c.receivedAtMs);
      return min === Infinity ? null : min;
    },
    counters: () => ({ ...counts }),
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
    stop,
    close: stop,
    dcSpentTotal: () => dcSpentTotal(deps.sql),
    routes: routerRoutes(ctx, deps.adminToken),
  };
}

export { dcForPayload, dcFromHntBones } from './dc.ts';
export type { DropReason } from './context.ts';
