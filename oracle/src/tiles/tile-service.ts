/**
 * The vector tile layers of one oracle (docs/api.md "Vector tiles"): builds the `hotspots` and
 * `coverage` indexes from the store, encodes and caches tiles, and rebuilds when the data under them
 * changes — hotspot onboarded, moved, rescaled (HotspotDirectory changes), online or offline (`hotspot`
 * events), rounds verified (`poc`: the beaconer's and witnesses' aggregates). Rebuilds are debounced,
 * re-read only the changed hotspots, and run beside the serving index; afterwards only the cached tiles
 * near a changed hotspot or cell are dropped.
 */
import type { Clock, TimerHandle } from '@hexium/shared/clock';
import type { SqlQuery } from '../store/sql.ts';
import { readTileHotspots, type TileHotspotRow } from '../store/hotspot-store.ts';
import type { HotspotDirectory } from '../store/hotspot-directory.ts';
import type { OracleEvents } from '../events/oracle-events.ts';
import { resForTileZoom } from '@hexium/shared/geo/res-for-zoom';
import { HOTSPOT_CLUSTER_MAX_ZOOM, HotspotTileIndex, hotspotTags, TILE_EXTENT } from './hotspot-tiles.ts';
import { COVERAGE_BUFFER, CoverageGeometryCache, CoverageTileIndex, type CoverageCell, type RowChange } from './coverage-tiles.ts';
import { TileCache, tileKey, type CachedTile } from './tile-cache.ts';
import { mercatorX, mercatorY } from './tile-math.ts';

export const TILE_LAYERS = ['hotspots', 'coverage'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];
export const isTileLayer = (s: string): s is TileLayer => (TILE_LAYERS as readonly string[]).includes(s);

/** Wait after a change before rebuilding, so a burst of changes (a verified chunk of rounds) costs one rebuild. */
export const REBUILD_DEBOUNCE_MS = 250;
/** A rebuild waits at least this many times the previous rebuild's duration after it: rebuilding uses ≤ 1/(1+k) of a core. */
export const REBUILD_SPACING_FACTOR = 3;
/** Past this many changed hotspots, a rebuild reads the whole table instead of each one. */
const MAX_PARTIAL_READ = 20_000;
/** Past this many (changed items × cached tiles) checks, a layer's cache is dropped whole instead. */
const MAX_INVALIDATION_CHECKS = 20_000_000;

/** Something that changed, in Mercator units: a tile of zoom z is stale when it lies within reach(z) of it. */
interface Changed {
  mx: number;
  my: number;
  reach(z: number): number;
}

export interface TileServiceDeps {
  sql: SqlQuery;
  events: OracleEvents;
  directory: HotspotDirectory;
  /** Debounce and spacing timers: the wall clock in an oracle (never a virtual one; see OracleDeps.tileTimers). */
  clock: Clock;
  debounceMs?: number;
}

export class TileService {
  readonly cache = new TileCache();
  /** The located hotspots the indexes were built from, by address. */
  private rows = new Map<string, TileHotspotRow>();
  private readonly geo = new CoverageGeometryCache();
  /** Addresses changed since the last build; null = read everything. */
  private pending: Set<string> | null = null;
  private hotspots: HotspotTileIndex | null = null;
  private closed = false;
  private coverage: CoverageTileIndex | null = null;
  private building: Promise<void> | null = null;
  private dirty = false;
  private timer: TimerHandle | undefined;
  private nextAllowedAt = 0;
  private readonly unsubscribe: (() => void)[] = [];
  /** Completed index builds (tests and /metrics-style introspection). */
  builds = 0;
  lastBuildMs = 0;

  constructor(private readonly d: TileServiceDeps) {
    this.unsubscribe.push(
      d.events.on((e) => {
        if (e.type === 'hotspot') this.markChanged([e.data.address]);
        // a verified round changes the beaconer's last verdict and its witnesses' counts and best RSSI
        else if (e.type === 'poc') this.markChanged([e.data.beaconer, ...e.data.witnesses.map((w) => w.hotspot)]);
      }),
      d.directory.onChange((address) => this.markChanged([address])),
    );
  }

  /** The encoded tile (bytes and ETag), from the cache or encoded now. */
  async tile(layer: TileLayer, z: number, x: number, y: number): Promise<CachedTile> {
    if (!this.hotspots) await this.build();
    const key = tileKey(layer, z, x, y);
    const hit = this.cache.get(key);
    if (hit) return hit;
    if (layer === 'coverage') return this.cache.set(key, this.coverage!.tile(z, x, y));
    const index = this.hotspots!;
    const body = await index.tile(z, x, y);
    // a rebuild swapped the index while the worker encoded (and dropped the changed tiles): ask the new one
    if (index !== this.hotspots) return this.tile(layer, z, x, y);
    return this.cache.set(key, body);
  }

  /** Build the indexes now if they are not built yet. */
  async prepare(): Promise<void> {
    if (!this.hotspots) await this.build();
  }

