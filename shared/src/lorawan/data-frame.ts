/**
 * LoRaWAN 1.0.x data frames: build (encrypt FRMPayload, compute MIC), MIC check, payload decryption and
 * 32-bit frame-counter recovery. Crypto per ../shared/specs/radio.md §4.2 (LoRaWAN 1.0.4 §4.3.3 and
 * §4.4; ChirpStack `lrwn/src/phy_payload.rs`): B0 = 49 ‖ 00×4 ‖ Dir ‖ DevAddr(LE) ‖ FCnt32(LE) ‖ 00 ‖
 * len(msg), MIC = AES-CMAC(NwkSKey, B0 ‖ msg)[0..3]; Ai = 01 ‖ 00×4 ‖ Dir ‖ DevAddr(LE) ‖ FCnt32(LE) ‖
 * 00 ‖ i, FRMPayload ⊕ AES(K, Ai), K = NwkSKey for FPort 0 else AppSKey.
 *
 * The counter is always the full 32-bit value here (the frame carries its low 16 bits), so the
 * lora-packet `FCntMSBytes` byte-order trap (radio.md §4.3) cannot happen on this path; tests check
 * these frames against lora-packet with the upper bytes passed in wire order.
 */
import { aes128EncryptBlockInto, aesCmacInto, aesKey } from './aes128.ts';
import { FrameError, MHDR } from './frame-types.ts';
import { toBytes, type BytesLike } from './hex.ts';

export interface DataFrameFields {
  /** 8 hex, big-endian as written (e.g. "01020304"). */
  devAddr: string;
  /** Full 32-bit frame counter; the frame carries its low 16 bits. */
  fCnt: number;
  confirmed: boolean;
  /** 0 = MAC commands in FRMPayload, 1..223 application, 224 test. Omit only with an empty payload. */
  fPort?: number | null;
  payload: BytesLike;
  /** MAC commands piggy-backed in FHDR (0..15 bytes, sent in clear in 1.0.x). */
  fOpts?: BytesLike;
  adr?: boolean;
  ack?: boolean;
  /** 32 hex. */
  nwkSKey: string;
  /** 32 hex. */
  appSKey: string;
}

export interface DataUpFields extends DataFrameFields {
  adrAckReq?: boolean;
  classB?: boolean;
}

export interface DataDownFields extends DataFrameFields {
  fPending?: boolean;
}

const MAX_PHY_PAYLOAD = 255; // SX127x FIFO / LoRaWAN maximum PHYPayload length

function devAddrNumber(devAddr: string): number {
  if (!/^[0-9a-fA-F]{8}$/.test(devAddr)) throw new FrameError(`devAddr must be 8 hex characters, got "${devAddr}"`);
  return parseInt(devAddr, 16) >>> 0;
}

function checkCounter(fCnt: number): void {
  if (!Number.isInteger(fCnt) || fCnt < 0 || fCnt > 0xffffffff) throw new FrameError(`fCnt must be a 32-bit unsigned integer, got ${fCnt}`);
}

/** Write the 16-byte A/B block header: tag ‖ 00×4 ‖ dir ‖ DevAddr(LE) ‖ FCnt32(LE) ‖ 00 ‖ last. */
function cryptoBlock(out: Uint8Array, o: number, tag: number, dir: number, devAddr: number, fCnt32: number, last: number): void {
  out[o] = tag;
  out[o + 1] = 0; out[o + 2] = 0; out[o + 3] = 0; out[o + 4] = 0;
  out[o + 5] = dir;
  out[o + 6] = devAddr & 0xff; out[o + 7] = (devAddr >>> 8) & 0xff; out[o + 8] = (devAddr >>> 16) & 0xff; out[o + 9] = devAddr >>> 24;
  out[o + 10] = fCnt32 & 0xff; out[o + 11] = (fCnt32 >>> 8) & 0xff; out[o + 12] = (fCnt32 >>> 16) & 0xff; out[o + 13] = fCnt32 >>> 24;
  out[o + 14] = 0;
  out[o + 15] = last;
}

// Scratch space (the code is synchronous, so one set per module is safe): A/B blocks, keystream, MIC input.
const BLOCK = new Uint8Array(16);
const STREAM = new Uint8Array(16);
const MIC_INPUT = new Uint8Array(16 + 256);
const TAG = new Uint8Array(16);

/** XOR `buf[start..end)` in place with the Ai key stream (encryption and decryption are the same). */
export function cryptFrmPayload(key: string, dir: 0 | 1, devAddr: number, fCnt32: number, buf: Uint8Array, start: number, end: number): void {
  const len = end - start;
  if (len <= 0) return;
  const k = aesKey(key);
  for (let i = 0, o = start; o < end; i++, o += 16) {
    cryptoBlock(BLOCK, 0, 0x01, dir, devAddr, fCnt32, i + 1);
    aes128EncryptBlockInto(k, BLOCK, 0, STREAM, 0);
    const n = Math.min(16, end - o);
    for (let j = 0; j < n; j++) buf[o + j] ^= STREAM[j];
  }
}

/** The 4-byte data-frame MIC over `phy[0..len-4)` as a 32-bit number (big-endian read of MIC bytes). */
export function computeDataMic(phy: Uint8Array, nwkSKey: string, dir: 0 | 1, devAddr: number, fCnt32: number): number {
  const msgLen = phy.length - 4;
  if (msgLen > 255) throw new FrameError(`frame of ${phy.length} bytes is longer than a PHYPayload can be`);
  cryptoBlock(MIC_INPUT, 0, 0x49, dir, devAddr, fCnt32, msgLen);
  for (let i = 0; i < msgLen; i++) MIC_INPUT[16 + i] = phy[i]; // a loop beats subarray()+set() for short frames
  const t = aesCmacInto(aesKey(nwkSKey), MIC_INPUT, 16 + msgLen, TAG);
  return ((t[0] << 24) | (t[1] << 16) | (t[2] << 8) | t[3]) >>> 0;
}

