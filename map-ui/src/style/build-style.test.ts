import { describe, it, expect } from 'vitest';
import type { LayerSpecification } from 'maplibre-gl';
import { buildOverlayLayers, buildStyle, GEOJSON_SOURCES, LAYER_ORDER, LIVE_MIN_ZOOM, OVERLAY_LAYERS, type DataSources } from './build-style.ts';
import { DARK, LIGHT } from './theme.ts';
import { METRICS, metricById, metricColorExpression } from './metrics.ts';

const ctx = { theme: LIGHT, metric: METRICS[0], landUrl: 'http://127.0.0.1/land.json', tiles: GEOJSON_SOURCES };
const tile = (layer: string) => ({ tiles: [`http://127.0.0.1/api/v1/tiles/${layer}/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 14 });
const TILES: DataSources = { hotspots: tile('hotspots'), coverage: tile('coverage'), basemap: tile('basemap') };
const byId = (layers: LayerSpecification[]) => Object.fromEntries(layers.map((l) => [l.id, l as LayerSpecification & { source?: string; 'source-layer'?: string; minzoom?: number }]));

describe('buildStyle', () => {
  it('draws the layers in the one LAYER_ORDER list, with the names tests query (issue 8)', () => {
    const style = buildStyle(ctx);
    expect(style.layers.map((l) => l.id)).toEqual([...LAYER_ORDER]);
    const ids = style.layers.map((l) => l.id);
    for (const name of ['coverage-hexes', 'hotspots', 'witness-paths']) expect(ids).toContain(name);
    // issue 16: hexes under the live rounds under the hotspots; the selected hotspot's paths (and its
    // selection ring) above everything else.
    expect(ids.indexOf('coverage-hexes')).toBeLessThan(ids.indexOf('live-paths'));
    expect(ids.indexOf('live-paths')).toBeLessThan(ids.indexOf('hotspots'));
    expect(ids.slice(-2)).toEqual(['witness-paths', 'hotspot-selected']);
  });

  it('draws live rounds only from LIVE_MIN_ZOOM, thin and fading by their `fade` property', () => {
    const l = byId(buildStyle(ctx).layers);
    for (const id of ['live-paths', 'live-beacons']) expect(l[id].minzoom).toBe(LIVE_MIN_ZOOM);
    const paint = JSON.stringify((l['live-paths'] as { paint: unknown }).paint);
    expect(paint).toContain('"fade"');
  });

  it('reads vector tiles when the oracle has them: source-layers, promoted ids, tile URLs', () => {
    const style = buildStyle({ ...ctx, tiles: TILES });
    expect(style.sources.hotspots).toEqual({ type: 'vector', tiles: TILES.hotspots!.tiles, minzoom: 0, maxzoom: 14, promoteId: { hotspots: 'address' } });
    expect(style.sources.coverage).toMatchObject({ type: 'vector', promoteId: { coverage: 'cell' } });
    expect(style.sources.basemap).toMatchObject({ type: 'vector', tiles: TILES.basemap!.tiles });
    expect(style.sources.land).toBeUndefined();
    const l = byId(style.layers);
    expect([l.land.source, l.land['source-layer']]).toEqual(['basemap', 'land']);
    expect([l.coastline.source, l.coastline['source-layer']]).toEqual(['basemap', 'coastline']);
    for (const id of ['hotspots', 'hotspot-clusters', 'hotspot-selected']) expect([l[id].source, l[id]['source-layer']]).toEqual(['hotspots', 'hotspots']);
    for (const id of ['coverage-hexes', 'coverage-outline']) expect([l[id].source, l[id]['source-layer']]).toEqual(['coverage', 'coverage']);
    // The app's own small sources stay GeoJSON.
    expect(l['live-paths']['source-layer']).toBeUndefined();
    expect(style.sources.live).toMatchObject({ type: 'geojson' });
  });

  it('mixes: a missing tile layer falls back to its GeoJSON source alone', () => {
    const style = buildStyle({ ...ctx, tiles: { ...TILES, basemap: null } });
    expect(style.sources.land).toMatchObject({ type: 'geojson', data: ctx.landUrl });
    expect(style.sources.basemap).toBeUndefined();
    const l = byId(style.layers);
    expect([l.land.source, l.land['source-layer']]).toEqual(['land', undefined]);
    expect(l.hotspots['source-layer']).toBe('hotspots');
  });

  it('is offline: one local GeoJSON basemap, no tiles, no glyphs, no sprite, no text', () => {
    const style = buildStyle(ctx);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const urls = JSON.stringify(style.sources).match(/https?:\/\/[^"]+/g) ?? [];
    expect(urls).toEqual(['http://127.0.0.1/land.json']);
    expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
  });

  it('gives coverage feature ids by cell, for feature-state', () => {
    const src = buildStyle(ctx).sources.coverage as { promoteId?: string };
    expect(src.promoteId).toBe('cell');
  });

  it('takes every colour from the theme (colours are roles)', () => {
    const light = JSON.stringify(buildStyle(ctx));
    const dark = JSON.stringify(buildStyle({ ...ctx, theme: DARK }));
    expect(light).toContain(LIGHT.sea);
    expect(dark).toContain(DARK.sea);
    expect(dark).not.toContain(LIGHT.sea);
    expect(dark).not.toContain(LIGHT.land);
  });

  it('overlay-only style for a user basemap has no basemap layers', () => {
    expect(buildOverlayLayers(ctx).map((l) => l.id)).toEqual([...OVERLAY_LAYERS]);
    expect(OVERLAY_LAYERS).not.toContain('background');
    expect(byId(buildOverlayLayers({ ...ctx, tiles: TILES })).hotspots['source-layer']).toBe('hotspots');
  });
});

describe('metrics', () => {
  it('ramps over five ascending breaks and greys hexes without a value', () => {
    for (const m of METRICS) for (let i = 1; i < 5; i++) expect(m.breaks[i]).toBeGreaterThan(m.breaks[i - 1]);
    const expr = metricColorExpression(metricById('bestRssiDbm'), LIGHT) as unknown[];
    expect(expr[0]).toBe('case');
    expect(expr[2]).toBe(LIGHT.hotspotOffline);
    const ramp = expr[3] as unknown[];
    // ['interpolate', ['linear'], value, b0, c0, …, b4, c4] → 3 + 10 entries
    expect(ramp).toHaveLength(13);
    expect(ramp.slice(3)).toEqual([-130, LIGHT.ramp[0], -115, LIGHT.ramp[1], -100, LIGHT.ramp[2], -85, LIGHT.ramp[3], -70, LIGHT.ramp[4]]);
  });

  it('falls back to the first metric for an unknown id', () => {
    expect(metricById('nope').id).toBe('hotspots');
  });
});
