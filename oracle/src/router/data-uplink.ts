/**
 * Data uplinks, handled in batches: find each packet's session, check MIC and frame counter, charge
 * the organization's DC once, buy the packet from the first `multiBuy` hotspots (each earns a DC share
 * of `num_dcs`), then — after the commit — forward an `AppUplink` to the organization and ACK
 * confirmed uplinks. Sources: specs/poc-and-rewards.md §(d) "Data transfer"; helium/oracles
 * iot_packet_verifier. One transaction per batch holds the session and balance rows `FOR UPDATE`, so
 * several oracle processes on one PostgreSQL never double-spend; writes are multi-row statements.
 */
import type { AppUplink, PacketDropDetails } from '@hexium/shared/protocol/index';
import { PROTOCOL_VERSION } from '@hexium/shared/protocol/index';
import type { RouterContext, DropReason } from './context.ts';
import { dcForPayload } from './dc.ts';
import { bestCopy, regionForCopy, tryBuildDownlinkFrame, type ReceivedCopy } from './downlink.ts';
import { buildAckDown, decryptUplinkPayload, fullFCnt, verifyDataUpMic, type ParsedUplink } from './frames.ts';
import { RX_DELAYS_S } from './rx-windows.ts';
import { lockBalances, lockSessions, recordPurchases, type BoughtPacket, type DcShare } from '../store/router-store.ts';

export type DataUp = Extract<ParsedUplink, { kind: 'data-up' }>;

export interface PacketInfo {
  hash: string;
  phy: Buffer;
  /** Copies sorted by receive time, then hotspot address. */
  copies: ReceivedCopy[];
}

/** The first `multiBuy` copies by receive time are bought (ties by address: copies are pre-sorted). */
export function boughtCopies<T>(sortedCopies: T[], multiBuy: number): T[] {
  return sortedCopies.slice(0, Math.max(0, multiBuy));
}

export function dropPacket(ctx: RouterContext, reason: DropReason, p: PacketInfo, extra: PacketDropDetails = {}): void {
  ctx.count(`dropped_${reason}`);
  ctx.emit('packet', { dropped: reason, ...extra, hotspots: p.copies.map((c) => c.frame.hotspot), receivedAtMs: p.copies[0].receivedAtMs });
}

/** A 32-bit downlink id from the packet hash (deterministic; correlates the TX ack). */
export const downlinkIdFor = (hash: string, salt: number) => (parseInt(hash.slice(0, 8), 16) ^ salt) >>> 0;

interface Session {
  orgId: string;
  devEui: string | null;
  nwkSKey: string;
  appSKey: string;
  fCntUp: number;
  fCntDown: number;
}

type Outcome =
  | { drop: DropReason; extra: PacketDropDetails }
  | { drop?: undefined; session: Session; fCnt: number; dc: number; bought: ReceivedCopy[]; fCntDown: number | null };

