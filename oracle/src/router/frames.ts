/**
 * The LoRaWAN 1.0.x frames the router needs (specs/radio.md §4): parse uplinks (data up, join request),
 * check MICs, derive session keys, build join accepts and ACK downlinks, extend 16-bit frame counters.
 * Multi-byte fields are little-endian on the wire; DevAddr and EUIs are given as big-endian hex, as
 * usually written.
 */
import { aesCmac, aesDecrypt, aesEncrypt, cryptFrmPayload, dataMic } from './lorawan-crypto.ts';

/** MType values (MHDR bits 7..5), radio.md §4.1. */
export const MTYPE = {
  JoinRequest: 0,
  JoinAccept: 1,
  UnconfirmedDataUp: 2,
  UnconfirmedDataDown: 3,
  ConfirmedDataUp: 4,
  ConfirmedDataDown: 5,
  Proprietary: 7,
} as const;
const MTYPE_NAMES = ['JoinRequest', 'JoinAccept', 'UnconfirmedDataUp', 'UnconfirmedDataDown', 'ConfirmedDataUp', 'ConfirmedDataDown', 'RejoinRequest', 'Proprietary'];

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
      fOpts: Buffer;
      fPort: number | null;
      frmPayload: Buffer;
    }
  | { kind: 'other'; mType: string };

const hexBE = (b: Uint8Array) => Buffer.from(b).reverse().toString('hex');
const leFromHex = (hex: string) => Buffer.from(hex, 'hex').reverse();

/** Parse a PHYPayload; null when it is too short or malformed for its MType. */
export function parseUplink(phy: Uint8Array): ParsedUplink | null {
  if (phy.length < 1) return null;
  const b = Buffer.from(phy);
  const mType = b[0] >> 5;
  if ((b[0] & 0x03) !== 0 && mType !== MTYPE.Proprietary) return null; // Major must be LoRaWAN R1
  if (mType === MTYPE.JoinRequest) {
    if (b.length !== 23) return null; // MHDR 1 + JoinEUI 8 + DevEUI 8 + DevNonce 2 + MIC 4
    return { kind: 'join-request', mType: 'JoinRequest', joinEui: hexBE(b.subarray(1, 9)), devEui: hexBE(b.subarray(9, 17)), devNonce: b.readUInt16LE(17) };
  }
  if (mType === MTYPE.UnconfirmedDataUp || mType === MTYPE.ConfirmedDataUp) {
    if (b.length < 12) return null; // MHDR 1 + FHDR ≥ 7 + MIC 4
    const fCtrl = b[5];
    const fOptsLen = fCtrl & 0x0f;
    const macEnd = b.length - 4;
    const fhdrEnd = 8 + fOptsLen;
    if (fhdrEnd > macEnd) return null;
    const hasPort = macEnd > fhdrEnd;
    return {
      kind: 'data-up',
      mType: mType === MTYPE.ConfirmedDataUp ? 'ConfirmedDataUp' : 'UnconfirmedDataUp',
      confirmed: mType === MTYPE.ConfirmedDataUp,
      devAddr: hexBE(b.subarray(1, 5)),
      adr: (fCtrl & 0x80) !== 0,
      ack: (fCtrl & 0x20) !== 0,
      fCnt16: b.readUInt16LE(6),
      fOpts: b.subarray(8, fhdrEnd),
      fPort: hasPort ? b[fhdrEnd] : null,
      frmPayload: hasPort ? b.subarray(fhdrEnd + 1, macEnd) : Buffer.alloc(0),
    };
  }
  return { kind: 'other', mType: MTYPE_NAMES[mType] };
}

/** Join-Request MIC = AES-CMAC(AppKey, MHDR ‖ JoinEUI ‖ DevEUI ‖ DevNonce)[0..3] (radio.md §4.2). */
export function verifyJoinRequestMic(phy: Uint8Array, appKey: Uint8Array): boolean {
  const b = Buffer.from(phy);
  return aesCmac(appKey, b.subarray(0, b.length - 4)).subarray(0, 4).equals(b.subarray(b.length - 4));
}

/** Uplink data MIC with the 32-bit counter (radio.md §4.2, B0 with Dir = 0). */
export function verifyDataUpMic(phy: Uint8Array, nwkSKey: Uint8Array, devAddrHex: string, fCnt32: number): boolean {
  const b = Buffer.from(phy);
  const mic = dataMic(nwkSKey, 0, parseInt(devAddrHex, 16), fCnt32, b.subarray(0, b.length - 4));
  return mic.equals(b.subarray(b.length - 4));
}