  /** These hotspots changed: rebuild soon (debounced), unless nothing was built yet (built on first use). */
  markChanged(addresses: readonly string[]): void {
    if (!this.hotspots && !this.building) return;
    if (!this.dirty) this.pending = new Set();
    for (const a of addresses) this.pending?.add(a);
    if (this.pending && this.pending.size > MAX_PARTIAL_READ) this.pending = null;
    this.markDirty();
  }

  /** Everything may have changed (rows written straight to the store): read it all at the next rebuild. */
  markAllChanged(): void {
    if (!this.hotspots && !this.building) return;
    this.pending = null;
    this.markDirty();
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.timer || this.building) return;
    const wait = Math.max(this.d.debounceMs ?? REBUILD_DEBOUNCE_MS, this.nextAllowedAt - this.d.clock.now());
    this.timer = this.d.clock.setTimer(wait, () => {
      this.timer = undefined;
      void this.build().catch(() => {
        // the store failed (closing): the next change or request tries again
      });
    });
  }

  /** True while a rebuild waits for its timer or runs. */
  get busy(): boolean {
    return this.timer !== undefined || this.building !== null;
  }

  /** Resolves when the running rebuild (if any) is done. */
  async idle(): Promise<void> {
    while (this.building) await this.building;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.d.clock.clearTimer(this.timer);
    this.timer = undefined;
    for (const u of this.unsubscribe) u();
    this.hotspots?.close();
  }

  private build(): Promise<void> {
    if (!this.building) {
      this.building = this.rebuild().finally(() => {
        this.building = null;
        if (this.dirty) this.markDirty();
      });
    }
    return this.building;
  }

  private async rebuild(): Promise<void> {
    const first = !this.hotspots;
    const changed = first || !this.dirty ? null : this.pending;
    this.dirty = false;
    this.pending = null;
    const t0 = performance.now();
    let rows: Map<string, TileHotspotRow>;
    let before: TileHotspotRow[] = [];
    let after: TileHotspotRow[] = [];
    if (changed === null) {
      rows = new Map((await readTileHotspots(this.d.sql)).map((h) => [h.address, h]));
      before = [...this.rows.values()];
      after = [...rows.values()];
    } else {
      const fresh = changed.size === 0 ? [] : await readTileHotspots(this.d.sql, [...changed].sort());
      // the rows only feed rebuilds (tiles read the indexes), so they change in place
      rows = this.rows;
      // a row still there is replaced where it stands (Map.set keeps the key's place), so the rows stay in
      // id order and the index build below needs no sort of all 370,000
      const still = new Set(fresh.map((h) => h.address));
      for (const a of changed) {
        const old = rows.get(a);
        if (old) before.push(old);
        if (!still.has(a)) rows.delete(a);
      }
      for (const h of fresh) rows.set(h.address, h);
      after = fresh;
    }
    // only a layer whose inputs changed is rebuilt (an online flip leaves coverage alone, a witness count the points)
    const layers = first ? { hotspots: true, coverage: true } : affectedLayers(before, after);
    // supercluster's clusters depend on the input order: always by id
    let ordered: TileHotspotRow[] | null = null;
    const byId = () => (ordered ??= sortedById([...rows.values()]));
    // metric changes of hotspots that stayed in place update the coverage index in place (milliseconds)
    const inPlace = !first && layers.coverage && changed !== null ? pairs(before, after) : null;
    const updated = inPlace ? this.coverage!.update(inPlace) : null;
    const hotspots = layers.hotspots ? await HotspotTileIndex.build(byId()) : this.hotspots!;
    let coverage: CoverageTileIndex;
    try {
      coverage = layers.coverage && !updated ? await CoverageTileIndex.build(byId(), this.geo) : this.coverage!;
    } catch (e) {
      if (hotspots !== this.hotspots) hotspots.close();
      throw e;
    }
    if (!first) {
      if (layers.hotspots) this.invalidateHotspots(before, after);
      if (updated) this.invalidateCells(updated);
      else if (layers.coverage) this.invalidateCoverage(this.coverage!, coverage);
    }
    if (hotspots !== this.hotspots) this.hotspots?.close();
    if (this.closed) hotspots.close();
    this.rows = rows;
    this.hotspots = hotspots;
    this.coverage = coverage;
    this.builds++;
    this.lastBuildMs = performance.now() - t0;
    this.nextAllowedAt = this.d.clock.now() + REBUILD_SPACING_FACTOR * this.lastBuildMs;
  }

  private invalidateHotspots(before: readonly TileHotspotRow[], after: readonly TileHotspotRow[]): void {
    const old = new Map(before.map((h) => [h.id, h]));
    const changed: Changed[] = [];
    let moved = false;
    // A hotspot's point, or a cluster holding it, lies within one tile of it at every zoom: a cluster's
    // centre is within 2 cluster radii (2 × 320 of 4096) of each member and the buffer adds one more.
    const reach = (z: number) => 1 / 2 ** z;
    const add = (h: TileHotspotRow) => changed.push({ mx: mercatorX(h.lng), my: mercatorY(h.lat), reach });
    for (const h of after) {
      const o = old.get(h.id);
      old.delete(h.id);
      if (!o || o.lat !== h.lat || o.lng !== h.lng) {
        moved = true;
        add(h);
        if (o) add(o);
      } else if (!sameTags(hotspotTags(o), hotspotTags(h))) add(h);
    }
    for (const o of old.values()) {
      moved = true;
      add(o);
    }
    // added, moved or removed points can regroup clusters anywhere along a chain: drop every clustered zoom
    if (moved) this.cache.deleteWhere((k) => k.startsWith('hotspots/') && Number(k.split('/')[1]) <= HOTSPOT_CLUSTER_MAX_ZOOM);
    this.invalidate('hotspots', changed, () => true);
  }

  private invalidateCells(cells: readonly { res: number; cell: CoverageCell }[]): void {
    const changed = cells.map(({ res, cell: c }) => ({ res, mx: c.mx, my: c.my, reach: (z: number) => c.rm + COVERAGE_BUFFER / TILE_EXTENT / 2 ** z }));
    this.invalidate('coverage', changed, (c, z) => resForTileZoom(z) === c.res);
  }

  private invalidateCoverage(before: CoverageTileIndex, after: CoverageTileIndex): void {
    const changed: (Changed & { res: number })[] = [];
    for (const res of new Set(Array.from({ length: 23 }, (_, z) => resForTileZoom(z)))) {
      const a = before.cells(res);
      const b = after.cells(res);
      let i = 0;
      let j = 0;
      const add = (c: CoverageCell) => changed.push({ res, mx: c.mx, my: c.my, reach: (z) => c.rm + COVERAGE_BUFFER / TILE_EXTENT / 2 ** z });
      while (i < a.length || j < b.length) {
        if (j >= b.length || (i < a.length && a[i].cell < b[j].cell)) add(a[i++]);
        else if (i >= a.length || b[j].cell < a[i].cell) add(b[j++]);
        else {
          if (!sameTags(a[i].tags, b[j].tags)) add(b[j]);
          i++;
          j++;
        }
      }
    }
    this.invalidate('coverage', changed, (c, z) => resForTileZoom(z) === c.res);
  }

  private invalidate<C extends Changed>(layer: TileLayer, changed: readonly C[], applies: (c: C, z: number) => boolean): void {
    if (changed.length === 0) return;
    const prefix = `${layer}/`;
    if (changed.length * this.cache.size > MAX_INVALIDATION_CHECKS) {
      this.cache.deleteWhere((k) => k.startsWith(prefix));
      return;
    }
    this.cache.deleteWhere((k) => {
      if (!k.startsWith(prefix)) return false;
      const [, zs, xs, ys] = k.split('/');
      const z = Number(zs);
      const n = 2 ** z;
      const x0 = Number(xs) / n;
      const y0 = Number(ys) / n;
      for (const c of changed) {
        if (!applies(c, z)) continue;
        const r = c.reach(z);
        if (c.my + r < y0 || c.my - r > y0 + 1 / n) continue;
        // the tile, or its copy one world east or west (antimeridian)
        for (const mx of [c.mx, c.mx - 1, c.mx + 1]) if (mx + r >= x0 && mx - r <= x0 + 1 / n) return true;
      }
      return false;
    });
  }
}

