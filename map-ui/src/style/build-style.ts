/**
 * The map style, built by pure functions from a theme (STYLE.md: style as code). Layer order lives in
 * ONE list, LAYER_ORDER; every layer's spec comes from `layerSpec(id, ctx)`.
 *
 * Data sources come in two kinds behind the same builder (`ctx.tiles`):
 * - vector tiles from the oracle (docs/api.md Tiles): `hotspots` (source-layer `hotspots`, clustered on
 *   the server at low zoom), `coverage` (source-layer `coverage`, H3 cells at the zoom's resolution) and
 *   `basemap` (source-layers `land` and `coastline`). Feature ids are promoted from `address` / `cell`,
 *   so hover, selection and live state are feature-state and nothing is re-uploaded;
 * - the GeoJSON fallback, for an oracle without tile routes: empty `geojson` sources filled by the
 *   controllers (layers/*.ts) with setData, and the land GeoJSON shipped with the app.
 * The basemap is offline either way (specs/map-ui.md §3): sea = background, land = fill, coastline =
 * line. No text layers, so no glyphs are fetched (cluster circles carry no count label).
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Theme } from './theme.ts';
import { metricColorExpression, type Metric } from './metrics.ts';

/**
 * Bottom → top. Basemap layers first, then the overlays the app owns. Live rounds sit under the hotspots
 * (thin, fading); the selected hotspot's witness paths and its ring are drawn above everything else.
 */
export const LAYER_ORDER = [
  'background',
  'land',
  'coastline',
  'coverage-hexes',
  'coverage-outline',
  'live-paths',
  'live-beacons',
  'hotspot-clusters',
  'hotspots',
  'witness-paths',
  'hotspot-selected',
] as const;
export type LayerId = (typeof LAYER_ORDER)[number];

export const BASEMAP_LAYERS: readonly LayerId[] = ['background', 'land', 'coastline'];
export const OVERLAY_LAYERS: readonly LayerId[] = LAYER_ORDER.filter((id) => !BASEMAP_LAYERS.includes(id));

/** GeoJSON fallback: hotspots cluster up to this zoom; past it every hotspot is its own circle. */
export const CLUSTER_MAX_ZOOM = 9;

/**
 * Live rounds are drawn from this zoom on. At z 11 in San Francisco (37.8° N) a pixel is
 * 78,271.5 / 2^11 × cos 37.8° ≈ 30 m, so a 3 km witness path is ≈ 100 px long and the rounds of a city do
 * not merge into one mass; zoomed further out they would (issue 16, "readable live view").
 */
export const LIVE_MIN_ZOOM = 11;

/**
 * Hex outlines are drawn from this zoom on. At z 12 a res-9 hex (edge ≈ 174 m, H3 resolution table) is
 * ≈ 21 px across in Shanghai (78,271.5 m / 2^12 × cos 31.2° ≈ 16 m per px), where a 0.4 px outline at
 * half opacity hardly shows but costs a line layer over every coverage tile in each frame
 * (bench/map-scale.bench.ts, docs/map.md).
 */
export const OUTLINE_MIN_ZOOM = 13;

/** A vector tile source as the oracle's TileJSON describes it (tile URLs made absolute). */
export interface TileSourceInfo {
  tiles: string[];
  minzoom: number;
  maxzoom: number;
}

/** Which data sources are vector tiles (non-null) and which fall back to GeoJSON (null). */
export interface DataSources {
  hotspots: TileSourceInfo | null;
  coverage: TileSourceInfo | null;
  basemap: TileSourceInfo | null;
}

export const GEOJSON_SOURCES: DataSources = { hotspots: null, coverage: null, basemap: null };

/** The source-layer names of the oracle's tiles (docs/api.md Tiles). */
export const SOURCE_LAYER = { hotspots: 'hotspots', coverage: 'coverage', land: 'land', coastline: 'coastline' } as const;

