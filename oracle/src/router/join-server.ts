/**
 * Join server (LoRaWAN 1.0.x OTAA, specs/radio.md §4): a JoinRequest from a known device with a valid
 * MIC (AppKey) and an unused DevNonce gets a DevAddr from its organization's ranges, fresh session
 * keys and a JoinAccept sent through the best hotspot in RX1 (5 s) / RX2 (6 s). Joins are not charged
 * (Helium charges uplinks only, specs/poc-and-rewards.md §(d)).
 */
import type { RouterContext } from './context.ts';
import { dropPacket, downlinkIdFor, type PacketInfo } from './data-uplink.ts';
import { bestCopy, regionForCopy, tryBuildDownlinkFrame } from './downlink.ts';
import { buildJoinAccept, deriveSessionKeys, verifyJoinRequestMic, type ParsedUplink } from './frames.ts';
import { hex32 } from './org-store.ts';
import type { SqlQuery } from './sql.ts';
import { RX_DELAYS_S, rx2Window } from './rx-windows.ts';

type JoinRequest = Extract<ParsedUplink, { kind: 'join-request' }>;

/**
 * Helium's LoRaWAN NetID 0x000024 (type 0, NwkID 0x24), whose DevAddr block is 0x48000000/7 — the
 * `48000000…` ranges organizations are given (helium/packet-router, helium/oracles iot_config).
 */
export const HELIUM_NET_ID = 0x000024;

class DevAddrExhausted extends Error {}

/** Lowest DevAddr of the organization's ranges not held by one of its sessions. */
async function allocateDevAddr(tx: SqlQuery, orgId: string): Promise<string | null> {
  const ranges = await tx.query<{ s: number; e: number }>('SELECT start_addr AS s, end_addr AS e FROM router_devaddr_ranges WHERE org_id = $1 ORDER BY start_addr', [orgId]);
  const used = new Set((await tx.query<{ dev_addr: string }>('SELECT dev_addr FROM router_sessions WHERE org_id = $1', [orgId])).rows.map((r) => r.dev_addr));
  for (const r of ranges.rows) {
    for (let a = Number(r.s); a <= Number(r.e) && a <= Number(r.s) + used.size; a++) {
      if (!used.has(hex32(a))) return hex32(a);
    }
  }
  return null;
}

export async function handleJoinRequest(ctx: RouterContext, jr: JoinRequest, p: PacketInfo): Promise<void> {
  const dev = (
    await ctx.sql.query<{ org_id: string; join_eui: string; app_key: string }>('SELECT org_id, join_eui, app_key FROM router_devices WHERE dev_eui = $1', [jr.devEui])
  ).rows[0];
  const base = { join: true as const, devEui: jr.devEui };
  if (!dev || dev.join_eui !== jr.joinEui) return dropPacket(ctx, 'unknown_device', p, base);
  const appKey = dev.app_key;
  if (!verifyJoinRequestMic(p.phy, appKey)) return dropPacket(ctx, 'bad_mic', p, { ...base, orgId: dev.org_id });

  const best = bestCopy(p.copies);
  const region = await regionForCopy(ctx.sql, best);
  if (!region) {
    ctx.count('downlinks_no_region');
    return dropPacket(ctx, 'invalid_packet', p, { ...base, orgId: dev.org_id });
  }
  const rx2 = rx2Window(region);
  const nowMs = ctx.clock.now();
  const outcome = await ctx.sql.transaction(async (tx) => {
    const fresh = await tx.query('INSERT INTO router_dev_nonces (dev_eui, dev_nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING dev_eui', [jr.devEui, jr.devNonce]);
    if (fresh.rows.length === 0) return 'devnonce_replay' as const;
    // JoinNonce: a per-device counter (LoRaWAN 1.0.4 §6.2.3; 1.0.2 allowed any unused nonce), 24 bits.
    const n = await tx.query<{ join_nonce: number }>(
      'UPDATE router_devices SET join_nonce = (join_nonce + 1) % 16777216 WHERE dev_eui = $1 RETURNING join_nonce',
      [jr.devEui],
    );
    const joinNonce = Number(n.rows[0].join_nonce);
    await tx.query('DELETE FROM router_sessions WHERE dev_eui = $1', [jr.devEui]);
    const devAddr = await allocateDevAddr(tx, dev.org_id);
    if (!devAddr) throw new DevAddrExhausted(); // roll back: keep the old session and the DevNonce unused
    const keys = deriveSessionKeys(appKey, joinNonce, HELIUM_NET_ID, jr.devNonce);
    await tx.query(
      `INSERT INTO router_sessions (dev_addr, org_id, dev_eui, nwk_s_key, app_s_key, f_cnt_up, f_cnt_down, created_at_ms)
       VALUES ($1, $2, $3, $4, $5, 0, 0, $6)`,
      [devAddr, dev.org_id, jr.devEui, keys.nwkSKey, keys.appSKey, nowMs],
    );
    return { devAddr, joinNonce };
  }).catch((e) => {
    if (e instanceof DevAddrExhausted) return 'devaddr_exhausted' as const;
    throw e;
  });
  if (typeof outcome === 'string') return dropPacket(ctx, outcome, p, { ...base, orgId: dev.org_id });

  const phy = buildJoinAccept({ appKey, joinNonce: outcome.joinNonce, netId: HELIUM_NET_ID, devAddr: outcome.devAddr, rx1DrOffset: 0, rx2Dr: rx2.dr, rxDelayS: RX_DELAYS_S.rx1 });
  const frame = tryBuildDownlinkFrame(downlinkIdFor(p.hash, 0x10), best, region, phy, [RX_DELAYS_S.joinAccept1, RX_DELAYS_S.joinAccept2]);
  if (!frame) return ctx.count('downlinks_bad_radio');
  ctx.publish(ctx.topics.hotspotCommand(best.frame.hotspot, 'down'), frame, { qos: 1 });
  ctx.count('joins_accepted');
  ctx.count('downlinks_sent');
  ctx.emit('packet', { join: true, orgId: dev.org_id, devEui: jr.devEui, devAddr: outcome.devAddr, hotspots: p.copies.map((c) => c.frame.hotspot), dcCharged: 0, receivedAtMs: p.copies[0].receivedAtMs });
}
