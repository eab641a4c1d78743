/**
 * Lognormal shadowing Xσ ~ N(0, σ²) dB, added to the mean path loss (../shared/specs/radio.md §3.2).
 *
 * radio.md §3.4: sample shadowing once per (device, gateway) link rather than per packet, so a link keeps
 * its character over a run; per-packet fast fading, if wanted, is a separate small jitter.
 * `linkShadowingDb` does that without storing anything: the draw is seeded by (run seed, link key), so
 * the same link gets the same value every time, in any order, in any process.
 */
import { createRng, type Rng } from '../random/rng.ts';

/** One shadowing draw in dB from a seeded generator (mean 0, standard deviation `sigmaDb`). */
export function shadowingDb(rng: Rng, sigmaDb: number): number {
  if (!(sigmaDb >= 0) || !Number.isFinite(sigmaDb)) throw new RangeError(`sigmaDb must be ≥ 0, got ${sigmaDb}`);
  if (sigmaDb === 0) return 0;
  return rng.normal(0, sigmaDb);
}

/**
 * The shadowing of one link in dB: a pure function of (seed, linkKey, σ). Use {@link linkKey} to build a
 * key that is the same in both directions (path loss is reciprocal).
 */
export function linkShadowingDb(seed: number | string, linkKey: string, sigmaDb: number): number {
  if (!(sigmaDb >= 0) || !Number.isFinite(sigmaDb)) throw new RangeError(`sigmaDb must be ≥ 0, got ${sigmaDb}`);
  if (sigmaDb === 0) return 0;
  return createRng(`${seed}\u0000${linkKey}`).normal(0, sigmaDb);
}

/** A direction-independent key for the link between two radios (ids sorted, joined by "~"). */
export function linkKey(a: string, b: string): string {
  return a < b ? `${a}~${b}` : `${b}~${a}`;
}

/**
 * Memoised {@link linkShadowingDb} for the simulator's hot path: the first lookup of a link draws its
 * value, later lookups are a Map read. Same values as the function.
 */
export class LinkShadowingTable {
  private readonly cache = new Map<string, number>();

  constructor(
    readonly seed: number | string,
    readonly sigmaDb: number,
  ) {
    if (!(sigmaDb >= 0) || !Number.isFinite(sigmaDb)) throw new RangeError(`sigmaDb must be ≥ 0, got ${sigmaDb}`);
  }

  /** Shadowing in dB of the link named `key`. */
  get(key: string): number {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = linkShadowingDb(this.seed, key, this.sigmaDb);
      this.cache.set(key, v);
    }
    return v;
  }

  /** Number of links drawn so far. */
  get size(): number {
    return this.cache.size;
  }
}
