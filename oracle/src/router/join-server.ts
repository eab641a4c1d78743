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
import { allocateDevAddr, claimDevNonce, deleteSessionsOf, findOtaaDevice, insertJoinedSession, nextJoinNonce } from '../store/router-store.ts';
import { RX_DELAYS_S, rx2Window } from './rx-windows.ts';

type JoinRequest = Extract<ParsedUplink, { kind: 'join-request' }>;

/**
 * Helium's LoRaWAN NetID 0x000024 (type 0, NwkID 0x24), whose DevAddr block is 0x48000000/7 — the
 * `48000000…` ranges organizations are given (helium/packet-router, helium/oracles iot_config).
 */
export const HELIUM_NET_ID = 0x000024;

class DevAddrExhausted extends Error {}

export async function handleJoinRequest(ctx: RouterContext, jr: JoinRequest, p: PacketInfo): Promise<void> {
  const dev = await findOtaaDevice(ctx.sql, jr.devEui);
  const base = { join: true as const, devEui: jr.devEui };
  if (!dev || dev.joinEui !== jr.joinEui) return dropPacket(ctx, 'unknown_device', p, base);
  const appKey = dev.appKey;
  if (!verifyJoinRequestMic(p.phy, appKey)) return dropPacket(ctx, 'bad_mic', p, { ...base, orgId: dev.orgId });

  const best = bestCopy(p.copies);
  const region = await regionForCopy(ctx.sql, best);
  if (!region) {
    ctx.count('downlinks_no_region');
    return dropPacket(ctx, 'invalid_packet', p, { ...base, orgId: dev.orgId });
  }
  const rx2 = rx2Window(region);
  const nowMs = ctx.clock.now();
  const outcome = await ctx.sql.transaction(async (tx) => {
    if (!(await claimDevNonce(tx, jr.devEui, jr.devNonce))) return 'devnonce_replay' as const;
    // JoinNonce: a per-device counter (LoRaWAN 1.0.4 §6.2.3; 1.0.2 allowed any unused nonce), 24 bits.
    const joinNonce = await nextJoinNonce(tx, jr.devEui);
    await deleteSessionsOf(tx, jr.devEui);
    const devAddr = await allocateDevAddr(tx, dev.orgId);
    if (!devAddr) throw new DevAddrExhausted(); // roll back: keep the old session and the DevNonce unused
    const keys = deriveSessionKeys(appKey, joinNonce, HELIUM_NET_ID, jr.devNonce);
    await insertJoinedSession(tx, { devAddr, orgId: dev.orgId, devEui: jr.devEui, nwkSKey: keys.nwkSKey, appSKey: keys.appSKey, nowMs });
    return { devAddr, joinNonce };
  }).catch((e) => {
    if (e instanceof DevAddrExhausted) return 'devaddr_exhausted' as const;
    throw e;
  });
  if (typeof outcome === 'string') return dropPacket(ctx, outcome, p, { ...base, orgId: dev.orgId });

  const phy = buildJoinAccept({ appKey, joinNonce: outcome.joinNonce, netId: HELIUM_NET_ID, devAddr: outcome.devAddr, rx1DrOffset: 0, rx2Dr: rx2.dr, rxDelayS: RX_DELAYS_S.rx1 });
  const frame = tryBuildDownlinkFrame(downlinkIdFor(p.hash, 0x10), best, region, phy, [RX_DELAYS_S.joinAccept1, RX_DELAYS_S.joinAccept2]);
  if (!frame) return ctx.count('downlinks_bad_radio');
  ctx.publish(ctx.topics.hotspotCommand(best.frame.hotspot, 'down'), frame, { qos: 1 });
  ctx.count('joins_accepted');
  ctx.count('downlinks_sent');
  ctx.emit('packet', { join: true, orgId: dev.orgId, devEui: jr.devEui, devAddr: outcome.devAddr, hotspots: p.copies.map((c) => c.frame.hotspot), dcCharged: 0, receivedAtMs: p.copies[0].receivedAtMs });
}
