/**
 * The ChaCha block function (D. J. Bernstein, "ChaCha, a variant of Salsa20", 2008; RFC 8439 §2.3),
 * with the number of rounds as a parameter: 20 for ChaCha20, 12 for ChaCha12 — what Rust's
 * `rand_chacha::ChaCha12Rng` (rand 0.8/0.9 `StdRng`) runs, and so what Helium's beacon uses.
 *
 * State: 4 constant words ‖ 8 key words ‖ 4 words of counter and nonce. RFC 8439 puts a 32-bit counter
 * and a 96-bit nonce there; djb's original (and rand_chacha) a 64-bit counter and a 64-bit nonce. For
 * counters below 2^32 and a zero nonce both layouts give the same words, so one function serves both.
 */

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]; // "expand 32-byte k"

function le32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** The key as eight little-endian words, each kept as an int32 so the rounds stay in small integers. */
function keyWords(key: Uint8Array): Int32Array {
  if (key.length !== 32) throw new RangeError(`ChaCha key must be 32 bytes, got ${key.length}`);
  const k = new Int32Array(8);
  for (let i = 0; i < 8; i++) k[i] = le32(key, 4 * i) | 0;
  return k;
}

function checkRounds(rounds: number): void {
  if (rounds % 2 !== 0 || rounds <= 0) throw new RangeError(`ChaCha rounds must be a positive even number, got ${rounds}`);
}

/**
 * One block written into `out[offset .. offset + take)` (take ≤ 16): the state after the rounds plus the
 * input state, as little-endian words. State words 12..15 (counter and nonce) are t12..t15. Every word
 * is handled as an int32 (same bits as the uint32; a Uint32Array stores the sum mod 2^32).
 */
function blockInto(k: Int32Array, t12: number, t13: number, t14: number, t15: number, rounds: number, out: Uint32Array, offset: number, take: number): void {
  const j0 = SIGMA[0], j1 = SIGMA[1], j2 = SIGMA[2], j3 = SIGMA[3];
  const j4 = k[0], j5 = k[1], j6 = k[2], j7 = k[3], j8 = k[4], j9 = k[5], j10 = k[6], j11 = k[7];
  const j12 = t12 | 0, j13 = t13 | 0, j14 = t14 | 0, j15 = t15 | 0;
  let x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
  let x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15;
  // Quarter round QR(a, b, c, d): a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12;
  //                               a += b; d ^= a; d <<<= 8;  c += d; b ^= c; b <<<= 7   (RFC 8439 §2.1)
  for (let r = 0; r < rounds; r += 2) {
    // column round: QR(0,4,8,12) QR(1,5,9,13) QR(2,6,10,14) QR(3,7,11,15)
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 16) | (x12 >>> 16); x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 12) | (x4 >>> 20);
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 8) | (x12 >>> 24); x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 7) | (x4 >>> 25);
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 16) | (x13 >>> 16); x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 12) | (x5 >>> 20);
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 8) | (x13 >>> 24); x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 7) | (x5 >>> 25);
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 16) | (x14 >>> 16); x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 12) | (x6 >>> 20);
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 8) | (x14 >>> 24); x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 7) | (x6 >>> 25);
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 16) | (x15 >>> 16); x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 12) | (x7 >>> 20);
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 8) | (x15 >>> 24); x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 7) | (x7 >>> 25);
    // diagonal round: QR(0,5,10,15) QR(1,6,11,12) QR(2,7,8,13) QR(3,4,9,14)
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 16) | (x15 >>> 16); x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 12) | (x5 >>> 20);
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 8) | (x15 >>> 24); x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 7) | (x5 >>> 25);
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 16) | (x12 >>> 16); x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 12) | (x6 >>> 20);
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 8) | (x12 >>> 24); x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 7) | (x6 >>> 25);
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 16) | (x13 >>> 16); x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 12) | (x7 >>> 20);
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 8) | (x13 >>> 24); x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 7) | (x7 >>> 25);
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 16) | (x14 >>> 16); x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 12) | (x4 >>> 20);
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 8) | (x14 >>> 24); x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 7) | (x4 >>> 25);
  }
  // Add the input state (RFC 8439 §2.3 step "state += initial_state"); a Uint32Array stores mod 2^32.
  const x = [x0 + j0, x1 + j1, x2 + j2, x3 + j3, x4 + j4, x5 + j5, x6 + j6, x7 + j7, x8 + j8, x9 + j9, x10 + j10, x11 + j11, x12 + j12, x13 + j13, x14 + j14, x15 + j15];
  for (let i = 0; i < take; i++) out[offset + i] = x[i];
}

/**
 * One 64-byte block as 16 little-endian words (the state after the rounds plus the input state).
 * `tail` = state words 12..15 (counter and nonce words).
 */
export function chachaBlockWords(key: Uint8Array, tail: readonly [number, number, number, number], rounds: number): Uint32Array {
  const k = keyWords(key);
  checkRounds(rounds);
  const out = new Uint32Array(16);
  blockInto(k, tail[0], tail[1], tail[2], tail[3], rounds, out, 0, 16);
  return out;
}

/** RFC 8439 §2.3 block: 32-bit counter, 96-bit nonce; returns the 64 serialized bytes. */
export function chachaBlockRfc8439(key: Uint8Array, counter: number, nonce: Uint8Array, rounds = 20): Uint8Array {
  if (nonce.length !== 12) throw new RangeError(`RFC 8439 nonce must be 12 bytes, got ${nonce.length}`);
  const w = chachaBlockWords(key, [counter, le32(nonce, 0), le32(nonce, 4), le32(nonce, 8)], rounds);
  const out = new Uint8Array(64);
  for (let i = 0; i < 16; i++) {
    out[4 * i] = w[i] & 0xff; out[4 * i + 1] = (w[i] >>> 8) & 0xff; out[4 * i + 2] = (w[i] >>> 16) & 0xff; out[4 * i + 3] = w[i] >>> 24;
  }
  return out;
}

/**
 * The first `count` 32-bit keystream words of a ChaCha generator seeded with a 32-byte key, block
 * counter from 0 (64-bit) and a zero 64-bit stream id — `rand_chacha::ChaChaXRng::from_seed(key)`
 * followed by `next_u32()` calls.
 */
export function chachaKeystreamWords(key: Uint8Array, count: number, rounds: number): Uint32Array {
  const k = keyWords(key);
  checkRounds(rounds);
  const out = new Uint32Array(count);
  for (let block = 0, filled = 0; filled < count; block++, filled += 16) {
    blockInto(k, block, 0, 0, 0, rounds, out, filled, Math.min(16, count - filled));
  }
  return out;
}