/** Handle data uplinks in arrival order, in one transaction; then publish and emit. */
export async function handleDataUplinks(ctx: RouterContext, items: { up: DataUp; p: PacketInfo }[]): Promise<void> {
  const outcomes = await ctx.sql.transaction(async (tx) => {
    const addrs = [...new Set(items.map((i) => i.up.devAddr))];
    const sessions = new Map<string, Session>(
      (await lockSessions(tx, addrs)).map((s) => [s.devAddr, { orgId: s.orgId, devEui: s.devEui, nwkSKey: s.nwkSKey, appSKey: s.appSKey, fCntUp: s.fCntUp, fCntDown: s.fCntDown }]),
    );
    const orgIds = [...new Set([...sessions.values()].map((s) => s.orgId))];
    const balances = await lockBalances(tx, orgIds);
    const touchedSessions = new Set<string>();
    const touchedOrgs = new Set<string>();
    const packets: BoughtPacket[] = [];
    const shares: DcShare[] = [];

    const out: Outcome[] = items.map(({ up, p }) => {
      try {
        return judge(up, p);
      } catch (err) {
        // a frame the codec cannot handle: dropped alone, before it touched a balance or a counter
        ctx.logger.warn({ err, packet: p.hash }, 'packet router: frame check failed');
        return { drop: 'frame_error', extra: { devAddr: up.devAddr } };
      }
    });
    function judge(up: DataUp, p: PacketInfo): Outcome {
      const session = sessions.get(up.devAddr);
      if (!session) return { drop: 'unknown_device', extra: { devAddr: up.devAddr } };
      const fCnt = fullFCnt(session.fCntUp, up.fCnt16);
      const base = { orgId: session.orgId, devAddr: up.devAddr };
      // A forged frame fails the MIC; a replayed one passes it with an old counter.
      if (!verifyDataUpMic(p.phy, session.nwkSKey, fCnt)) return { drop: 'bad_mic', extra: base };
      if (fCnt < session.fCntUp) return { drop: 'fcnt_replay', extra: { ...base, fCnt } };
      const dc = dcForPayload(p.phy.length, ctx.params.bytesPerDc);
      const balance = balances.get(session.orgId) ?? 0n;
      if (balance < BigInt(dc)) return { drop: 'dc_exhausted', extra: { ...base, fCnt, dcNeeded: dc } };
      balances.set(session.orgId, balance - BigInt(dc));
      touchedOrgs.add(session.orgId);
      touchedSessions.add(up.devAddr);
      session.fCntUp = fCnt + 1;
      const fCntDown = up.confirmed ? session.fCntDown++ : null;
      const bought = boughtCopies(p.copies, ctx.params.multiBuy);
      packets.push({ packetHash: p.hash, orgId: session.orgId, devAddr: up.devAddr, fCnt, payloadSize: p.phy.length, dcCharged: dc, receivedAtMs: p.copies[0].receivedAtMs });
      for (const c of bought) shares.push({ hotspot: c.frame.hotspot, dcs: dc, receivedAtMs: c.receivedAtMs, packetHash: p.hash });
      return { session, fCnt, dc, bought, fCntDown };
    }

    // Balance, counters, packet rows and DC shares in this one transaction (issue 6).
    await recordPurchases(tx, {
      balances: new Map([...touchedOrgs].map((id) => [id, balances.get(id)!])),
      counters: new Map([...touchedSessions].map((a) => [a, sessions.get(a)!])),
      packets,
      shares,
    }, (late) => {
      ctx.count('dc_shares_late', late);
      ctx.logger.error({ shares: late }, 'packet router: DC shares for an epoch already paid, moved to the next unpaid epoch');
    });
    return out;
  });

  for (let i = 0; i < items.length; i++) {
    const o = outcomes[i];
    if (o.drop !== undefined) dropPacket(ctx, o.drop, items[i].p, o.extra);
    else {
      // charged and committed: a failure to forward is counted, and the frames after it still go out
      try {
        await forward(ctx, items[i].up, items[i].p, o);
      } catch (err) {
        ctx.count('forward_errors');
        ctx.logger.error({ err, packet: items[i].p.hash }, 'packet router: forwarding a packet failed');
      }
    }
  }
}

async function forward(ctx: RouterContext, up: DataUp, p: PacketInfo, o: Exclude<Outcome, { drop: DropReason }>): Promise<void> {
  const { session, fCnt, dc, bought } = o;
  ctx.count('packets_forwarded');
  ctx.count('dc_charged', dc);
  ctx.count('dc_shares', bought.length);
  const boughtSet = new Set(bought.map((c) => c.frame.hotspot));
  const receivedAtMs = p.copies[0].receivedAtMs;
  const appUplink: AppUplink = {
    v: PROTOCOL_VERSION,
    orgId: session.orgId,
    devAddr: up.devAddr,
    devEui: session.devEui,
    mType: up.mType,
    fCnt,
    fPort: up.fPort,
    phyPayload: p.phy.toString('base64'),
    payloadSize: p.phy.length,
    dcCharged: dc,
    receivedAtMs,
    hotspots: p.copies.map((c) => ({ hotspot: c.frame.hotspot, rssiDbm: c.frame.rxInfo.rssi, snrDb: c.frame.rxInfo.snr, bought: boughtSet.has(c.frame.hotspot) })),
  };
  if (up.fPort !== null) appUplink.frmPayloadHex = decryptUplinkPayload(p.phy, session.nwkSKey, session.appSKey, fCnt);
  ctx.publish(ctx.topics.orgUp(session.orgId), appUplink, { qos: 1 });
  ctx.emit('packet', {
    orgId: session.orgId,
    devAddr: up.devAddr,
    devEui: session.devEui,
    fCnt,
    hotspots: p.copies.map((c) => c.frame.hotspot),
    bought: [...boughtSet],
    dcCharged: dc,
    receivedAtMs,
  });

  if (o.fCntDown !== null) {
    // Confirmed uplink → empty ACK downlink, RX1 1 s / RX2 2 s (radio.md §2.2).
    const best = bestCopy(p.copies);
    const region = await regionForCopy(ctx.sql, best);
    if (!region) return ctx.count('downlinks_no_region');
    const phy = buildAckDown(session.nwkSKey, session.appSKey, up.devAddr, o.fCntDown);
    const frame = tryBuildDownlinkFrame(downlinkIdFor(p.hash, 0xac), best, region, phy, [RX_DELAYS_S.rx1, RX_DELAYS_S.rx2]);
    if (!frame) return ctx.count('downlinks_bad_radio');
    ctx.publish(ctx.topics.hotspotCommand(best.frame.hotspot, 'down'), frame, { qos: 1 });
    ctx.count('downlinks_sent');
    ctx.count('acks_sent');
  }
}
