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
    const rows = await tx.query<{ dev_addr: string; org_id: string; dev_eui: string | null; nwk_s_key: string; app_s_key: string; f_cnt_up: number; f_cnt_down: number }>(
      'SELECT dev_addr, org_id, dev_eui, nwk_s_key, app_s_key, f_cnt_up, f_cnt_down FROM router_sessions WHERE dev_addr = ANY($1::text[]) ORDER BY dev_addr FOR UPDATE',
      [addrs],
    );
    const sessions = new Map<string, Session>(
      rows.rows.map((s) => [s.dev_addr, { orgId: s.org_id, devEui: s.dev_eui, nwkSKey: s.nwk_s_key, appSKey: s.app_s_key, fCntUp: Number(s.f_cnt_up), fCntDown: Number(s.f_cnt_down) }]),
    );
    const orgIds = [...new Set([...sessions.values()].map((s) => s.orgId))];
    const bal = await tx.query<{ org_id: string; dc: string }>('SELECT org_id, dc_balance::text AS dc FROM router_orgs WHERE org_id = ANY($1::text[]) ORDER BY org_id FOR UPDATE', [orgIds]);
    const balances = new Map(bal.rows.map((b) => [b.org_id, BigInt(b.dc)]));
    const touchedSessions = new Set<string>();
    const touchedOrgs = new Set<string>();
    const packets: unknown[][] = [[], [], [], [], [], [], []];
    const shares: unknown[][] = [[], [], [], []];

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
      [p.hash, session.orgId, up.devAddr, fCnt, p.phy.length, dc, p.copies[0].receivedAtMs].forEach((v, i) => packets[i].push(v));
      for (const c of bought) [c.frame.hotspot, dc, c.receivedAtMs, p.hash].forEach((v, i) => shares[i].push(v));
      return { session, fCnt, dc, bought, fCntDown };
    }

    // Balance, counters, packet rows and DC shares in this one transaction (issue 6).
    if (touchedOrgs.size > 0) {
      const ids = [...touchedOrgs];
      await tx.query(
        'UPDATE router_orgs o SET dc_balance = v.bal FROM (SELECT unnest($1::text[]) AS id, unnest($2::int8[]) AS bal) v WHERE o.org_id = v.id',
        [ids, ids.map((id) => balances.get(id)!.toString())],
      );
      const as = [...touchedSessions];
      await tx.query(
        `UPDATE router_sessions s SET f_cnt_up = v.up, f_cnt_down = v.down
         FROM (SELECT unnest($1::text[]) AS a, unnest($2::int8[]) AS up, unnest($3::int8[]) AS down) v WHERE s.dev_addr = v.a`,
        [as, as.map((a) => sessions.get(a)!.fCntUp), as.map((a) => sessions.get(a)!.fCntDown)],
      );
      await tx.query(
        `INSERT INTO router_packets (packet_hash, org_id, dev_addr, f_cnt, payload_size, dc_charged, received_at_ms)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int4[], $6::int8[], $7::int8[]) ON CONFLICT (packet_hash) DO NOTHING`,
        packets,
      );
      // A DC share for an epoch already paid (the rewarder waits for the router's horizon, so only a fault
      // gets here) moves to the next unpaid epoch (start ≤ received_at_ms < end), counted, never lost.
      const paid = await tx.query<{ end_s: number }>('SELECT end_s FROM epochs ORDER BY epoch DESC LIMIT 1');
      if (paid.rows.length) {
        const paidEndMs = Number(paid.rows[0].end_s) * 1000;
        const at = shares[2] as number[];
        let late = 0;
        for (let i = 0; i < at.length; i++) {
          if (at[i] >= paidEndMs) continue;
          at[i] = paidEndMs;
          late++;
        }
        if (late > 0) {
          ctx.count('dc_shares_late', late);
          ctx.logger.error({ shares: late }, 'packet router: DC shares for an epoch already paid, moved to the next unpaid epoch');
        }
      }
      await tx.query(
        `INSERT INTO router_dc_shares (hotspot, dcs, received_at_ms, packet_hash)
         SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::text[]) ON CONFLICT (packet_hash, hotspot) DO NOTHING`,
        shares,
      );
    }
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
