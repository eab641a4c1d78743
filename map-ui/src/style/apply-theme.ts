/**
 * Switching themes without rebuilding sources: every overlay and basemap layer's paint properties are
 * recomputed by the pure style builder and applied with setPaintProperty (data stays uploaded), and the
 * theme's roles are exported to CSS custom properties (`--sea`, `--ramp-0`…) so panels and legend use
 * the same colours. CSSOM writes are allowed by the CSP (no inline style attributes in markup).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { layerSpec, LAYER_ORDER, type StyleContext } from './build-style.ts';
import type { Theme } from './theme.ts';

export function applyPaint(map: MapLibreMap, ctx: StyleContext, only?: readonly string[]): void {
  for (const id of LAYER_ORDER) {
    if (only && !only.includes(id)) continue;
    if (!map.getLayer(id)) continue;
    const spec = layerSpec(id, ctx);
    const paint = (spec as { paint?: Record<string, unknown> }).paint ?? {};
    for (const [k, v] of Object.entries(paint)) map.setPaintProperty(id, k as Parameters<MapLibreMap['setPaintProperty']>[1], v as Parameters<MapLibreMap['setPaintProperty']>[2]);
  }
}

export function applyCssTheme(root: HTMLElement, t: Theme): void {
  root.dataset.theme = t.name;
  const vars: Record<string, string> = {
    sea: t.sea, land: t.land, online: t.hotspotOnline, offline: t.hotspotOffline, valid: t.pocValid, invalid: t.pocInvalid,
    cluster: t.cluster, live: t.live, selection: t.selection,
  };
  t.ramp.forEach((c, i) => (vars[`ramp-${i}`] = c));
  for (const [k, v] of Object.entries(vars)) root.style.setProperty(`--${k}`, v);
}
