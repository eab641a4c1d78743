/**
 * LoRaWAN 1.0.x over-the-air activation: join request, join accept (encrypted as sent) and the session
 * keys. Building goes through lora-packet (`fromFields` with the AppKey, `generateSessionKeys10`);
 * parsing and MIC checks use the AES-128 code in aes128.ts. Definitions: ../shared/specs/radio.md §4.1
 * and §4.2 (LoRaWAN 1.0.4 §6.2.4–§6.2.5; ChirpStack `lrwn/src/keys.rs` `get_s_key`).
 *
 *   JoinRequest = MHDR ‖ JoinEUI(8, LE) ‖ DevEUI(8, LE) ‖ DevNonce(2, LE) ‖ MIC
 *   JoinAccept  = MHDR ‖ E(JoinNonce(3) ‖ NetID(3) ‖ DevAddr(4) ‖ DLSettings ‖ RxDelay ‖ [CFList 16] ‖ MIC)
 *                 where the server applies AES *decrypt* and the device AES *encrypt* to undo it.
 *   NwkSKey = AES(AppKey, 01 ‖ JoinNonce(3 LE) ‖ NetID(3 LE) ‖ DevNonce(2 LE) ‖ 00×7); AppSKey uses 02.
 */
import { aesCmac, aesKey, aes128EncryptEcb } from './aes128.ts';
import { FrameError } from './frame-types.ts';
import { bytesToHexFast, hexToBytesStrict, reversed, toBytes, type BytesLike } from './hex.ts';
import { loraPacket } from './lora-packet.ts';

function hexField(name: string, value: string, bytes: number): Uint8Array {
  try {
    return hexToBytesStrict(value, bytes);
  } catch {
    throw new FrameError(`${name} must be ${bytes * 2} hex characters, got "${value}"`);
  }
}

function uintField(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new FrameError(`${name} must be an integer 0..${max}, got ${value}`);
  return value;
}

function beBytes(value: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[bytes - 1 - i] = (value >>> (8 * i)) & 0xff;
  return b;
}

export interface JoinRequestFields {
  /** 16 hex, big-endian as written (AppEUI in 1.0.x). */
  joinEui: string;
  devEui: string;
  devNonce: number;
  appKey: string;
}

/** Build a join request with its MIC. */
export function buildJoinRequest(f: JoinRequestFields): Uint8Array {
  const pkt = loraPacket.fromFields(
    {
      MType: 'Join Request',
      AppEUI: Buffer.from(hexField('joinEui', f.joinEui, 8)),
      DevEUI: Buffer.from(hexField('devEui', f.devEui, 8)),
      DevNonce: beBytes(uintField('devNonce', f.devNonce, 0xffff), 2),
    },
    undefined,
    undefined,
    Buffer.from(hexField('appKey', f.appKey, 16)),
  );
  return new Uint8Array(pkt.getPHYPayload()!);
}

export interface JoinAcceptFields {
  /** 24-bit (AppNonce in 1.0.x). */
  joinNonce: number;
  /** 6 hex, big-endian as written. */
  netId: string;
  /** 8 hex, big-endian as written. */
  devAddr: string;
  /** RX1DROffset[6:4] RX2DataRate[3:0]; default 0 (bit 7, OptNeg, is LoRaWAN 1.1 and refused). */
  dlSettings?: number;
  /** RX1 delay in seconds (0 means 1); default 0. */
  rxDelay?: number;
  /** 16 bytes (or 32 hex), optional. */
  cfList?: BytesLike;
  appKey: string;
}

