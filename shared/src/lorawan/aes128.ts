/**
 * AES-128 block encryption (FIPS-197) and AES-CMAC (RFC 4493) in plain TypeScript, with the expanded
 * key and the CMAC subkeys cached per key. LoRaWAN 1.0.x needs only the forward cipher for data frames
 * (MIC = AES-CMAC, FRMPayload = AES-CTR-like XOR stream, LoRaWAN 1.0.4 §4.3.3 and §4.4), so this is
 * the hot path of frame build/parse: lora-packet's crypto-js path measured ≈ 3,500 frames/s here, far
 * under the 100,000/s target of issue 4. Join frames (rare) still go through lora-packet.
 *
 * Table-driven implementation (the "T-table" form of FIPS-197 §5.1 with SubBytes/ShiftRows/MixColumns
 * folded into four 256-entry word tables); the S-box is computed at load from its GF(2^8) definition.
 */
import { bytesToHexFast, hexToBytesStrict } from './hex.ts';

const SBOX = new Uint8Array(256);
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);

const rotl8 = (x: number, s: number) => ((x << s) | (x >>> (8 - s))) & 0xff;
const xtime = (x: number) => ((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff;

// FIPS-197 §5.1.1: S(x) = affine(x^-1). Walk the multiplicative group with generator 3 (p) and its
// inverse (q); the affine transform of q is the S-box entry of p.
{
  let p = 1;
  let q = 1;
  do {
    p = p ^ xtime(p); // p · 3
    q ^= q << 1; // q / 3
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    SBOX[p] = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63;
  } while (p !== 1);
  SBOX[0] = 0x63;
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i];
    const s2 = xtime(s);
    const s3 = s2 ^ s;
    const w = ((s2 << 24) | (s << 16) | (s << 8) | s3) >>> 0; // MixColumns column [2,1,1,3]·s
    T0[i] = w;
    T1[i] = ((w >>> 8) | (w << 24)) >>> 0;
    T2[i] = ((w >>> 16) | (w << 16)) >>> 0;
    T3[i] = ((w >>> 24) | (w << 8)) >>> 0;
  }
}

/** FIPS-197 §5.2 key expansion for a 16-byte key: 44 round-key words (big-endian). */
function expandKey(key: Uint8Array): Uint32Array {
  if (key.length !== 16) throw new RangeError(`AES-128 key must be 16 bytes, got ${key.length}`);
  const w = new Uint32Array(44);
  for (let i = 0; i < 4; i++) w[i] = ((key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3]) >>> 0;
  let rcon = 1;
  for (let i = 4; i < 44; i++) {
    let t = w[i - 1];
    if (i % 4 === 0) {
      t = ((SBOX[(t >>> 16) & 0xff] << 24) | (SBOX[(t >>> 8) & 0xff] << 16) | (SBOX[t & 0xff] << 8) | SBOX[t >>> 24]) ^ (rcon << 24);
      rcon = xtime(rcon);
    }
    w[i] = (w[i - 4] ^ t) >>> 0;
  }
  return w;
}

/** Encrypt one 16-byte block `src[so..so+16)` into `dst[do_..do_+16)` with an expanded key. */
function encryptBlockInto(rk: Uint32Array, src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
  let s0 = ((src[so] << 24) | (src[so + 1] << 16) | (src[so + 2] << 8) | src[so + 3]) ^ rk[0];
  let s1 = ((src[so + 4] << 24) | (src[so + 5] << 16) | (src[so + 6] << 8) | src[so + 7]) ^ rk[1];
  let s2 = ((src[so + 8] << 24) | (src[so + 9] << 16) | (src[so + 10] << 8) | src[so + 11]) ^ rk[2];
  let s3 = ((src[so + 12] << 24) | (src[so + 13] << 16) | (src[so + 14] << 8) | src[so + 15]) ^ rk[3];
  let k = 4;
  for (let round = 1; round < 10; round++) {
    const t0 = T0[s0 >>> 24] ^ T1[(s1 >>> 16) & 0xff] ^ T2[(s2 >>> 8) & 0xff] ^ T3[s3 & 0xff] ^ rk[k];
    const t1 = T0[s1 >>> 24] ^ T1[(s2 >>> 16) & 0xff] ^ T2[(s3 >>> 8) & 0xff] ^ T3[s0 & 0xff] ^ rk[k + 1];
    const t2 = T0[s2 >>> 24] ^ T1[(s3 >>> 16) & 0xff] ^ T2[(s0 >>> 8) & 0xff] ^ T3[s1 & 0xff] ^ rk[k + 2];
    const t3 = T0[s3 >>> 24] ^ T1[(s0 >>> 16) & 0xff] ^ T2[(s1 >>> 8) & 0xff] ^ T3[s2 & 0xff] ^ rk[k + 3];
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
    k += 4;
  }
  // Final round: SubBytes + ShiftRows, no MixColumns.
  const o0 = ((SBOX[s0 >>> 24] << 24) | (SBOX[(s1 >>> 16) & 0xff] << 16) | (SBOX[(s2 >>> 8) & 0xff] << 8) | SBOX[s3 & 0xff]) ^ rk[40];
  const o1 = ((SBOX[s1 >>> 24] << 24) | (SBOX[(s2 >>> 16) & 0xff] << 16) | (SBOX[(s3 >>> 8) & 0xff] << 8) | SBOX[s0 & 0xff]) ^ rk[41];
  const o2 = ((SBOX[s2 >>> 24] << 24) | (SBOX[(s3 >>> 16) & 0xff] << 16) | (SBOX[(s0 >>> 8) & 0xff] << 8) | SBOX[s1 & 0xff]) ^ rk[42];
  const o3 = ((SBOX[s3 >>> 24] << 24) | (SBOX[(s0 >>> 16) & 0xff] << 16) | (SBOX[(s1 >>> 8) & 0xff] << 8) | SBOX[s2 & 0xff]) ^ rk[43];
  dst[d] = o0 >>> 24; dst[d + 1] = o0 >>> 16; dst[d + 2] = o0 >>> 8; dst[d + 3] = o0;
  dst[d + 4] = o1 >>> 24; dst[d + 5] = o1 >>> 16; dst[d + 6] = o1 >>> 8; dst[d + 7] = o1;
  dst[d + 8] = o2 >>> 24; dst[d + 9] = o2 >>> 16; dst[d + 10] = o2 >>> 8; dst[d + 11] = o2;
  dst[d + 12] = o3 >>> 24; dst[d + 13] = o3 >>> 16; dst[d + 14] = o3 >>> 8; dst[d + 15] = o3;
}