/** The old and new row of each hotspot in both lists (by address). */
function pairs(before: readonly TileHotspotRow[], after: readonly TileHotspotRow[]): RowChange[] | null {
  const old = new Map(before.map((h) => [h.address, h]));
  const out: RowChange[] = [];
  for (const h of after) {
    const o = old.get(h.address);
    if (o) out.push({ before: o, after: h });
  }
  // a hotspot in only one of the lists was added or removed: not an in-place change
  return out.length === before.length && out.length === after.length ? out : null;
}

/** The rows by id; a linear check first, as they usually are in order already (the store reads them so). */
function sortedById(rows: TileHotspotRow[]): TileHotspotRow[] {
  for (let i = 1; i < rows.length; i++) if (rows[i - 1].id > rows[i].id) return rows.sort((a, b) => a.id - b.id);
  return rows;
}

/** Which layers' inputs differ between the old and new rows of the changed hotspots. */
function affectedLayers(before: readonly TileHotspotRow[], after: readonly TileHotspotRow[]): { hotspots: boolean; coverage: boolean } {
  const old = new Map(before.map((h) => [h.address, h]));
  let hotspots = false;
  let coverage = false;
  for (const h of after) {
    const o = old.get(h.address);
    old.delete(h.address);
    if (!o || o.id !== h.id || o.lat !== h.lat || o.lng !== h.lng || !sameTags(hotspotTags(o), hotspotTags(h))) hotspots = true;
    if (!o || o.location !== h.location || o.validWitnesses !== h.validWitnesses || o.bestRssiDbm !== h.bestRssiDbm || o.hexScale !== h.hexScale) coverage = true;
    if (hotspots && coverage) break;
  }
  if (old.size > 0) return { hotspots: true, coverage: true };
  return { hotspots, coverage };
}

function sameTags(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}
