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

/**
 * One 64-byte block as 16 little-endian words (the state after the rounds plus the input state).
 * `tail` = state words 12..15 (counter and nonce words).
 */
export function chachaBlockWords(key: Uint8Array, tail: readonly [number, number, number, number], rounds: number): Uint32Array {
  if (key.length !== 32) throw new RangeError(`ChaCha key must be 32 bytes, got ${key.length}`);
  if (rounds % 2 !== 0 || rounds <= 0) throw new RangeError(`ChaCha rounds must be a positive even number, got ${rounds}`);
  const input = new Uint32Array(16);
  input.set(SIGMA, 0);
  for (let i = 0; i < 8; i++) input[4 + i] = le32(key, 4 * i);
  for (let i = 0; i < 4; i++) input[12 + i] = tail[i] >>> 0;
  const x = Uint32Array.from(input);
  const qr = (a: number, b: number, c: number, d: number) => {
    x[a] = (x[a] + x[b]) >>> 0; x[d] ^= x[a]; x[d] = (x[d] << 16) | (x[d] >>> 16);
    x[c] = (x[c] + x[d]) >>> 0; x[b] ^= x[c]; x[b] = (x[b] << 12) | (x[b] >>> 20);
    x[a] = (x[a] + x[b]) >>> 0; x[d] ^= x[a]; x[d] = (x[d] << 8) | (x[d] >>> 24);
    x[c] = (x[c] + x[d]) >>> 0; x[b] ^= x[c]; x[b] = (x[b] << 7) | (x[b] >>> 25);
  };
  for (let r = 0; r < rounds; r += 2) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15); // column round
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14); // diagonal round
  }
  for (let i = 0; i < 16; i++) x[i] = (x[i] + input[i]) >>> 0;
  return x;
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
  const out = new Uint32Array(count);
  for (let block = 0, filled = 0; filled < count; block++) {
    const w = chachaBlockWords(key, [block, 0, 0, 0], rounds);
    const take = Math.min(16, count - filled);
    out.set(w.subarray(0, take), filled);
    filled += take;
  }
  return out;
}
