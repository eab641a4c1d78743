/**
 * The map style, built by pure functions from a theme (STYLE.md: style as code). Layer order lives in
 * ONE list, LAYER_ORDER; every layer's spec comes from `layerSpec(id, ctx)`. Sources start empty and are
 * filled by the controllers (layers/*.ts) with setData; highlight and live colour go through
 * feature-state, so nothing is re-uploaded on hover or on a live event.
 *
 * The basemap is offline (specs/map-ui.md §3): sea = background, land = fill of a GeoJSON shipped with
 * the app, coastline/borders = line of the same polygons. No text layers (no glyphs are fetched).
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Theme } from './theme.ts';
import { metricColorExpression, type Metric } from './metrics.ts';

/** Bottom → top. Basemap layers first, then the overlays the app owns. */
export const LAYER_ORDER = [
  'background',
  'land',
  'coastline',
  'coverage-hexes',
  'coverage-outline',
  'witness-paths',
  'live-paths',
  'hotspot-clusters',
  'hotspots',
  'hotspot-selected',
  'live-beacons',
] as const;
export type LayerId = (typeof LAYER_ORDER)[number];

export const BASEMAP_LAYERS: readonly LayerId[] = ['background', 'land', 'coastline'];
export const OVERLAY_LAYERS: readonly LayerId[] = LAYER_ORDER.filter((id) => !BASEMAP_LAYERS.includes(id));

/** Hotspots cluster up to this zoom; past it every hotspot is its own circle. */
export const CLUSTER_MAX_ZOOM = 9;

export interface StyleContext {
  theme: Theme;
  metric: Metric;
  /** URL of the land GeoJSON shipped with the app. */
  landUrl: string;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function overlaySources(): Record<string, SourceSpecification> {
  return {
    coverage: { type: 'geojson', data: EMPTY, promoteId: 'cell' },
    hotspots: {
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

export function basemapSources(landUrl: string): Record<string, SourceSpecification> {
  // 10 km land data gains nothing past z 6: deeper tiles are over-zoomed from z 6 ones (fewer tiles to cut).
  return { land: { type: 'geojson', data: landUrl, tolerance: 0.5, maxzoom: 6, buffer: 64 } };
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const isValid: ExpressionSpecification = ['==', ['get', 'status'], 'valid'];

/** The spec of one layer, from the theme. */
export function layerSpec(id: LayerId, { theme: t, metric }: StyleContext): LayerSpecification {
  switch (id) {
    case 'background':
      return { id, type: 'background', paint: { 'background-color': t.sea } };
    case 'land':
      return { id, type: 'fill', source: 'land', paint: { 'fill-color': t.land, 'fill-antialias': false } };
    case 'coastline':
      return { id, type: 'line', source: 'land', paint: { 'line-color': t.coastline, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.4, 10, 1.2] } };
    case 'coverage-hexes':
      return {
        id,
        type: 'fill',
        source: 'coverage',
        paint: {
          'fill-color': metricColorExpression(metric, t),
          'fill-opacity': ['interpolate', ['linear'], ['zoom'], 4, ['case', hovered, 0.9, 0.75], 12, ['case', hovered, 0.8, 0.55]],
          'fill-antialias': false,
        },
      };
    case 'coverage-outline':
      return {
        id,
        type: 'line',
        source: 'coverage',
        minzoom: 7,
        paint: {
          'line-color': ['case', ['any', ['boolean', ['feature-state', 'selected'], false], ['boolean', ['feature-state', 'hover'], false]], t.hexHighlight, t.hexOutline],
          'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 2.5, ['boolean', ['feature-state', 'hover'], false], 1.5, 0.4],
          'line-opacity': ['case', ['any', ['boolean', ['feature-state', 'selected'], false], ['boolean', ['feature-state', 'hover'], false]], 1, 0.5],
        },
      };
    case 'witness-paths':
      return {
        id,
        type: 'line',
        source: 'witness-paths',
        layout: { 'line-cap': 'round' },
        paint: {
          'line-color': ['case', isValid, t.pocValid, t.pocInvalid],
          'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 4, 2],
          'line-opacity': 0.85,
          'line-dasharray': ['case', isValid, ['literal', [1, 0]], ['literal', [2, 2]]],
        },
      };
    case 'live-paths':
      return {
        id,
        type: 'line',
        source: 'live',
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-cap': 'round' },
        paint: {
          'line-color': ['match', ['get', 'status'], 'valid', t.pocValid, 'invalid', t.pocInvalid, t.live],
          'line-width': 2.5,
          'line-opacity': 0.9,
          'line-dasharray': ['case', ['==', ['get', 'status'], 'invalid'], ['literal', [2, 2]], ['literal', [1, 0]]],
        },
      };
    case 'hotspot-clusters':
      return {
        id,
        type: 'circle',
        source: 'hotspots',
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
        source: 'hotspots',
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
        source: 'hotspots',
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': 'rgba(0,0,0,0)',
          'circle-radius': 12,
          'circle-stroke-color': t.selection,
          'circle-stroke-width': 3,
          'circle-stroke-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 1, 0],
        },
      };
    case 'live-beacons':
      return {
        id,
        type: 'circle',
        source: 'live',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-color': ['match', ['get', 'status'], 'valid', t.pocValid, 'invalid', t.pocInvalid, t.live],
          'circle-opacity': 0.35,
          'circle-radius': 16,
          'circle-stroke-color': ['match', ['get', 'status'], 'valid', t.pocValid, 'invalid', t.pocInvalid, t.live],
          'circle-stroke-width': 2,
        },
      };
  }
}

/** The whole offline style: basemap + overlays, in LAYER_ORDER. */
export function buildStyle(ctx: StyleContext): StyleSpecification {
  return {
    version: 8,
    name: `hexium-${ctx.theme.name}`,
    sources: { ...basemapSources(ctx.landUrl), ...overlaySources() },
    layers: LAYER_ORDER.map((id) => layerSpec(id, ctx)),
  };
}

/** Overlay layers only, for a user-supplied online basemap style (`?style=`). */
export function buildOverlayLayers(ctx: StyleContext): LayerSpecification[] {
  return OVERLAY_LAYERS.map((id) => layerSpec(id, ctx));
}
