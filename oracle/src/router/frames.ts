/**
 * The LoRaWAN 1.0.x frame operations the router needs, over the shared codec
 * (`@hexium/shared/lorawan/index`; specs/radio.md §4): parse uplinks, check MICs, decrypt,
 * derive session keys, build join accepts and ACK downlinks. The one rule of the router's own is
 * {@link fullFCnt}, which must tell a replayed counter from a roll-over. Keys and ids are hex strings;
 * DevAddr and EUIs big-endian as usually written.
 */
import {
  buildDataDown,
  buildJoinAccept as buildJoinAcceptFrame,
  deriveSessionKeys as deriveKeys,
  FrameError,
  parseFrame,
  verifyDataMic,
  verifyJoinRequestMic as verifyJoinMic,
} from '@hexium/shared/lorawan/index';

export type ParsedUplink =
  | { kind: 'join-request'; mType: 'JoinRequest'; joinEui: string; devEui: string; devNonce: number }
  | {
      kind: 'data-up';
      mType: 'UnconfirmedDataUp' | 'ConfirmedDataUp';
      confirmed: boolean;
      devAddr: string;
      adr: boolean;
      ack: boolean;
      fCnt16: number;
      fPort: number | null;
    }
  | { kind: 'other'; mType: string };

/** Parse an uplink PHYPayload; null when the bytes are not a LoRaWAN 1.0.x frame. */
export function parseUplink(phy: Uint8Array): ParsedUplink | null {
  let f;
  try {
    f = parseFrame(phy);
  } catch (e) {
    if (e instanceof FrameError) return null;
    throw e;
  }
  if (f.mType === 'JoinRequest') return { kind: 'join-request', mType: 'JoinRequest', joinEui: f.joinEui!, devEui: f.devEui!, devNonce: f.devNonce! };
  if (f.mType === 'UnconfirmedDataUp' || f.mType === 'ConfirmedDataUp') {
    return { kind: 'data-up', mType: f.mType, confirmed: f.mType === 'ConfirmedDataUp', devAddr: f.devAddr, adr: f.adr, ack: f.ack, fCnt16: f.fCnt, fPort: f.fPort };
  }
  return { kind: 'other', mType: f.mType };
}

/** Join-Request MIC with the AppKey (radio.md §4.2). */
export const verifyJoinRequestMic = (phy: Uint8Array, appKey: string): boolean => verifyJoinMic(phy, appKey);

/** Uplink data MIC with the full 32-bit counter (radio.md §4.2, B0 with Dir = 0). */
export const verifyDataUpMic = (phy: Uint8Array, nwkSKey: string, fCnt32: number): boolean => verifyDataMic(phy, nwkSKey, fCnt32);

/** The decrypted FRMPayload (AppSKey for FPort > 0, NwkSKey for FPort 0) as hex. */
export function decryptUplinkPayload(phy: Uint8Array, nwkSKey: string, appSKey: string, fCnt32: number): string {
  return parseFrame(phy, { nwkSKey, appSKey, fCntMsb: fCnt32 >>> 16 }).payloadHex;
}

/**
 * The 32-bit counter a 16-bit `fCnt16` stands for, given the next expected counter `nextFCnt`: of the
 * values with those low 16 bits, the one nearest to `nextFCnt` (ties go forward), so a frame a little
 * behind reads as a replay and one just past a 16-bit boundary as a roll-over (LoRaWAN 1.0.x §4.3.1.5).
 * A result below `nextFCnt` is a replay. (The shared `fullFCnt` always moves forward, as ChirpStack's
 * `get_full_f_cnt_up` does; a network server that must name replays needs this variant.)
 */
export function fullFCnt(nextFCnt: number, fCnt16: number): number {
  const c0 = nextFCnt - (nextFCnt & 0xffff) + fCnt16;
  const candidates = [c0 - 0x10000, c0, c0 + 0x10000].filter((c) => c >= 0 && c <= 0xffffffff);
  return candidates.reduce((best, c) => {
    const d = Math.abs(c - nextFCnt);
    const bd = Math.abs(best - nextFCnt);
    return d < bd || (d === bd && c > best) ? c : best;
  });
}

/** LoRaWAN 1.0.x session keys (radio.md §4.2). */
export function deriveSessionKeys(appKey: string, joinNonce: number, netId: number, devNonce: number): { nwkSKey: string; appSKey: string } {
  return deriveKeys({ appKey, netId: netId.toString(16).padStart(6, '0'), joinNonce, devNonce });
}

export interface JoinAcceptFields {
  appKey: string;
  joinNonce: number;
  netId: number;
  devAddr: string;
  /** DLSettings: RX1DROffset (bits 6..4) and RX2 data rate (bits 3..0). */
  rx1DrOffset: number;
  rx2Dr: number;
  /** RxDelay in seconds (0 means 1). */
  rxDelayS: number;
}

/** The encrypted Join-Accept as sent on air, no CFList (radio.md §4.1–4.2). */
export function buildJoinAccept(f: JoinAcceptFields): Uint8Array {
  return buildJoinAcceptFrame({
    appKey: f.appKey,
    joinNonce: f.joinNonce,
    netId: f.netId.toString(16).padStart(6, '0'),
    devAddr: f.devAddr,
    dlSettings: ((f.rx1DrOffset & 0x07) << 4) | (f.rx2Dr & 0x0f),
    rxDelay: f.rxDelayS,
  });
}

/** An empty UnconfirmedDataDown with FCtrl.ACK set: the answer to a confirmed uplink. */
export function buildAckDown(nwkSKey: string, appSKey: string, devAddr: string, fCntDown32: number): Uint8Array {
  return buildDataDown({ devAddr, fCnt: fCntDown32, confirmed: false, fPort: null, payload: new Uint8Array(0), ack: true, nwkSKey, appSKey });
}