/** Build a join accept, MIC added and encrypted as sent on air. */
export function buildJoinAccept(f: JoinAcceptFields): Uint8Array {
  const cfList = f.cfList === undefined ? new Uint8Array(0) : toBytes(f.cfList);
  if (cfList.length !== 0 && cfList.length !== 16) throw new FrameError(`cfList must be 16 bytes, got ${cfList.length}`);
  const pkt = loraPacket.fromFields(
    {
      MType: 'Join Accept',
      AppNonce: beBytes(uintField('joinNonce', f.joinNonce, 0xffffff), 3),
      NetID: Buffer.from(hexField('netId', f.netId, 3)),
      DevAddr: Buffer.from(hexField('devAddr', f.devAddr, 4)),
      DLSettings: Buffer.from([uintField('dlSettings', f.dlSettings ?? 0, 0x7f)]), // bit 7 (OptNeg) is 1.1 only
      RxDelay: Buffer.from([uintField('rxDelay', f.rxDelay ?? 0, 0xff)]),
      CFList: Buffer.from(cfList), // carried as given (lora-packet does not reverse it)
    },
    undefined,
    undefined,
    Buffer.from(hexField('appKey', f.appKey, 16)),
  );
  return new Uint8Array(pkt.getPHYPayload()!);
}

export interface JoinAcceptContent {
  joinNonce: number;
  netId: string;
  devAddr: string;
  dlSettings: number;
  rxDelay: number;
  /** '' when the accept has no CFList. */
  cfListHex: string;
  micHex: string;
  micValid: boolean;
}

/** Decrypt a join accept with the AppKey and check its MIC. Throws FrameError on a wrong length. */
export function parseJoinAccept(phy: Uint8Array, appKey: string): JoinAcceptContent {
  if (phy.length !== 17 && phy.length !== 33) throw new FrameError(`a join accept is 17 or 33 bytes, got ${phy.length}`);
  if (phy[0] >>> 5 !== 1) throw new FrameError('not a join accept (MType ≠ 001)');
  const key = aesKey(hexField('appKey', appKey, 16));
  const plain = new Uint8Array(phy.length);
  plain[0] = phy[0];
  aes128EncryptEcb(key, phy.subarray(1), plain.subarray(1));
  const n = plain.length;
  const tag = aesCmac(key, plain.subarray(0, n - 4));
  const mic = plain.subarray(n - 4);
  return {
    joinNonce: plain[1] | (plain[2] << 8) | (plain[3] << 16),
    netId: bytesToHexFast(reversed(plain.subarray(4, 7))),
    devAddr: bytesToHexFast(reversed(plain.subarray(7, 11))),
    dlSettings: plain[11],
    rxDelay: plain[12],
    cfListHex: n === 33 ? bytesToHexFast(plain.subarray(13, 29)) : '',
    micHex: bytesToHexFast(mic),
    micValid: tag[0] === mic[0] && tag[1] === mic[1] && tag[2] === mic[2] && tag[3] === mic[3],
  };
}

/** MIC check of a 23-byte join request. */
export function verifyJoinRequestMic(phy: Uint8Array, appKey: string): boolean {
  if (phy.length !== 23) return false;
  const tag = aesCmac(aesKey(hexField('appKey', appKey, 16)), phy.subarray(0, 19));
  return tag[0] === phy[19] && tag[1] === phy[20] && tag[2] === phy[21] && tag[3] === phy[22];
}

export interface SessionKeyInput {
  appKey: string;
  /** 6 hex, big-endian as written. */
  netId: string;
  joinNonce: number;
  devNonce: number;
}

/** LoRaWAN 1.0.x session keys (lowercase hex). */
export function deriveSessionKeys(input: SessionKeyInput): { nwkSKey: string; appSKey: string } {
  const keys = loraPacket.generateSessionKeys10(
    Buffer.from(hexField('appKey', input.appKey, 16)),
    Buffer.from(hexField('netId', input.netId, 3)),
    beBytes(uintField('joinNonce', input.joinNonce, 0xffffff), 3),
    beBytes(uintField('devNonce', input.devNonce, 0xffff), 2),
  );
  return { nwkSKey: keys.NwkSKey.toString('hex'), appSKey: keys.AppSKey.toString('hex') };
}
