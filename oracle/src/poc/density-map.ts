/**
 * HIP-17 hex density scaling as deployed (oracles iot_verifier/src/hex_density.rs, tx_scaler.rs; spec
 * §(c)). Interactive hotspots' asserted cells are counted at res 11 (never clipped), then summed up
 * resolution by resolution (10 → 4), each parent clipped by how many of its neighbours are "occupied".
 * A location's scale is the product of clipped/unclipped over its parents, 4 dp banker's rounding.
 */
import { cellToParent, getResolution, gridDisk, isValidCell } from 'h3-js';
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

export interface DensityLevels {
  /** hex → raw density (sum of the children's clipped densities; count of hotspots at res 11). */
  unclipped: Map<string, number>;
  /** hex → clipped density. */
  clipped: Map<string, number>;
}

/** Compute both density maps for the given cells (H3 hex). Exposed for tests and the map UI. */
export function computeDensityLevels(locations: Iterable<string>, resolutions: Record<string, DensityTriple>): DensityLevels {
  const unclipped = new Map<string, number>();
  const clipped = new Map<string, number>();
  let level = new Map<string, number>(); // cells of the current resolution → clipped density
  for (const h of locations) {
    if (!isValidCell(h) || getResolution(h) < BASE_RES) continue;
    const p = cellToParent(h, BASE_RES);
    level.set(p, (level.get(p) ?? 0) + 1);
  }
  for (const [p, count] of level) {
    unclipped.set(p, count);
    clipped.set(p, count); // res 11 is never clipped
  }
  for (const res of CLIPPED_RESOLUTIONS) {
    const raw = new Map<string, number>();
    for (const [c, density] of level) {
      const p = cellToParent(c, res);
      raw.set(p, (raw.get(p) ?? 0) + density);
    }
    const triple = resolutions[String(res)];
    const next = new Map<string, number>();
    for (const [p, density] of raw) {
      unclipped.set(p, density);
      let value = density;
      if (triple) {
        // Clipping never moves a value across the ≥ tgt threshold (limit ≥ tgt), so counting occupied
        // neighbours on the raw values gives the same n as on clipped ones, in any order (spec §(c) 3c).
        let occupied = 0;
        for (const cell of gridDisk(p, 1)) if ((raw.get(cell) ?? 0) >= triple[1]) occupied++;
        value = Math.min(densityLimit(occupied, triple), density);
      }
      clipped.set(p, value);
      next.set(p, value);
    }
    level = next;
  }
  return { unclipped, clipped };
}

/**
 * Build the scale map: each given location (H3 hex, duplicates allowed) → its scale as a decimal string.
 * Locations coarser than res 11 or invalid are left out (the verifier then uses DEFAULT_TX_SCALE).
 */
export function buildDensityMap(locations: string[], resolutions: Record<string, DensityTriple>): Map<string, string> {
  const { unclipped, clipped } = computeDensityLevels(locations, resolutions);
  const ratios = new Map<string, InstanceType<typeof Dec> | null>(); // null = ratio 1
  const ratio = (cell: string) => {
    let r = ratios.get(cell);
    if (r === undefined) {
      const c = clipped.get(cell)!;
      const u = unclipped.get(cell)!;
      r = c === u ? null : new Dec(c).div(u);
      ratios.set(cell, r);
    }
    return r;
  };
  const byBase = new Map<string, string>();
  const out = new Map<string, string>();
  for (const h of locations) {
    if (out.has(h) || !isValidCell(h) || getResolution(h) < BASE_RES) continue;
    const base = cellToParent(h, BASE_RES);
    let scale = byBase.get(base);
    if (scale === undefined) {
      // Π over res 11..4 of clipped/unclipped (finer parents are not in the maps), rounded once.
      let product = new Dec(1);
      for (let res = BASE_RES; res >= CLIPPED_RESOLUTIONS[CLIPPED_RESOLUTIONS.length - 1]; res--) {
        const r = ratio(res === BASE_RES ? base : cellToParent(base, res));
        if (r) product = product.times(r);
      }
      scale = decString(roundBankers(product, SCALING_PRECISION));
      byBase.set(base, scale);
    }
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
