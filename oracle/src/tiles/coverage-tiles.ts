/**
 * The `coverage` vector tile layer (docs/api.md "Vector tiles"): the H3 cells of the resolution for the
 * tile zoom (`resForTileZoom`, the map's rule) as polygons, each with `cell` and the metrics of
 * `GET /api/v1/coverage` (hotspots, witnesses, bestRssiDbm, scale). A tile's cells are picked by their
 * centre and circumradius, cut by geojson-vt (buffer, antimeridian wrap) and encoded by vt-pbf.
 */
import { cellToBoundary, cellToLatLng, cellToParent, getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import { resForTileZoom, MIN_RES, MAX_RES } from '@hexium/shared/geo/res-for-zoom';
import type { TileHotspotRow } from '../store/hotspot-store.ts';
import { mercatorX, mercatorY } from './tile-math.ts';
import { TILE_EXTENT, type TileTags } from './hotspot-tiles.ts';

/** Tile buffer of the cut polygons, in tile units (geojson-vt's default, 1/64 of the tile). */
export const COVERAGE_BUFFER = 64;
/** Mean Earth circumference at the equator used by Web Mercator (EPSG:3857, a = 6 378 137 m). */
const EQUATOR_M = 2 * Math.PI * 6_378_137;

interface Agg {
  hotspots: number;
  witnesses: number;
  bestRssiDbm: number | null;
  /** Sum of the scales in units of 10^-4 (HIP-17 scales have 4 decimals: density-map.ts SCALING_PRECISION). */
  scaleUnits: number;
  scaled: number;
}

/** What H3 says about a location or a cell never changes: kept across rebuilds (bounded). */
export class CoverageGeometryCache {
  readonly parentOf = new Map<string, string | null>();
  readonly cellAt = new Map<string, { mx: number; my: number; cos: number }>();

  /** The res-MAX_RES parent of a res-12 location, or null when it is not a valid cell. */
  finestParent(location: string): string | null {
    let p = this.parentOf.get(location);
    if (p === undefined) {
      try {
        p = cellToParent(location, MAX_RES);
      } catch {
        p = null;
      }
      if (this.parentOf.size > 4_000_000) this.parentOf.clear();
      this.parentOf.set(location, p);
    }
    return p;
  }

  centre(cell: string): { mx: number; my: number; cos: number } {
    let c = this.cellAt.get(cell);
    if (!c) {
      const [lat, lng] = cellToLatLng(cell);
      c = { mx: mercatorX(lng), my: mercatorY(lat), cos: Math.max(Math.cos((lat * Math.PI) / 180), 1e-6) };
      if (this.cellAt.size > 4_000_000) this.cellAt.clear();
      this.cellAt.set(cell, c);
    }
    return c;
  }
}

/** A scale string ("0.5", "0.3333") in units of 10^-4 (HIP-17 scales have 4 decimals: density-map.ts). */
function scaleUnits(s: string): number {
  return Math.round(Number(s) * 10_000);
}

/** One cell as a tile feature: Mercator centre, circumradius and its properties. */
export interface CoverageCell {
  cell: string;
  mx: number;
  my: number;
  /** Circumradius in Mercator units, with margin (H3 cells differ in size; see below). */
  rm: number;
  tags: TileTags;
}

function merge(into: Agg, a: Agg): void {
  into.hotspots += a.hotspots;
  into.witnesses += a.witnesses;
  if (a.bestRssiDbm !== null && (into.bestRssiDbm === null || a.bestRssiDbm > into.bestRssiDbm)) into.bestRssiDbm = a.bestRssiDbm;
  into.scaleUnits += a.scaleUnits;
  into.scaled += a.scaled;
}

/** The GET /api/v1/coverage metrics of one aggregate (scale: mean, 4 decimals, banker's rounding, as there). */
function coverageTags(cell: string, a: Agg): TileTags {
  const t: TileTags = { cell, hotspots: a.hotspots, witnesses: a.witnesses };
  if (a.bestRssiDbm !== null) t.bestRssiDbm = a.bestRssiDbm;
  if (a.scaled > 0) t.scale = meanScale(a.scaleUnits, a.scaled);
  return t;
}

/**
 * The mean of n scales summing to `units` × 10^-4, to 4 decimals with banker's rounding (as the coverage
 * route's decimal.js ROUND_HALF_EVEN), as the shortest decimal string ("0.375", "1", "0"). Integers only:
 * the sum of 4-decimal scales is an exact integer count of 10^-4.
 */
export function meanScale(units: number, n: number): string {
  let q = Math.floor(units / n);
  const twice = 2 * (units - q * n);
  if (twice > n || (twice === n && q % 2 === 1)) q++;
  const frac = String(q % 10_000).padStart(4, '0').replace(/0+$/, '');
  return frac === '' ? String(Math.floor(q / 10_000)) : `${Math.floor(q / 10_000)}.${frac}`;
}

/** Rows or cells handled between two yields to the event loop in {@link CoverageTileIndex.build}. */
const YIELD_EVERY = 10_000;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The cells of one resolution: by id (for diffs) and by Mercator y (to find a tile's cells by binary search). */
interface ResCells {
  byId: CoverageCell[];
  byY: CoverageCell[];
  ys: Float64Array;
  maxRm: number;
  /** The aggregates and the served cell of each cell id (in-place updates, {@link CoverageTileIndex.update}). */
  aggs: Map<string, Agg>;
  cells: Map<string, CoverageCell>;
}

/** One hotspot's row before and after a change. */
export interface RowChange {
  before: TileHotspotRow;
  after: TileHotspotRow;
}

export class CoverageTileIndex {
  private readonly byRes = new Map<number, ResCells>();

  constructor(rows: Iterable<TileHotspotRow>, private readonly geo = new CoverageGeometryCache(), deferred = false) {
    if (!deferred) for (const _ of this.steps(rows)) continue;
  }

  /** The same index, built with a yield to the event loop every few thousand cells (requests go on meanwhile). */
  static async build(rows: Iterable<TileHotspotRow>, geo: CoverageGeometryCache): Promise<CoverageTileIndex> {
    const index = new CoverageTileIndex([], geo, true);
    for (const _ of index.steps(rows)) await yieldToLoop();
    return index;
  }

  /** Builds the index, pausing (yield) every YIELD_EVERY rows or cells. */
  private *steps(rows: Iterable<TileHotspotRow>): Generator<void> {
    const geo = this.geo;
    let n = 0;
    let level = new Map<string, Agg>();
    for (const h of rows) {
      if (++n % YIELD_EVERY === 0) yield;
      const cell = geo.finestParent(h.location);
      if (cell === null) continue;
      let a = level.get(cell);
      if (!a) level.set(cell, (a = { hotspots: 0, witnesses: 0, bestRssiDbm: null, scaleUnits: 0, scaled: 0 }));
      a.hotspots++;
      a.witnesses += h.validWitnesses;
      if (h.bestRssiDbm !== null && (a.bestRssiDbm === null || h.bestRssiDbm > a.bestRssiDbm)) a.bestRssiDbm = h.bestRssiDbm;
      if (h.hexScale !== null) {
        a.scaleUnits += scaleUnits(h.hexScale);
        a.scaled++;
      }
    }
    for (let res = MAX_RES; res >= MIN_RES; res--) {
      yield;
      const byId = this.cellsOf(res, level);
      const byY = [...byId].sort((p, q) => p.my - q.my);
      this.byRes.set(res, {
        byId, byY, ys: Float64Array.from(byY, (c) => c.my), maxRm: byId.reduce((m, c) => Math.max(m, c.rm), 0), aggs: level, cells: new Map(byId.map((c) => [c.cell, c])),
      });
      if (res === MIN_RES) break;
      const up = new Map<string, Agg>();
      for (const [cell, a] of level) {
        if (++n % YIELD_EVERY === 0) yield;
        const p = cellToParent(cell, res - 1);
        const u = up.get(p);
        if (u) merge(u, a);
        else up.set(p, { ...a });
      }
      level = up;
    }
  }

  /**
   * Apply metric changes of hotspots that stayed in place, in place: each sum moves by the difference and
   * the best RSSI by the new maximum (the store only raises it: hotspot-store.ts GREATEST). Returns the
   * cells whose properties changed, or null — touching nothing — when a change is not of that kind (a
   * move, a new or removed hotspot, a lower best RSSI): then the index must be built again.
   */
  update(changes: readonly RowChange[]): { res: number; cell: CoverageCell }[] | null {
    for (const { before: b, after: a } of changes) {
      if (a.location !== b.location || this.geo.finestParent(a.location) === null) return null;
      if (b.bestRssiDbm !== null && (a.bestRssiDbm === null || a.bestRssiDbm < b.bestRssiDbm)) return null;
    }
    const touched = new Map<string, { res: number; cell: CoverageCell; agg: Agg }>();
    for (const { before: b, after: a } of changes) {
      const finest = this.geo.finestParent(a.location)!;
      for (let res = MAX_RES; res >= MIN_RES; res--) {
        const id = res === MAX_RES ? finest : cellToParent(finest, res);
        const rc = this.byRes.get(res)!;
        const agg = rc.aggs.get(id)!;
        agg.witnesses += a.validWitnesses - b.validWitnesses;
        if (a.bestRssiDbm !== null && (agg.bestRssiDbm === null || a.bestRssiDbm > agg.bestRssiDbm)) agg.bestRssiDbm = a.bestRssiDbm;
        agg.scaleUnits += (a.hexScale === null ? 0 : scaleUnits(a.hexScale)) - (b.hexScale === null ? 0 : scaleUnits(b.hexScale));
        agg.scaled += (a.hexScale === null ? 0 : 1) - (b.hexScale === null ? 0 : 1);
        touched.set(`${res}/${id}`, { res, cell: rc.cells.get(id)!, agg });
      }
    }
    const changed: { res: number; cell: CoverageCell }[] = [];
    for (const { res, cell, agg } of touched.values()) {
      const tags = coverageTags(cell.cell, agg);
      if (Object.keys(tags).length === Object.keys(cell.tags).length && Object.entries(tags).every(([k, v]) => cell.tags[k] === v)) continue;
      cell.tags = tags;
      changed.push({ res, cell });
    }
    return changed;
  }

  private cellsOf(res: number, level: Map<string, Agg>): CoverageCell[] {
    // Circumradius = edge length for a hexagon; H3 cells range to about twice the mean size (h3geo.org
    // "Tables of cell statistics across resolutions"), so 2× the mean edge bounds every cell.
    const edgeM = 2 * getHexagonEdgeLengthAvg(res, UNITS.m);
    const out: CoverageCell[] = [];
    for (const [cell, a] of level) {
      const { mx, my, cos } = this.geo.centre(cell);
      out.push({ cell, mx, my, rm: edgeM / (EQUATOR_M * cos), tags: coverageTags(cell, a) });
    }
    return out.sort((p, q) => (p.cell < q.cell ? -1 : 1));
  }

  /** The cells of a resolution (sorted by id), for diffs between rebuilds. */
  cells(res: number): readonly CoverageCell[] {
    return this.byRes.get(res)?.byId ?? [];
  }

  /** The MVT bytes of one tile; an empty Uint8Array when no cell touches it. */
  tile(z: number, x: number, y: number): Uint8Array {
    const n = 2 ** z;
    const pad = COVERAGE_BUFFER / TILE_EXTENT / n;
    const x0 = x / n - pad;
    const x1 = (x + 1) / n + pad;
    const y0 = y / n - pad;
    const y1 = (y + 1) / n + pad;
    const features: GeoJSON.Feature[] = [];
    const rc = this.byRes.get(resForTileZoom(z));
    if (!rc) return new Uint8Array(0);
    for (let i = lowerBound(rc.ys, y0 - rc.maxRm); i < rc.byY.length && rc.ys[i] <= y1 + rc.maxRm; i++) {
      const c = rc.byY[i];
      if (c.my + c.rm < y0 || c.my - c.rm > y1) continue;
      // the cell, or its copy one world east or west (tiles at the antimeridian)
      const near = (mx: number) => mx + c.rm >= x0 && mx - c.rm <= x1;
      if (!near(c.mx) && !near(c.mx - 1) && !near(c.mx + 1)) continue;
      features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [unwrappedBoundary(c.cell)] }, properties: c.tags });
    }
    if (features.length === 0) return new Uint8Array(0);
    const vt = new GeoJSONVT({ type: 'FeatureCollection', features }, { maxZoom: z, indexMaxZoom: 0, tolerance: 0, extent: TILE_EXTENT, buffer: COVERAGE_BUFFER });
    const t = vt.getTile(z, x, y);
    if (!t || t.features.length === 0) return new Uint8Array(0);
    return fromGeojsonVt({ coverage: t as any }, { version: 2, extent: TILE_EXTENT });
  }
}

/** The first index whose value is ≥ v in an ascending array. */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The cell's boundary as a closed [lng, lat] ring that does not jump across the antimeridian: a cell
 * spanning it has its western longitudes moved past +180, and geojson-vt wraps the part beyond +180
 * onto the west edge of the world (specs/map-ui.md §4).
 */
export function unwrappedBoundary(cell: string): [number, number][] {
  const ring = cellToBoundary(cell, true) as [number, number][];
  let min = Infinity;
  let max = -Infinity;
  for (const [lng] of ring) {
    if (lng < min) min = lng;
    if (lng > max) max = lng;
  }
  if (max - min <= 180) return ring;
  return ring.map(([lng, lat]) => [lng < 0 ? lng + 360 : lng, lat]);
}
