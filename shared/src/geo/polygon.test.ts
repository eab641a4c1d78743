import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { cellToPolygonFeature } from './polygon.ts';

describe('cellToPolygonFeature', () => {
  it('is a GeoJSON Feature<Polygon> with [lng, lat] positions and a closed ring', () => {
    const cell = latLngToCell(37.7759, -122.4179, 12);
    const f = cellToPolygonFeature(cell, { cell });
    expect(f.type).toBe('Feature');
    expect(f.properties).toEqual({ cell });
    expect(f.geometry.type).toBe('Polygon');
    const ring = f.geometry.coordinates[0];
    expect(ring.length).toBe(7); // hexagon: 6 corners + the closing copy of the first (RFC 7946 §3.1.6)
    expect(ring[0]).toEqual(ring[6]);
    for (const [lng, lat] of ring) {
      expect(lng).toBeCloseTo(-122.4179, 2);
      expect(lat).toBeCloseTo(37.7759, 2);
    }
  });
});
