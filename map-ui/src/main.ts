/**
 * Entry of the Hexium map. Looks up the oracle's vector tile layers (api/tile-sources.ts; GeoJSON when
 * absent), then wires the style (built from a theme), the data layers, the live event stream, the panels
 * and the URL. Tests and tools find the map at `window.hexiumMap` and its layers by name
 * (`coverage-hexes`, `hotspots`, `witness-paths`; see style/build-style.ts LAYER_ORDER).
 */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre v6's worker is a separate file Vite does not see: import its URL (specs/map-ui.md §2).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
// The offline basemap: land polygons shipped as a static asset (specs/map-ui.md §3).
import landUrl from '@geo-maps/countries-land-10km/map.geo.json?url';
import './styles.css';
import { ApiClient } from './api/client.ts';
import { discoverTileSources } from './api/tile-sources.ts';
import { buildOverlayLayers, buildStyle, OVERLAY_LAYERS, overlaySources, type StyleContext } from './style/build-style.ts';
import { THEMES, type ThemeName } from './style/theme.ts';
import { metricById, METRICS } from './style/metrics.ts';
import { applyCssTheme, applyPaint } from './style/apply-theme.ts';
import { formatUrlState, parseUrlState, type UrlState } from './url-state.ts';
import { CoverageLayer } from './layers/coverage-layer.ts';
import { HotspotLayer } from './layers/hotspot-layer.ts';
import { App } from './app.ts';

declare global {
  interface Window {
    hexiumMap: maplibregl.Map;
    hexiumApp: App;
  }
}

maplibregl.setWorkerUrl(workerUrl);
// MapLibre defaults to ⌊cores / 2⌋ workers — one on a 2-core laptop, where the basemap, hotspots and
// coverage would then be cut into tiles one after the other. Two let them overlap.
maplibregl.setWorkerCount(Math.max(2, maplibregl.getWorkerCount()));

const url: UrlState = parseUrlState(location.search);
const themeName: ThemeName = url.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
applyCssTheme(document.documentElement, THEMES[themeName]);
/** Phone width (styles.css has the same break): the sheet and the legend start collapsed. */
const phone = matchMedia('(max-width: 720px)').matches;
if (phone) document.querySelector('#legend')!.removeAttribute('open');

const api = new ApiClient();
const tiles = await discoverTileSources(new URL(api.base, location.href).href);
document.body.dataset.tiles = Object.entries(tiles).filter(([, t]) => t !== null).map(([k]) => k).join(' ');
const ctx: StyleContext = { theme: THEMES[themeName], metric: metricById(url.metric), landUrl: new URL(landUrl, location.href).href, tiles };

const map = new maplibregl.Map({
  container: 'map',
  style: url.style ?? buildStyle(ctx),
  center: url.center ? [url.center.lng, url.center.lat] : [0, 20],
  zoom: url.zoom ?? 1.5,
  attributionControl: { compact: true, customAttribution: tiles.basemap ? 'Land: © OpenStreetMap contributors via geo-maps' : 'Land: Natural Earth / OSM via geo-maps' },
  canvasContextAttributes: { antialias: false },
  maxPitch: 0,
  dragRotate: false,
});
map.touchZoomRotate.disableRotation();
map.keyboard.enable();
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
window.hexiumMap = map;

if (url.style) {
  // Online basemap from a user style: add the app's overlays on top of it.
  map.once('style.load', () => {
    for (const [id, src] of Object.entries(overlaySources(tiles))) map.addSource(id, src);
    for (const layer of buildOverlayLayers(ctx)) map.addLayer(layer);
  });
}

const coverage = new CoverageLayer(map, api, tiles.coverage);
const hotspots = new HotspotLayer(map, api, tiles.hotspots);
const app = new App({ map, api, coverage, hotspots, ctx, url, phone, onUrl: (s) => history.replaceState(null, '', formatUrlState(s) || location.pathname) });
window.hexiumApp = app;
app.prefetch();

const metricSelect = document.querySelector<HTMLSelectElement>('#metric')!;
for (const m of METRICS) metricSelect.append(new Option(m.label, m.id, false, m.id === ctx.metric.id));
metricSelect.addEventListener('change', () => app.setMetric(metricById(metricSelect.value)));
document.querySelector('#theme-toggle')!.addEventListener('click', () => {
  const next = ctx.theme.name === 'dark' ? 'light' : 'dark';
  ctx.theme = THEMES[next];
  applyCssTheme(document.documentElement, ctx.theme);
  applyPaint(map, ctx, url.style ? OVERLAY_LAYERS : undefined);
  app.setTheme(next);
});

map.on('load', () => void app.start());
map.on('error', (e) => console.error('map error', e.error?.message ?? e));