/** An AES-128 key ready for use: expanded round keys and the RFC 4493 CMAC subkeys K1, K2. */
export interface Aes128Key {
  roundKeys: Uint32Array;
  k1: Uint8Array;
  k2: Uint8Array;
}

/** RFC 4493 §2.3 subkey generation: K1 = L·x, K2 = K1·x in GF(2^128) (Rb = 0x87). */
function shiftLeftOne(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = ((src[i] << 1) | (i < 15 ? src[i + 1] >>> 7 : 0)) & 0xff;
  if (src[0] & 0x80) out[15] ^= 0x87;
  return out;
}

const keyCache = new Map<string, Aes128Key>();
const MAX_CACHED = 10_000;

/** Prepare (and cache) a key given as 32 hex characters or 16 bytes. */
export function aesKey(key: string | Uint8Array): Aes128Key {
  if (typeof key === 'string') {
    const hit = keyCache.get(key); // fast path: the exact string seen before
    if (hit) return hit;
  }
  const id = typeof key === 'string' ? key.toLowerCase() : bytesToHexFast(key);
  let k = keyCache.get(id);
  if (!k) {
    const raw = typeof key === 'string' ? hexToBytesStrict(key, 16) : key;
    const roundKeys = expandKey(raw);
    const l = new Uint8Array(16);
    encryptBlockInto(roundKeys, new Uint8Array(16), 0, l, 0);
    const k1 = shiftLeftOne(l);
    k = { roundKeys, k1, k2: shiftLeftOne(k1) };
    if (keyCache.size >= MAX_CACHED) keyCache.clear();
    keyCache.set(id, k);
  }
  if (typeof key === 'string' && key !== id) keyCache.set(key, k);
  return k;
}

/** AES-128 encryption of one 16-byte block (FIPS-197 "Cipher"). */
export function aes128EncryptBlock(key: string | Uint8Array | Aes128Key, block: Uint8Array): Uint8Array {
  if (block.length !== 16) throw new RangeError(`AES block must be 16 bytes, got ${block.length}`);
  const k = isPrepared(key) ? key : aesKey(key);
  const out = new Uint8Array(16);
  encryptBlockInto(k.roundKeys, block, 0, out, 0);
  return out;
}

/** Encrypt one block `src[so..so+16)` into `dst[d..d+16)` (may be the same buffer). */
export function aes128EncryptBlockInto(key: Aes128Key, src: Uint8Array, so: number, dst: Uint8Array, d: number): void {
  encryptBlockInto(key.roundKeys, src, so, dst, d);
}

/** Encrypt `src` block by block in place into `dst` (ECB; length a multiple of 16). */
export function aes128EncryptEcb(key: Aes128Key, src: Uint8Array, dst: Uint8Array = new Uint8Array(src.length)): Uint8Array {
  if (src.length % 16 !== 0) throw new RangeError('ECB input must be a multiple of 16 bytes');
  for (let o = 0; o < src.length; o += 16) encryptBlockInto(key.roundKeys, src, o, dst, o);
  return dst;
}

/** AES-CMAC (RFC 4493 §2.4) of `msg`; returns the full 16-byte tag. */
export function aesCmac(key: string | Uint8Array | Aes128Key, msg: Uint8Array): Uint8Array {
  const k = isPrepared(key) ? key : aesKey(key);
  return aesCmacInto(k, msg, msg.length, new Uint8Array(16));
}

/** AES-CMAC of `msg[0..len)` written into `x` (16 bytes, overwritten); returns `x`. No allocation. */
export function aesCmacInto(k: Aes128Key, msg: Uint8Array, len: number, x: Uint8Array): Uint8Array {
  const n = Math.max(1, Math.ceil(len / 16));
  const complete = len > 0 && len % 16 === 0;
  x.fill(0);
  for (let b = 0; b < n - 1; b++) {
    for (let i = 0; i < 16; i++) x[i] ^= msg[16 * b + i];
    encryptBlockInto(k.roundKeys, x, 0, x, 0);
  }
  // Last block: XOR with K1 when complete, else pad 10* and XOR with K2.
  const last = 16 * (n - 1);
  const sub = complete ? k.k1 : k.k2;
  for (let i = 0; i < 16; i++) {
    const j = last + i;
    const m = j < len ? msg[j] : j === len ? 0x80 : 0;
    x[i] ^= m ^ sub[i];
  }
  encryptBlockInto(k.roundKeys, x, 0, x, 0);
  return x;
}

function isPrepared(k: unknown): k is Aes128Key {
  return typeof k === 'object' && k !== null && 'roundKeys' in k;
}
