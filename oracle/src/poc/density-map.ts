/**
 * HIP-17 hex density scaling as deployed (oracles iot_verifier/src/hex_density.rs, tx_scaler.rs; spec
 * §(c)). Interactive hotspots' asserted cells are counted at res 11 (never clipped), then summed up
 * resolution by resolution (10 → 4), each parent clipped by how many of its neighbours are "occupied".
 * A location's scale is the product of clipped/unclipped over its parents, 4 dp banker's rounding.
 */
import { gridDisk, isValidCell } from 'h3-js';
import { bitsKey, bitsResolution, bitsToHex, parentHi, parentLo, splitCell } from './h3-bits.ts';
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

/**
 * One resolution of the density tree, in struct-of-arrays form: node i is the cell (hi[i], lo[i]) with
 * sort key key[i] (`bitsKey`, ascending), its raw and clipped density, and the index of its parent in
 * the next (coarser) level.
 */
interface DensityLevel {
  res: number;
  key: Float64Array;
  hi: Uint32Array;
  lo: Uint32Array;
  unclipped: Float64Array;
  clipped: Float64Array;
  parent: Int32Array;
}

interface DensityTree {
  /** res 11 first, then 10 … 4. */
  levels: DensityLevel[];
  /** The distinct counted locations (valid, res ≥ 11), in first-seen order. */
  counted: string[];
  /** counted[i] → index of its res-11 node in levels[0]. */
  baseOf: Int32Array;
}

/**
 * What H3 says about one asserted location never changes: whether it is counted and its res-11 parent
 * key are computed once per location and kept across rebuilds (bounded). `build` and `slot` are the
 * bookkeeping of the build that last saw it, so one map lookup per hotspot both finds the facts and
 * de-duplicates the location within a build.
 */
interface LocationFacts {
  /** bitsKey of the res-11 parent, or −1 when the location is not counted (invalid or coarser than res 11). */
  key: number;
  build: number;
  slot: number;
}
const MAX_REMEMBERED_LOCATIONS = 2_000_000;
const locationFacts = new Map<string, LocationFacts>();
let builds = 0;

/** Forget the remembered locations (benchmarks measure a first build with it). */
export function clearDensityMemo(): void {
  locationFacts.clear();
}

function factsOf(h: string): LocationFacts {
  let f = locationFacts.get(h);
  if (f === undefined) {
    let key = -1;
    if (isValidCell(h)) {
      const [hi, lo] = splitCell(h);
      if (bitsResolution(hi) >= BASE_RES) key = bitsKey(parentHi(hi, BASE_RES), parentLo(lo, BASE_RES));
    }
    locationFacts.set(h, (f = { key, build: 0, slot: -1 }));
  }
  return f;
}

function newLevel(res: number, size: number): DensityLevel {
  return {
    res,
    key: new Float64Array(size),
    hi: new Uint32Array(size),
    lo: new Uint32Array(size),
    unclipped: new Float64Array(size),
    clipped: new Float64Array(size),
    parent: new Int32Array(size).fill(-1),
  };
}

/** Index of `key` in the ascending `keys`, or −1. */
function indexOfKey(keys: Float64Array, key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid];
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * hex_density.rs `compute_hex_density_map`. Parents come from bit arithmetic (h3-bits.ts, checked
 * against h3-js) and every level is a sorted array: an H3 index orders cells by base cell then digit by
 * digit, so once the res-11 cells are sorted, the children of any coarser cell are one contiguous run
 * and each level is built by one linear pass, without a string or a map entry per step.
 */