function buildData(f: DataFrameFields, down: boolean, flags: number): Uint8Array {
  const devAddr = devAddrNumber(f.devAddr);
  checkCounter(f.fCnt);
  const payload = toBytes(f.payload);
  const fOpts = f.fOpts === undefined ? new Uint8Array(0) : toBytes(f.fOpts);
  const fPort = f.fPort ?? null;
  if (fOpts.length > 15) throw new FrameError(`FOpts may hold at most 15 bytes, got ${fOpts.length}`);
  if (fPort === null && payload.length > 0) throw new FrameError('a payload needs an FPort');
  if (fPort !== null && (!Number.isInteger(fPort) || fPort < 0 || fPort > 255)) throw new FrameError(`fPort must be 0..255, got ${fPort}`);
  if (fPort === 0 && fOpts.length > 0) throw new FrameError('FPort 0 (MAC commands in FRMPayload) cannot carry FOpts too (LoRaWAN 1.0.4 §4.3.1.6)');
  const fhdrEnd = 8 + fOpts.length;
  const len = fhdrEnd + (fPort === null ? 0 : 1 + payload.length) + 4;
  if (len > MAX_PHY_PAYLOAD) throw new FrameError(`PHYPayload would be ${len} bytes, more than ${MAX_PHY_PAYLOAD}`);

  const confirmed = f.confirmed;
  const mhdr = down ? (confirmed ? MHDR.ConfirmedDataDown : MHDR.UnconfirmedDataDown) : confirmed ? MHDR.ConfirmedDataUp : MHDR.UnconfirmedDataUp;
  const phy = new Uint8Array(len);
  phy[0] = mhdr;
  phy[1] = devAddr & 0xff; phy[2] = (devAddr >>> 8) & 0xff; phy[3] = (devAddr >>> 16) & 0xff; phy[4] = devAddr >>> 24;
  phy[5] = (f.adr ? 0x80 : 0) | (f.ack ? 0x20 : 0) | flags | fOpts.length;
  phy[6] = f.fCnt & 0xff;
  phy[7] = (f.fCnt >>> 8) & 0xff;
  phy.set(fOpts, 8);
  const dir = down ? 1 : 0;
  if (fPort !== null) {
    phy[fhdrEnd] = fPort;
    phy.set(payload, fhdrEnd + 1);
    cryptFrmPayload(fPort === 0 ? f.nwkSKey : f.appSKey, dir, devAddr, f.fCnt >>> 0, phy, fhdrEnd + 1, fhdrEnd + 1 + payload.length);
  }
  const mic = computeDataMic(phy, f.nwkSKey, dir, devAddr, f.fCnt >>> 0);
  phy[len - 4] = mic >>> 24; phy[len - 3] = (mic >>> 16) & 0xff; phy[len - 2] = (mic >>> 8) & 0xff; phy[len - 1] = mic & 0xff;
  return phy;
}

/** Build an uplink data frame (PHYPayload) with encrypted FRMPayload and MIC. */
export function buildDataUp(f: DataUpFields): Uint8Array {
  return buildData(f, false, (f.adrAckReq ? 0x40 : 0) | (f.classB ? 0x10 : 0));
}

/** Build a downlink data frame (PHYPayload) with encrypted FRMPayload and MIC. */
export function buildDataDown(f: DataDownFields): Uint8Array {
  return buildData(f, true, f.fPending ? 0x10 : 0);
}

/**
 * True when the MIC of data frame `phy` is right for `nwkSKey` and the full 32-bit counter `fCnt32`
 * (its low 16 bits must equal the frame's FCnt). False for anything that is not a data frame.
 */
export function verifyDataMic(phy: Uint8Array, nwkSKey: string, fCnt32: number): boolean {
  if (phy.length < 12) return false;
  const mtype = phy[0] >>> 5;
  if (mtype < 2 || mtype > 5) return false;
  if ((fCnt32 & 0xffff) !== (phy[6] | (phy[7] << 8))) return false;
  const devAddr = (phy[1] | (phy[2] << 8) | (phy[3] << 16) | (phy[4] << 24)) >>> 0;
  const dir = mtype === 3 || mtype === 5 ? 1 : 0;
  const n = phy.length;
  const mic = ((phy[n - 4] << 24) | (phy[n - 3] << 16) | (phy[n - 2] << 8) | phy[n - 1]) >>> 0;
  return computeDataMic(phy, nwkSKey, dir, devAddr, fCnt32 >>> 0) === mic;
}

/**
 * Recover the full 32-bit counter from the 16 bits sent, given the last counter accepted from this
 * device (null before the first frame). A repeat of the last value is a retransmission and returns it;
 * otherwise the counter moves forward by the 16-bit gap. ChirpStack `chirpstack/src/uplink/data.rs`
 * `get_full_f_cnt_up` (next expected = last + 1).
 */
export function fullFCnt(fCnt16: number, lastFCnt32: number | null): number {
  if (!Number.isInteger(fCnt16) || fCnt16 < 0 || fCnt16 > 0xffff) throw new FrameError(`fCnt16 must be 0..65535, got ${fCnt16}`);
  if (lastFCnt32 === null) return fCnt16;
  checkCounter(lastFCnt32);
  if (fCnt16 === (lastFCnt32 & 0xffff)) return lastFCnt32;
  const next = (lastFCnt32 + 1) >>> 0;
  const gap = (fCnt16 - (next & 0xffff)) & 0xffff;
  return (next + gap) >>> 0;
}