/** Decrypt an uplink FRMPayload (AppSKey for FPort > 0, NwkSKey for FPort 0). */
export function decryptUplinkPayload(key: Uint8Array, devAddrHex: string, fCnt32: number, frmPayload: Uint8Array): Buffer {
  return cryptFrmPayload(key, 0, parseInt(devAddrHex, 16), fCnt32, frmPayload);
}

/**
 * The 32-bit counter a 16-bit `fCnt16` stands for, given the next expected counter `nextFCnt`: of the
 * values with those low 16 bits, the one nearest to `nextFCnt` (ties go forward), so a frame a little
 * behind reads as a replay and one just past a 16-bit boundary as a roll-over (LoRaWAN 1.0.x §4.3.1.5;
 * ChirpStack `get_full_f_cnt_up`). A result below `nextFCnt` is a replay.
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

/**
 * Session keys (LoRaWAN 1.0.x, radio.md §4.2):
 * NwkSKey = AES(AppKey, 01 ‖ JoinNonce(3 LE) ‖ NetID(3 LE) ‖ DevNonce(2 LE) ‖ pad 00); AppSKey uses 02.
 */
export function deriveSessionKeys(appKey: Uint8Array, joinNonce: number, netId: number, devNonce: number): { nwkSKey: Buffer; appSKey: Buffer } {
  const block = (prefix: number) => {
    const b = Buffer.alloc(16);
    b[0] = prefix;
    b.writeUIntLE(joinNonce, 1, 3);
    b.writeUIntLE(netId, 4, 3);
    b.writeUInt16LE(devNonce, 7);
    return aesEncrypt(appKey, b);
  };
  return { nwkSKey: block(0x01), appSKey: block(0x02) };
}

export interface JoinAcceptFields {
  appKey: Uint8Array;
  joinNonce: number;
  netId: number;
  devAddrHex: string;
  /** DLSettings: RX1DROffset (bits 6..4) and RX2 data rate (bits 3..0). */
  rx1DrOffset: number;
  rx2Dr: number;
  /** RxDelay in seconds (0 means 1). */
  rxDelayS: number;
}

/**
 * Join-Accept: MHDR ‖ AES-decrypt(AppKey, JoinNonce ‖ NetID ‖ DevAddr ‖ DLSettings ‖ RxDelay ‖ MIC),
 * MIC = AES-CMAC(AppKey, MHDR ‖ JoinNonce ‖ NetID ‖ DevAddr ‖ DLSettings ‖ RxDelay)[0..3] (radio.md §4.2:
 * the server uses aes128_decrypt so the device can use aes128_encrypt). No CFList.
 */
export function buildJoinAccept(f: JoinAcceptFields): Buffer {
  const mhdr = Buffer.from([MTYPE.JoinAccept << 5]);
  const body = Buffer.alloc(12);
  body.writeUIntLE(f.joinNonce, 0, 3);
  body.writeUIntLE(f.netId, 3, 3);
  leFromHex(f.devAddrHex).copy(body, 6);
  body[10] = ((f.rx1DrOffset & 0x07) << 4) | (f.rx2Dr & 0x0f);
  body[11] = f.rxDelayS & 0x0f;
  const mic = aesCmac(f.appKey, Buffer.concat([mhdr, body])).subarray(0, 4);
  return Buffer.concat([mhdr, aesDecrypt(f.appKey, Buffer.concat([body, mic]))]);
}

/** An empty UnconfirmedDataDown with FCtrl.ACK set (answer to a confirmed uplink), MIC with Dir = 1. */
export function buildAckDown(nwkSKey: Uint8Array, devAddrHex: string, fCntDown32: number): Buffer {
  const msg = Buffer.alloc(8);
  msg[0] = MTYPE.UnconfirmedDataDown << 5;
  leFromHex(devAddrHex).copy(msg, 1);
  msg[5] = 0x20; // FCtrl: ACK
  msg.writeUInt16LE(fCntDown32 & 0xffff, 6);
  return Buffer.concat([msg, dataMic(nwkSKey, 1, parseInt(devAddrHex, 16), fCntDown32, msg)]);
}
