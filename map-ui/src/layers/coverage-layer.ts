/**
 * The coverage hexes, from one of two sources (style/build-style.ts DataSources):
 * - vector tiles (`/api/v1/tiles/coverage/…`): the oracle cuts the cells at the zoom's resolution; the
 *   map fetches nothing itself. Verified rounds change the metrics under the tiles, so a `poc` event
 *   reloads the tile source at most every COVERAGE_RELOAD_MS (unchanged tiles answer 304 to the ETag).
 * - GeoJSON (an oracle without tile routes): fetches `/api/v1/coverage?res=&bbox=` for the shown
 *   resolution (h3/res-for-zoom.ts) and a padded box around the view (so panning inside it fetches
 *   nothing); live witness counts are feature-state.
 * Hover and selection are feature-state on the promoted `cell` id either way: no data is re-uploaded.
 */
import type { FeatureIdentifier, GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent, VectorTileSource } from 'maplibre-gl';
import { cellToParent, getResolution, isValidCell } from 'h3-js';
import type { ApiClient } from '../api/client.ts';
import type { CoverageHex } from '../api/types.ts';
import { cellsToGeoJson } from '../h3/cells-to-geojson.ts';
import { resForZoom } from '../h3/res-for-zoom.ts';
import { styleReady } from './style-ready.ts';
import { SOURCE_LAYER, type TileSourceInfo } from '../style/build-style.ts';

/** Tiles: reload the coverage tiles at most this often while verified rounds arrive. */
export const COVERAGE_RELOAD_MS = 15_000;

type Bbox = [number, number, number, number];

/** The fetched box extends this fraction of the view's width/height beyond each edge. */
export const BBOX_PAD = 0.5;

export function padBbox([w, s, e, n]: Bbox, pad = BBOX_PAD): Bbox {
  const dx = (e - w) * pad;
  const dy = (n - s) * pad;
  return [Math.max(-180, w - dx), Math.max(-85.06, s - dy), Math.min(180, e + dx), Math.min(85.06, n + dy)];
}

export function bboxContains(outer: Bbox, inner: Bbox): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
}

export class CoverageLayer {
  private geoJsonRes = -1;
  private fetched: Bbox | null = null;
  private abort: AbortController | null = null;
  readonly hexes = new Map<string, CoverageHex>();
  private hovered: string | null = null;
  private selected: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves when the newest requested data has been handed to the source. */
  loading: Promise<void> = Promise.resolve();
  onClick: (cell: string) => void = () => {};

  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private lastReloadMs = 0;

  constructor(private readonly map: MapLibreMap, private readonly api: ApiClient, private readonly tiles: TileSourceInfo | null = null) {
    if (!tiles) map.on('moveend', () => this.schedule());
    map.on('mousemove', 'coverage-hexes', (e) => this.hover(e));
    map.on('mouseleave', 'coverage-hexes', () => this.hover(null));
  }

  /** The resolution of the hexes on screen (-1 before any is drawn). */
  get res(): number {
    if (!this.tiles) return this.geoJsonRes;
    const f = this.map.getLayer('coverage-hexes') ? this.map.queryRenderedFeatures({ layers: ['coverage-hexes'] })[0] : undefined;
    const cell = f?.properties.cell as string | undefined;
    return cell && isValidCell(cell) ? getResolution(cell) : -1;
  }

  private id(cell: string): FeatureIdentifier {
    return this.tiles ? { source: 'coverage', sourceLayer: SOURCE_LAYER.coverage, id: cell } : { source: 'coverage', id: cell };
  }

  /** The metrics of a hex: from the fetched GeoJSON, or from the loaded tiles. */
  hexOf(cell: string): CoverageHex | undefined {
    if (!this.tiles) return this.hexes.get(cell);
    const [f] = this.map.querySourceFeatures('coverage', { sourceLayer: SOURCE_LAYER.coverage, filter: ['==', ['get', 'cell'], cell] });
    return f ? (f.properties as CoverageHex) : undefined;
  }

  private source(): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>('coverage');
  }

  schedule(delayMs = 120): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  viewBbox(): Bbox {
    const b = this.map.getBounds();
    return [Math.max(-180, b.getWest()), Math.max(-85.06, b.getSouth()), Math.min(180, b.getEast()), Math.min(85.06, b.getNorth())];
  }

  /** Fetch when the resolution changed or the view left the fetched box; `force` refetches anyway. */
  refresh(force = false): Promise<void> {
    if (this.tiles) return this.loading;
    const res = resForZoom(this.map.getZoom());
    const view = this.viewBbox();
    if (!force && res === this.geoJsonRes && this.fetched && bboxContains(this.fetched, view)) return this.loading;
    const box = padBbox(view);
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = this.api
      .coverage(res, box, abort.signal)
      .then(async (data) => {
        await styleReady(this.map, 'coverage');
        if (abort.signal.aborted) return;
        this.geoJsonRes = data.res ?? res;
        this.fetched = box;
        this.hexes.clear();
        for (const h of data.hexes) this.hexes.set(h.cell, h);
        this.hovered = null;
        this.source()?.setData(cellsToGeoJson(this.geoJsonRes, data.hexes));
        if (this.selected) this.map.setFeatureState({ source: 'coverage', id: this.selected }, { selected: true });
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') console.warn('coverage', e);
      });
    return this.loading;
  }

  private hover(e: MapLayerMouseEvent | null): void {
    const id = (e?.features?.[0]?.id as string | undefined) ?? null;
    if (id === this.hovered) return;
    if (this.hovered) this.map.setFeatureState(this.id(this.hovered), { hover: false });
    this.hovered = id;
    if (id) this.map.setFeatureState(this.id(id), { hover: true });
  }

  select(cell: string | null): void {
    if (this.selected && (this.tiles || this.hexes.has(this.selected))) this.map.setFeatureState(this.id(this.selected), { selected: false });
    this.selected = cell;
    if (cell && (this.tiles || this.hexes.has(cell))) this.map.setFeatureState(this.id(cell), { selected: true });
  }

  /** The shown hex containing a finer cell (e.g. a hotspot's res-12 location). */
  shownCellOf(cell: string | null): string | null {
    if (!cell || !isValidCell(cell) || this.res < 0) return null;
    const r = getResolution(cell);
    if (r < this.res) return null;
    return cellToParent(cell, this.res);
  }

  /** A valid witness was verified live in `cell`: count it in the shown hex without re-uploading data. */
  bumpWitnesses(cell: string | null, n = 1): void {
    if (this.tiles) return this.scheduleReload();
    const shown = this.shownCellOf(cell);
    if (!shown) return;
    const hex = this.hexes.get(shown);
    if (!hex) return;
    hex.witnesses += n;
    this.map.setFeatureState({ source: 'coverage', id: shown }, { witnesses: hex.witnesses });
  }

  /** Tiles: reload the coverage tiles soon, at most once per COVERAGE_RELOAD_MS. */
  private scheduleReload(): void {
    if (this.reloadTimer !== undefined) return;
    const waitMs = Math.max(0, this.lastReloadMs + COVERAGE_RELOAD_MS - Date.now());
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.lastReloadMs = Date.now();
      if (this.tiles) this.map.getSource<VectorTileSource>('coverage')?.setTiles(this.tiles.tiles);
    }, waitMs);
  }
}
