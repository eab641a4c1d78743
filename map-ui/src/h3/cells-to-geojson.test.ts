import { describe, it, expect } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { cellsToGeoJson, hexRing } from './cells-to-geojson.ts';

describe('cellsToGeoJson', () => {
  const cell = latLngToCell(52.52, 13.405, 8);

  it('makes one closed [lng, lat] hexagon per cell, keeping the API properties', () => {
    const fc = cellsToGeoJson(8, [{ cell, hotspots: 3, witnesses: 12, bestRssiDbm: -97.5, scale: '0.5' }]);
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0];
    expect(f.properties).toEqual({ cell, hotspots: 3, witnesses: 12, bestRssiDbm: -97.5, scale: '0.5', res: 8 });
    const ring = f.geometry.coordinates[0];
    // A hexagon has 6 vertices; GeoJSON closes the ring by repeating the first (RFC 7946 §3.1.6) → 7.
    expect(ring).toHaveLength(7);
    expect(ring[6]).toEqual(ring[0]);
    // [lng, lat] order: Berlin is at lng ≈ 13.4, lat ≈ 52.5; a res-8 vertex is < 1 km (< 0.02°) away.
    for (const [lng, lat] of ring) {
      expect(Math.abs(lng - 13.405)).toBeLessThan(0.02);
      expect(Math.abs(lat - 52.52)).toBeLessThan(0.02);
    }
  });

  it('keeps a cell on the antimeridian in one piece (no ring wider than 180°)', () => {
    const c = latLngToCell(0, 179.999, 4);
    const lngs = hexRing(c).map(([lng]) => lng);
    expect(Math.max(...lngs) - Math.min(...lngs)).toBeLessThan(2);
    const [, centreLng] = cellToLatLng(c);
    expect(Math.abs(centreLng)).toBeGreaterThan(179);
  });
});
