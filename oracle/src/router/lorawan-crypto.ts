/**
 * LoRaWAN 1.0.x cryptography for the router's network and join server (specs/radio.md §4.2):
 * AES-128 ECB blocks and AES-CMAC (RFC 4493) over node:crypto. The oracle is a shell, not a pure core,
 * so node:crypto is allowed here.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AES-128-ECB encryption of whole 16-byte blocks, no padding. */
export function aesEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** AES-128-ECB decryption of whole 16-byte blocks, no padding. */
export function aesDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  const d = createDecipheriv('aes-128-ecb', key, null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

function shiftLeft(b: Buffer): Buffer {
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) out[i] = ((b[i] << 1) | (i < 15 ? b[i + 1] >> 7 : 0)) & 0xff;
  return out;
}

/** RFC 4493 subkey: K·x in GF(2^128), Rb = 0x87. */
function subkey(b: Buffer): Buffer {
  const k = shiftLeft(b);
  if (b[0] & 0x80) k[15] ^= 0x87;
  return k;
}

/** AES-CMAC (RFC 4493), full 16-byte tag. */
export function aesCmac(key: Uint8Array, msg: Uint8Array): Buffer {
  const k1 = subkey(aesEncrypt(key, Buffer.alloc(16)));
  const k2 = subkey(k1);
  const n = Math.max(1, Math.ceil(msg.length / 16));
  const complete = msg.length > 0 && msg.length % 16 === 0;
  const last = Buffer.alloc(16);
  const tail = msg.subarray((n - 1) * 16);
  tail.forEach((v, i) => (last[i] = v));
  if (!complete) last[tail.length] = 0x80;
  const k = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) last[i] ^= k[i];
  let x: Buffer = Buffer.alloc(16);
  for (let b = 0; b < n - 1; b++) {
    const y = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) y[i] = x[i] ^ msg[b * 16 + i];
    x = aesEncrypt(key, y);
  }
  for (let i = 0; i < 16; i++) last[i] ^= x[i];
  return aesEncrypt(key, last);
}

/** Block `prefix ‖ 00×4 ‖ Dir ‖ DevAddr (LE) ‖ FCnt32 (LE) ‖ 00 ‖ last` (B0 for the MIC, Ai for payloads). */
export function counterBlock(prefix: number, dir: 0 | 1, devAddr: number, fCnt32: number, last: number): Buffer {
  const b = Buffer.alloc(16);
  b[0] = prefix;
  b[5] = dir;
  b.writeUInt32LE(devAddr >>> 0, 6);
  b.writeUInt32LE(fCnt32 >>> 0, 10);
  b[15] = last;
  return b;
}

/** Data-frame MIC: AES-CMAC(NwkSKey, B0 ‖ msg)[0..3] (radio.md §4.2). */
export function dataMic(nwkSKey: Uint8Array, dir: 0 | 1, devAddr: number, fCnt32: number, msg: Uint8Array): Buffer {
  return aesCmac(nwkSKey, Buffer.concat([counterBlock(0x49, dir, devAddr, fCnt32, msg.length), msg])).subarray(0, 4);
}

/** FRMPayload encryption = decryption: XOR with AES(K, Ai), i = 1..⌈len/16⌉ (radio.md §4.2). */
export function cryptFrmPayload(key: Uint8Array, dir: 0 | 1, devAddr: number, fCnt32: number, payload: Uint8Array): Buffer {
  const out = Buffer.from(payload);
  for (let i = 0; i * 16 < out.length; i++) {
    const s = aesEncrypt(key, counterBlock(0x01, dir, devAddr, fCnt32, i + 1));
    for (let j = 0; j < 16 && i * 16 + j < out.length; j++) out[i * 16 + j] ^= s[j];
  }
  return out;
}