export interface StyleContext {
  theme: Theme;
  metric: Metric;
  /** URL of the land GeoJSON shipped with the app (the fallback basemap). */
  landUrl: string;
  tiles: DataSources;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function vector(info: TileSourceInfo, promoteId?: Record<string, string>): SourceSpecification {
  return { type: 'vector', tiles: info.tiles, minzoom: info.minzoom, maxzoom: info.maxzoom, ...(promoteId ? { promoteId } : {}) };
}

export function overlaySources(tiles: DataSources = GEOJSON_SOURCES): Record<string, SourceSpecification> {
  return {
    coverage: tiles.coverage ? vector(tiles.coverage, { [SOURCE_LAYER.coverage]: 'cell' }) : { type: 'geojson', data: EMPTY, promoteId: 'cell' },
    hotspots: tiles.hotspots
      ? vector(tiles.hotspots, { [SOURCE_LAYER.hotspots]: 'address' })
      : {
          type: 'geojson',
          data: EMPTY,
          cluster: true,
          clusterMaxZoom: CLUSTER_MAX_ZOOM,
          clusterRadius: 40,
          clusterProperties: { online: ['+', ['case', ['get', 'online'], 1, 0]] },
        },
    'witness-paths': { type: 'geojson', data: EMPTY },
    live: { type: 'geojson', data: EMPTY },
  };
}

export function basemapSources(landUrl: string, tiles: DataSources = GEOJSON_SOURCES): Record<string, SourceSpecification> {
  if (tiles.basemap) return { basemap: vector(tiles.basemap) };
  // 10 km land data gains nothing past z 6: deeper tiles are over-zoomed from z 6 ones (fewer tiles to cut).
  return { land: { type: 'geojson', data: landUrl, tolerance: 0.5, maxzoom: 6, buffer: 64 } };
}

/** `source` (and `source-layer` for a vector source) of a layer drawing `layer` of data source `id`. */
function from(ctx: StyleContext, id: 'hotspots' | 'coverage' | 'basemap', layer: string): { source: string; 'source-layer'?: string } {
  if (id === 'basemap') return ctx.tiles.basemap ? { source: 'basemap', 'source-layer': layer } : { source: 'land' };
  return ctx.tiles[id] ? { source: id, 'source-layer': layer } : { source: id };
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const isValid: ExpressionSpecification = ['==', ['get', 'status'], 'valid'];

/** The spec of one layer, from the theme. */
export function layerSpec(id: LayerId, ctx: StyleContext): LayerSpecification {
  const { theme: t, metric } = ctx;
  const hotspots = from(ctx, 'hotspots', SOURCE_LAYER.hotspots);
  const coverage = from(ctx, 'coverage', SOURCE_LAYER.coverage);
  switch (id) {
    case 'background':
      return { id, type: 'background', paint: { 'background-color': t.sea } };
    case 'land':
      return { id, type: 'fill', ...from(ctx, 'basemap', SOURCE_LAYER.land), paint: { 'fill-color': t.land, 'fill-antialias': false } };
    case 'coastline':
      return { id, type: 'line', ...from(ctx, 'basemap', SOURCE_LAYER.coastline), paint: { 'line-color': t.coastline, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.4, 10, 1.2] } };
    case 'coverage-hexes':
      return {
        id,
        type: 'fill',
        ...coverage,
        paint: {
          // Below OUTLINE_MIN_ZOOM there is no outline layer: the selected hex is filled in the highlight colour.
          'fill-color': ['step', ['zoom'], ['case', selected, t.hexHighlight, metricColorExpression(metric, t)], OUTLINE_MIN_ZOOM, metricColorExpression(metric, t)],
          'fill-opacity': ['interpolate', ['linear'], ['zoom'], 4, ['case', hovered, 0.9, 0.75], 12, ['case', hovered, 0.8, 0.55]],
          'fill-antialias': false,
        },
      };
    case 'coverage-outline':
      return {
        id,
        type: 'line',
        ...coverage,
        minzoom: OUTLINE_MIN_ZOOM,
        paint: {
          'line-color': ['case', ['any', ['boolean', ['feature-state', 'selected'], false], ['boolean', ['feature-state', 'hover'], false]], t.hexHighlight, t.hexOutline],
          'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 2.5, ['boolean', ['feature-state', 'hover'], false], 1.5, 0.4],
          'line-opacity': ['case', ['any', ['boolean', ['feature-state', 'selected'], false], ['boolean', ['feature-state', 'hover'], false]], 1, 0.5],
        },
      };
    case 'witness-paths':
      // The selected hotspot's paths: above everything, thin enough that the hexes stay readable.
      return {
        id,
        type: 'line',
        source: 'witness-paths',
        layout: { 'line-cap': 'round' },
        paint: {
          'line-color': ['case', isValid, t.pocValid, t.pocInvalid],
          'line-width': ['interpolate', ['linear'], ['zoom'], 10, ['case', hovered, 3.5, 1.2], 15, ['case', hovered, 3.5, 2]],
          'line-opacity': 0.9,
          'line-dasharray': ['case', isValid, ['literal', [1, 0]], ['literal', [2, 2]]],
        },
      };
    case 'live-paths':
      // Live rounds: thin lines that fade out after the verdict (`fade` 1 → 0, live/live-rounds.ts).
      return {
        id,
        type: 'line',
        source: 'live',
        minzoom: LIVE_MIN_ZOOM,
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-cap': 'round' },
        paint: {
          'line-color': ['match', ['get', 'status'], 'valid', t.pocValid, 'invalid', t.pocInvalid, t.live],
          'line-width': ['interpolate', ['linear'], ['zoom'], LIVE_MIN_ZOOM, 1, 16, 2],
          'line-opacity': ['*', 0.7, ['to-number', ['get', 'fade'], 1]],
          'line-dasharray': ['case', ['==', ['get', 'status'], 'invalid'], ['literal', [2, 2]], ['literal', [1, 0]]],
        },
      };
    case 'hotspot-clusters':
      return {
        id,
        type: 'circle',
        ...hotspots,
        filter: ['has', 'point_count'],
        paint: {
          'circle-color': t.cluster,
          'circle-opacity': 0.8,
          'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 7, 10, 16, 100, 34],
          'circle-stroke-color': t.clusterStroke,
          'circle-stroke-width': 1.5,
        },
      };
    case 'hotspots':
      return {
        id,
        type: 'circle',
        ...hotspots,
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': ['case', ['coalesce', ['feature-state', 'online'], ['get', 'online']], t.hotspotOnline, t.hotspotOffline],
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3.5, 14, 7],
          // The ring tells the last PoC verdict (docs/api.md Hotspot feature `lastPocStatus`).
          'circle-stroke-color': [
            'match',
            ['coalesce', ['feature-state', 'lastPocStatus'], ['get', 'lastPocStatus'], 'none'],
            'valid', t.pocValid, 'invalid', t.pocInvalid, t.halo,
          ],
          'circle-stroke-width': ['case', ['boolean', ['feature-state', 'hover'], false], 3, 1.5],
        },
      };
    case 'hotspot-selected':
      return {
        id,
        type: 'circle',
        ...hotspots,
        filter: ['!', ['has', 'point_count']],
        // Radius and stroke 0 unless selected: an invisible 30 px quad per hotspot in view would cost
        // (3,000 hotspots at a city view ≈ 2.7 Mpx of blended fragments, twice the window) in every frame.
        paint: {
          'circle-color': 'rgba(0,0,0,0)',
          'circle-radius': ['case', selected, 12, 0],
          'circle-stroke-color': t.selection,
          'circle-stroke-width': ['case', selected, 3, 0],
        },
      };
    case 'live-beacons':
      return {
        id,
        type: 'circle',
        source: 'live',
        minzoom: LIVE_MIN_ZOOM,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-color': ['match', ['get', 'status'], 'valid', t.pocValid, 'invalid', t.pocInvalid, t.live],
          'circle-opacity': ['*', 0.35, ['to-number', ['get', 'fade'], 1]],
          'circle-radius': 11,
          'circle-stroke-color': ['match', ['get', 'status'], 'valid', t.pocValid, 'invalid', t.pocInvalid, t.live],
          'circle-stroke-width': 1.5,
          'circle-stroke-opacity': ['to-number', ['get', 'fade'], 1],
        },
      };
  }
}

/** The whole offline style: basemap + overlays, in LAYER_ORDER. */
export function buildStyle(ctx: StyleContext): StyleSpecification {
  return {
    version: 8,
    name: `hexium-${ctx.theme.name}`,
    sources: { ...basemapSources(ctx.landUrl, ctx.tiles), ...overlaySources(ctx.tiles) },
    layers: LAYER_ORDER.map((id) => layerSpec(id, ctx)),
  };
}

/** Overlay layers only, for a user-supplied online basemap style (`?style=`). */
export function buildOverlayLayers(ctx: StyleContext): LayerSpecification[] {
  return OVERLAY_LAYERS.map((id) => layerSpec(id, ctx));
}
