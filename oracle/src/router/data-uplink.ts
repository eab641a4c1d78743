/**
 * One de-duplicated data uplink: find the session, check MIC and frame counter, charge the
 * organization's DC once, buy the packet from the first `multiBuy` hotspots (each earns a DC share of
 * `num_dcs`), forward an `AppUplink` to the organization and ACK confirmed uplinks.
 * Sources: specs/poc-and-rewards.md §(d) "Data transfer"; helium/oracles iot_packet_verifier.
 */
import type { AppUplink } from '@hexium/shared/protocol/index';
import { PROTOCOL_VERSION } from '@hexium/shared/protocol/index';
import type { RouterContext, DropReason } from './context.ts';
import { dcForPayload } from './dc.ts';
import { bestCopy, regionForCopy, tryBuildDownlinkFrame, type ReceivedCopy } from './downlink.ts';
import { buildAckDown, decryptUplinkPayload, fullFCnt, verifyDataUpMic, type ParsedUplink } from './frames.ts';
import { getSession } from './org-store.ts';
import { RX_DELAYS_S } from './rx-windows.ts';

type DataUp = Extract<ParsedUplink, { kind: 'data-up' }>;

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

export function dropPacket(ctx: RouterContext, reason: DropReason, p: PacketInfo, extra: Record<string, unknown> = {}): void {
  ctx.count(`dropped_${reason}`);
  ctx.emit('packet', { dropped: reason, ...extra, hotspots: p.copies.map((c) => c.frame.hotspot), receivedAtMs: p.copies[0].receivedAtMs });
}

/** A 32-bit downlink id from the packet hash (deterministic; correlates the TX ack). */
export const downlinkIdFor = (hash: string, salt: number) => (parseInt(hash.slice(0, 8), 16) ^ salt) >>> 0;

export async function handleDataUplink(ctx: RouterContext, up: DataUp, p: PacketInfo): Promise<void> {
  const session = await getSession(ctx.sql, up.devAddr);
  if (!session) return dropPacket(ctx, 'unknown_device', p, { devAddr: up.devAddr });
  const fCnt = fullFCnt(session.fCntUp, up.fCnt16);
  const base = { orgId: session.orgId, devAddr: up.devAddr };
  // A forged frame fails the MIC; a replayed one passes it with an old counter.
  if (!verifyDataUpMic(p.phy, session.nwkSKey, fCnt)) return dropPacket(ctx, 'bad_mic', p, base);
  if (fCnt < session.fCntUp) return dropPacket(ctx, 'fcnt_replay', p, { ...base, fCnt });

  const dc = dcForPayload(p.phy.length, ctx.params.bytesPerDc);
  const bought = boughtCopies(p.copies, ctx.params.multiBuy);
  const receivedAtMs = p.copies[0].receivedAtMs;
  // Balance, counter, packet row and DC shares in one transaction (issue 6: "Balance update and share rows in one transaction").
  const fCntDown = await ctx.sql.transaction(async (tx) => {
    const paid = await tx.query('UPDATE router_orgs SET dc_balance = dc_balance - $2 WHERE org_id = $1 AND dc_balance >= $2 RETURNING org_id', [session.orgId, dc]);
    if (paid.rows.length === 0) return null;
    const s = await tx.query<{ f_cnt_down: number }>(
      'UPDATE router_sessions SET f_cnt_up = $2, f_cnt_down = f_cnt_down + $3 WHERE dev_addr = $1 RETURNING f_cnt_down',
      [up.devAddr, fCnt + 1, up.confirmed ? 1 : 0],
    );
    await tx.query(
      `INSERT INTO router_packets (packet_hash, org_id, dev_addr, f_cnt, payload_size, dc_charged, received_at_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (packet_hash) DO NOTHING`,
      [p.hash, session.orgId, up.devAddr, fCnt, p.phy.length, dc, receivedAtMs],
    );
    for (const c of bought) {
      await tx.query(
        'INSERT INTO router_dc_shares (hotspot, dcs, received_at_ms, packet_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (packet_hash, hotspot) DO NOTHING',
        [c.frame.hotspot, dc, c.receivedAtMs, p.hash],
      );
    }
    return Number(s.rows[0].f_cnt_down) - (up.confirmed ? 1 : 0);
  });
  if (fCntDown === null) return dropPacket(ctx, 'dc_exhausted', p, { ...base, fCnt, dcNeeded: dc });

  ctx.count('packets_forwarded');
  ctx.count('dc_charged', dc);
  ctx.count('dc_shares', bought.length);
  const boughtSet = new Set(bought.map((c) => c.frame.hotspot));
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

  if (up.confirmed) {
    // Confirmed uplink → empty ACK downlink, RX1 1 s / RX2 2 s (radio.md §2.2).
    const best = bestCopy(p.copies);
    const region = await regionForCopy(ctx.sql, best);
    if (!region) return ctx.count('downlinks_no_region');
    const phy = buildAckDown(session.nwkSKey, session.appSKey, up.devAddr, fCntDown);
    const frame = tryBuildDownlinkFrame(downlinkIdFor(p.hash, 0xac), best, region, phy, [RX_DELAYS_S.rx1, RX_DELAYS_S.rx2]);
    if (!frame) return ctx.count('downlinks_bad_radio');
    ctx.publish(ctx.topics.hotspotCommand(best.frame.hotspot, 'down'), frame, { qos: 1 });
    ctx.count('downlinks_sent');
    ctx.count('acks_sent');
  }
}