function buildTree(locations: Iterable<string>, resolutions: Record<string, DensityTriple>): DensityTree {
  // 1. Each distinct location once: its res-11 parent key, and how many hotspots assert it.
  if (locationFacts.size >= MAX_REMEMBERED_LOCATIONS) locationFacts.clear(); // only between builds: stamps must survive one
  const build = ++builds;
  const counted: string[] = [];
  const locKeys: number[] = [];
  const locCounts: number[] = [];
  for (const h of locations) {
    const f = factsOf(h);
    if (f.key < 0) continue;
    if (f.build === build) {
      locCounts[f.slot]++;
      continue;
    }
    f.build = build;
    f.slot = counted.length;
    counted.push(h);
    locKeys.push(f.key);
    locCounts.push(1);
  }
  // 2. The distinct res-11 cells, sorted (numeric sort of exact keys ≤ 2^48 = the index order).
  const sorted = Float64Array.from(locKeys).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
  let level = newLevel(BASE_RES, distinct);
  for (let i = 0; i < distinct; i++) {
    const key = sorted[i];
    level.key[i] = key;
    // Invert bitsKey: the low 12 bits of a res-11 index are ones (digits 12–15 = 7).
    const hi = Math.floor(key / 1_048_576);
    level.hi[i] = hi;
    level.lo[i] = (((key - hi * 1_048_576) * 4096) | 0xfff) >>> 0;
  }
  const baseOf = new Int32Array(locKeys.length);
  for (let slot = 0; slot < locKeys.length; slot++) {
    const i = indexOfKey(level.key, locKeys[slot]);
    baseOf[slot] = i;
    level.unclipped[i] += locCounts[slot]; // res 11 counts hotspots and is never clipped
  }
  level.clipped.set(level.unclipped);
  const levels = [level];
  // 3. Res 10 … 4: a parent's raw density is the sum of its children's clipped ones.
  for (const res of CLIPPED_RESOLUTIONS) {
    const children = level;
    const n = children.key.length;
    // Parents of consecutive children are equal or ascending: count the runs, then fill.
    const pHi = new Uint32Array(n);
    const pLo = new Uint32Array(n);
    const pKey = new Float64Array(n);
    let runs = 0;
    for (let i = 0; i < n; i++) {
      pHi[i] = parentHi(children.hi[i], res);
      pLo[i] = parentLo(children.lo[i], res);
      pKey[i] = bitsKey(pHi[i], pLo[i]);
      if (i === 0 || pKey[i] !== pKey[i - 1]) runs++;
    }
    const raw = newLevel(res, runs);
    for (let i = 0, p = -1; i < n; i++) {
      if (i === 0 || pKey[i] !== pKey[i - 1]) {
        p++;
        raw.key[p] = pKey[i];
        raw.hi[p] = pHi[i];
        raw.lo[p] = pLo[i];
      }
      raw.unclipped[p] += children.clipped[i];
      children.parent[i] = p;
    }
    const triple = resolutions[String(res)];
    for (let p = 0; p < runs; p++) {
      const unclipped = raw.unclipped[p];
      raw.clipped[p] = unclipped;
      // The limit lies in [tgt, max]: a raw density ≤ tgt is never clipped, and with max = tgt the limit
      // is tgt whatever the neighbours, so the neighbour count (gridDisk) is only needed in between.
      // (A table with max < tgt makes the limit simply max: tgt × k + tgt ≥ tgt > max.)
      if (triple && unclipped > Math.min(triple[1], triple[2])) {
        const [, tgt, max] = triple;
        let limit = Math.min(tgt, max);
        if (max > tgt) {
          // Clipping never moves a value across the ≥ tgt threshold (limit ≥ tgt), so counting occupied
          // neighbours on the raw values gives the same n as on clipped ones, in any order (spec §(c) 3c).
          let occupied = 0;
          for (const cell of gridDisk(bitsToHex(raw.hi[p], raw.lo[p]), 1)) {
            const j = indexOfKey(raw.key, bitsKey(...splitCell(cell)));
            if (j >= 0 && raw.unclipped[j] >= tgt) occupied++;
          }
          limit = densityLimit(occupied, triple);
        }
        raw.clipped[p] = Math.min(limit, unclipped);
      }
    }
    levels.push(raw);
    level = raw;
  }
  return { levels, counted, baseOf };
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
    for (let i = 0; i < level.key.length; i++) {
      const cell = bitsToHex(level.hi[i], level.lo[i]);
      unclipped.set(cell, level.unclipped[i]);
      clipped.set(cell, level.clipped[i]);
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
 * For every node of every level, Π of clipped/unclipped from it up to res 4 as an exact fraction
 * num/den (ratios of 1 skipped), computed coarsest first so each node multiplies its parent's product by
 * its own ratio; NaN marks a product that outgrew exact doubles (then decimal.js is used).
 */
function products(levels: DensityLevel[]): { num: Float64Array; den: Float64Array }[] {
  const out: { num: Float64Array; den: Float64Array }[] = new Array(levels.length);
  for (let l = levels.length - 1; l >= 0; l--) {
    const level = levels[l];
    const n = level.key.length;
    const num = new Float64Array(n);
    const den = new Float64Array(n);
    const above = l + 1 < levels.length ? out[l + 1] : null;
    for (let i = 0; i < n; i++) {
      let a = 1;
      let b = 1;
      if (above) {
        a = above.num[level.parent[i]];
        b = above.den[level.parent[i]];
      }
      if (!Number.isNaN(b) && level.clipped[i] !== level.unclipped[i]) {
        a *= level.clipped[i];
        b *= level.unclipped[i];
        const g = gcd(a, b);
        a /= g;
        b /= g;
        if (!(b < EXACT_LIMIT)) a = b = NaN;
      }
      num[i] = a;
      den[i] = b;
    }
    out[l] = { num, den };
  }
  return out;
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

/** The same product in decimal.js (50 digits, finest parent first) from node `i` of `levels[l]`, for the rare huge fractions. */
function decimalScale(levels: DensityLevel[], l: number, i: number): string {
  let product = new Dec(1);
  for (; l < levels.length; i = levels[l].parent[i], l++) {
    const { clipped, unclipped } = levels[l];
    if (clipped[i] !== unclipped[i]) product = product.times(new Dec(clipped[i]).div(unclipped[i]));
  }
  return decString(roundBankers(product, SCALING_PRECISION));
}

/**
 * Build the scale map: each given location (H3 hex, duplicates allowed) → its scale as a decimal string:
 * Π over res 11..4 of clipped/unclipped (finer parents are not in the maps), rounded once to 4 dp.
 * Locations coarser than res 11 or invalid are left out (the verifier then uses DEFAULT_TX_SCALE).
 */
export function buildDensityMap(locations: string[], resolutions: Record<string, DensityTriple>): Map<string, string> {
  const { levels, counted, baseOf } = buildTree(locations, resolutions);
  // A res-11 node is never clipped, so all children of one res-10 node share its scale: round once per res-10 node.
  const res10 = levels[1];
  const { num, den } = products(levels)[1];
  const scales: (string | undefined)[] = new Array(res10.key.length);
  const out = new Map<string, string>();
  for (let slot = 0; slot < counted.length; slot++) {
    const h = counted[slot];
    const p = levels[0].parent[baseOf[slot]];
    let scale = scales[p];
    if (scale === undefined) scales[p] = scale = Number.isNaN(den[p]) ? decimalScale(levels, 1, p) : roundFraction([num[p], den[p]]);
    out.set(h, scale);
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
