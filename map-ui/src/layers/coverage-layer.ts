/**
 * The coverage hexes: fetches `/api/v1/coverage?res=&bbox=` for the shown resolution (h3/res-for-zoom.ts)
 * and a padded box around the view (so panning inside it fetches nothing), and feeds the `coverage`
 * source. Hover, selection and live witness counts are feature-state on the promoted `cell` id: no data
 * is re-uploaded for them (issue 8, Scale).
 */
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import { cellToParent, getResolution, isValidCell } from 'h3-js';
import type { ApiClient } from '../api/client.ts';
import type { CoverageHex } from '../api/types.ts';
import { cellsToGeoJson } from '../h3/cells-to-geojson.ts';
import { resForZoom } from '../h3/res-for-zoom.ts';
import { styleReady } from './style-ready.ts';

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
  res = -1;
  private fetched: Bbox | null = null;
  private abort: AbortController | null = null;
  readonly hexes = new Map<string, CoverageHex>();
  private hovered: string | null = null;
  private selected: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves when the newest requested data has been handed to the source. */
  loading: Promise<void> = Promise.resolve();
  onClick: (cell: string) => void = () => {};

  constructor(private readonly map: MapLibreMap, private readonly api: ApiClient) {
    map.on('moveend', () => this.schedule());
    map.on('mousemove', 'coverage-hexes', (e) => this.hover(e));
    map.on('mouseleave', 'coverage-hexes', () => this.hover(null));
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
    const res = resForZoom(this.map.getZoom());
    const view = this.viewBbox();
    if (!force && res === this.res && this.fetched && bboxContains(this.fetched, view)) return this.loading;
    const box = padBbox(view);
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = this.api
      .coverage(res, box, abort.signal)
      .then(async (data) => {
        await styleReady(this.map, 'coverage');
        if (abort.signal.aborted) return;
        this.res = data.res ?? res;
        this.fetched = box;
        this.hexes.clear();
        for (const h of data.hexes) this.hexes.set(h.cell, h);
        this.hovered = null;
        this.source()?.setData(cellsToGeoJson(this.res, data.hexes));
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
    if (this.hovered) this.map.setFeatureState({ source: 'coverage', id: this.hovered }, { hover: false });
    this.hovered = id;
    if (id) this.map.setFeatureState({ source: 'coverage', id }, { hover: true });
  }

  select(cell: string | null): void {
    if (this.selected && this.hexes.has(this.selected)) this.map.setFeatureState({ source: 'coverage', id: this.selected }, { selected: false });
    this.selected = cell;
    if (cell && this.hexes.has(cell)) this.map.setFeatureState({ source: 'coverage', id: cell }, { selected: true });
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
    const shown = this.shownCellOf(cell);
    if (!shown) return;
    const hex = this.hexes.get(shown);
    if (!hex) return;
    hex.witnesses += n;
    this.map.setFeatureState({ source: 'coverage', id: shown }, { witnesses: hex.witnesses });
  }
}
