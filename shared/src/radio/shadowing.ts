/**
 * Lognormal shadowing Xσ ~ N(0, σ²) dB, added to the mean path loss (../shared/specs/radio.md §3.2),
 * drawn once per (transmitter, receiver) link rather than per packet (radio.md §3.4), so a link keeps
 * its character over a run. The draw is stateless: a pure function of (seed, a, b) built from a few
 * integer multiplies, keyed by integer node ids, reciprocal, so the same link gets the same value in
 * any order and in any process, and a link evaluation stays well under a microsecond.
 */

function mix32(h: number): number {
  // murmur3 fmix32
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two independent uniform (0,1) values from (seed, a, b) → one standard normal (Box–Muller). */
export function hashNormal(seed: number, a: number, b: number): number {
  const h1 = mix32((seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x7feb352d)) >>> 0);
  const h2 = mix32((h1 ^ 0x68e31da4 ^ Math.imul(b + 7, 0x846ca68b)) >>> 0);
  const u1 = (h1 + 1) / 4294967297;
  const u2 = h2 / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Per-link shadowing in dB: reciprocal (a~b = b~a), N(0, σ²). */
export function linkShadowDb(seed: number, a: number, b: number, sigmaDb: number): number {
  if (sigmaDb === 0) return 0;
  return a < b ? sigmaDb * hashNormal(seed, a, b) : sigmaDb * hashNormal(seed, b, a);
}
