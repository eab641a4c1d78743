import { describe, it, expect } from 'vitest';
import { parseTileJson } from './tile-sources.ts';

const DOC = 'http://127.0.0.1:8080/api/v1/tiles/hotspots.json';

describe('parseTileJson', () => {
  it('keeps absolute tile URLs with their {z}/{x}/{y} placeholders, and the zoom range', () => {
    const t = parseTileJson({ tilejson: '3.0.0', tiles: ['http://127.0.0.1:8080/api/v1/tiles/hotspots/{z}/{x}/{y}.mvt'], minzoom: 0, maxzoom: 14 }, DOC);
    expect(t).toEqual({ tiles: ['http://127.0.0.1:8080/api/v1/tiles/hotspots/{z}/{x}/{y}.mvt'], minzoom: 0, maxzoom: 14 });
  });

  it('resolves tile URLs relative to the TileJSON document', () => {
    expect(parseTileJson({ tiles: ['/api/v1/tiles/coverage/{z}/{x}/{y}.mvt'] }, DOC)!.tiles).toEqual(['http://127.0.0.1:8080/api/v1/tiles/coverage/{z}/{x}/{y}.mvt']);
    expect(parseTileJson({ tiles: ['basemap/{z}/{x}/{y}.mvt'] }, DOC)!.tiles).toEqual(['http://127.0.0.1:8080/api/v1/tiles/basemap/{z}/{x}/{y}.mvt']);
  });

  it('uses the TileJSON 3.0.0 defaults (minzoom 0, maxzoom 30) when the zooms are absent or invalid', () => {
    expect(parseTileJson({ tiles: ['/t/{z}/{x}/{y}.mvt'] }, DOC)).toMatchObject({ minzoom: 0, maxzoom: 30 });
    expect(parseTileJson({ tiles: ['/t/{z}/{x}/{y}.mvt'], minzoom: 5, maxzoom: 2 }, DOC)).toMatchObject({ minzoom: 5, maxzoom: 30 });
  });

  it('rejects what is not a usable TileJSON (the layer then falls back to GeoJSON)', () => {
    for (const bad of [null, 'x', {}, { tiles: [] }, { tiles: [3] }, { tiles: 'a' }]) expect(parseTileJson(bad, DOC)).toBeNull();
  });
});
