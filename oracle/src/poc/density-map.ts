/**
 * HIP-17 hex density scaling as deployed (oracles iot_verifier/src/hex_density.rs, tx_scaler.rs; spec
 * §(c)). Interactive hotspots' asserted cells are counted at res 11 (never clipped), then summed up
 * resolution by resolution (10 → 4), each parent clipped by how many of its neighbours are "occupied".
 * A location's scale is the product of clipped/unclipped over its parents, 4 dp banker's rounding.
 */
import { gridDisk, isValidCell } from 'h3-js';
import { bitsKey, bitsResolution, bitsToHex, parentBits, parentHi, parentLo, splitCell } from './h3-bits.ts';
import type { DensityTriple, NetworkParams } from '@hexium/shared/params/index';
import { Dec, decString, roundBankers } from './decimal.ts';
import type { GatewayInfo, HotspotHistory } from './types.ts';

/** hex_density.rs: asserted cells are counted at their res-11 parent; coarser assertions are skipped. */
const BASE_RES = 11;
/** hex_density.rs: the clipped resolutions, finest first (res 0–3 and ≥ 11 are never clipped). */
const CLIPPED_RESOLUTIONS = [10, 9, 8, 7, 6, 5, 4];
/** runner.rs / file_store SCALING_PRECISION. */
const SCALING_PRECISION = 4;

/**
 * HIP-17 limit: min(density_max, density_tgt × max(n − N, 0) + density_tgt), n = occupied cells in the
 * disk of radius 1 (the cell itself and its neighbours).
 */
export function densityLimit(occupied: number, [n, tgt, max]: DensityTriple): number {
  return Math.min(max, tgt * Math.max(occupied - n, 0) + tgt);
}

/** One hex of the density tree: its raw and clipped density and its parent one resolution up. */
interface DensityNode {
  hi: number;
  lo: number;
  unclipped: number;
  clipped: number;
  parent: DensityNode | null;
  /** Π of clipped/unclipped from this node up to res 4 as [num, den] (null = too big for doubles), once computed. */
  product?: [number, number] | null;
  /** That product rounded to 4 dp, once computed. */
  scale?: string;
}

interface DensityTree {
  /** Nodes per resolution keyed by `bitsKey`, res 11 first, then 10 … 4. */
  levels: Map<number, DensityNode>[];
  /** Asserted location → its res-11 node (locations coarser than res 11 or invalid are absent). */
  baseOf: Map<string, DensityNode>;
}

function node(hi: number, lo: number): DensityNode {
  return { hi, lo, unclipped: 0, clipped: 0, parent: null };
}

/**
 * hex_density.rs `compute_hex_density_map`, as a tree of nodes linked to their parents. Parents come
 * from bit arithmetic (h3-bits.ts, checked against h3-js), keys are numbers: 100 000 hotspots walk
 * eight resolutions without a string per step.
 */
function buildTree(locations: Iterable<string>, resolutions: Record<string, DensityTriple>): DensityTree {
  const baseOf = new Map<string, DensityNode>();
  let level = new Map<number, DensityNode>();
  for (const h of locations) {
    let base = baseOf.get(h);
    if (base === undefined) {
      if (!isValidCell(h)) continue;
      const [hi, lo] = splitCell(h);
      if (bitsResolution(hi) < BASE_RES) continue;
      const [phi, plo] = parentBits(hi, lo, BASE_RES);
      const key = bitsKey(phi, plo);
      base = level.get(key);
      if (!base) level.set(key, (base = node(phi, plo)));
      baseOf.set(h, base);
    }
    base.unclipped++; // res 11 counts hotspots and is never clipped
    base.clipped++;
  }
  const levels = [level];
  for (const res of CLIPPED_RESOLUTIONS) {
    const raw = new Map<number, DensityNode>();
    for (const child of level.values()) {
      const hi = parentHi(child.hi, res);
      const lo = parentLo(child.lo, res);
      const key = bitsKey(hi, lo);
      let parent = raw.get(key);
      if (!parent) raw.set(key, (parent = node(hi, lo)));
      parent.unclipped += child.clipped; // a parent's raw density is the sum of its children's clipped ones
      child.parent = parent;
    }
    const triple = resolutions[String(res)];
    for (const n of raw.values()) {
      n.clipped = n.unclipped;
      // The limit lies in [tgt, max]: a raw density ≤ tgt is never clipped, and with max = tgt the limit
      // is tgt whatever the neighbours, so the neighbour count (gridDisk) is only needed in between.
      // (A table with max < tgt makes the limit simply max: tgt × k + tgt ≥ tgt > max.)
      if (triple && n.unclipped > Math.min(triple[1], triple[2])) {
        const [, tgt, max] = triple;
        let limit = Math.min(tgt, max);
        if (max > tgt) {
          // Clipping never moves a value across the ≥ tgt threshold (limit ≥ tgt), so counting occupied
          // neighbours on the raw values gives the same n as on clipped ones, in any order (spec §(c) 3c).
          let occupied = 0;
          for (const cell of gridDisk(bitsToHex(n.hi, n.lo), 1)) {
            if ((raw.get(bitsKey(...splitCell(cell)))?.unclipped ?? 0) >= tgt) occupied++;
          }
          limit = densityLimit(occupied, triple);
        }
        n.clipped = Math.min(limit, n.unclipped);
      }
    }
    levels.push(raw);
    level = raw;
  }
  return { levels, baseOf };
}

