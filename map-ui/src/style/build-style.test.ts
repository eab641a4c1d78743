import { describe, it, expect } from 'vitest';
import { buildOverlayLayers, buildStyle, LAYER_ORDER, OVERLAY_LAYERS } from './build-style.ts';
import { DARK, LIGHT } from './theme.ts';
import { METRICS, metricById, metricColorExpression } from './metrics.ts';

const ctx = { theme: LIGHT, metric: METRICS[0], landUrl: 'http://127.0.0.1/land.json' };

describe('buildStyle', () => {
  it('draws the layers in the one LAYER_ORDER list, with the names tests query (issue 8)', () => {
    const style = buildStyle(ctx);
    expect(style.layers.map((l) => l.id)).toEqual([...LAYER_ORDER]);
    const ids = style.layers.map((l) => l.id);
    for (const name of ['coverage-hexes', 'hotspots', 'witness-paths']) expect(ids).toContain(name);
    // hexes under paths under hotspots
    expect(ids.indexOf('coverage-hexes')).toBeLessThan(ids.indexOf('witness-paths'));
    expect(ids.indexOf('witness-paths')).toBeLessThan(ids.indexOf('hotspots'));
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