export interface DensityLevels {
  /** hex → raw density (sum of the children's clipped densities; count of hotspots at res 11). */
  unclipped: Map<string, number>;
  /** hex → clipped density. */
  clipped: Map<string, number>;
}

/** Both density maps for the given cells (H3 hex), every resolution 11..4. For tests and the map UI. */
export function computeDensityLevels(locations: Iterable<string>, resolutions: Record<string, DensityTriple>): DensityLevels {
  const unclipped = new Map<string, number>();
  const clipped = new Map<string, number>();
  for (const level of buildTree(locations, resolutions).levels) {
    for (const n of level.values()) {
      const cell = bitsToHex(n.hi, n.lo);
      unclipped.set(cell, n.unclipped);
      clipped.set(cell, n.clipped);
    }
  }
  return { unclipped, clipped };
}

/** Exact products stay in doubles while both terms are below this (so num × 10 000 < 2^53). */
const EXACT_LIMIT = 2 ** 39;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Π of clipped/unclipped from `node` up to res 4 as an exact fraction [num, den] (ratios of 1 skipped;
 * shared parents computed once), or null when it outgrows exact doubles (then decimal.js is used).
 */
function productOf(node: DensityNode): [number, number] | null {
  if (node.product !== undefined) return node.product;
  const above: [number, number] | null = node.parent ? productOf(node.parent) : [1, 1];
  let product = above;
  if (above && node.clipped !== node.unclipped) {
    let num = above[0] * node.clipped;
    let den = above[1] * node.unclipped;
    const g = gcd(num, den);
    num /= g;
    den /= g;
    product = den < EXACT_LIMIT ? [num, den] : null;
  }
  node.product = product;
  return product;
}

/** num/den (≤ 1) rounded to 4 places with banker's rounding, in exact integer arithmetic, as a decimal string. */
export function roundFraction([num, den]: [number, number]): string {
  const a = num * 10_000;
  let q = Math.floor(a / den);
  let r = a - q * den;
  if (r < 0) {
    q--;
    r += den;
  } else if (r >= den) {
    q++;
    r -= den;
  }
  if (2 * r > den || (2 * r === den && q % 2 === 1)) q++; // half to even
  const whole = Math.floor(q / 10_000);
  const frac = String(q % 10_000).padStart(4, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** The same product in decimal.js (50 digits, finest parent first), for the rare huge fractions. */
function decimalScale(base: DensityNode): string {
  let product = new Dec(1);
  for (let n: DensityNode | null = base; n; n = n.parent) {
    if (n.clipped !== n.unclipped) product = product.times(new Dec(n.clipped).div(n.unclipped));
  }
  return decString(roundBankers(product, SCALING_PRECISION));
}

/**
 * Build the scale map: each given location (H3 hex, duplicates allowed) → its scale as a decimal string:
 * Π over res 11..4 of clipped/unclipped (finer parents are not in the maps), rounded once to 4 dp.
 * Locations coarser than res 11 or invalid are left out (the verifier then uses DEFAULT_TX_SCALE).
 */
export function buildDensityMap(locations: string[], resolutions: Record<string, DensityTriple>): Map<string, string> {
  const { baseOf } = buildTree(locations, resolutions);
  const out = new Map<string, string>();
  for (const [h, base] of baseOf) {
    if (base.scale === undefined) {
      const product = productOf(base);
      base.scale = product === null ? decimalScale(base) : roundFraction(product);
    }
    out.set(h, base.scale);
  }
  return out;
}

/**
 * The asserted cells of interactive hotspots (tx_scaler.rs): last_beacon_reciprocity ≥
 * now − loader lookback (60 min) − HIP_17_INTERACTIVITY_LIMIT (60 h), inclusive. One entry per hotspot.
 */
export function interactiveLocations(
  gateways: Iterable<GatewayInfo>,
  history: (address: string) => HotspotHistory,
  nowMs: number,
  params: NetworkParams,
): string[] {
  const deadlineMs = nowMs - (params.hip17.interactivityLookbackS + params.hip17.interactivityLimitS) * 1000;
  const out: string[] = [];
  for (const g of gateways) {
    if (g.location === null) continue;
    const last = history(g.address).lastBeaconReciprocityAtMs;
    if (last !== undefined && last >= deadlineMs) out.push(g.location);
  }
  return out;
}
