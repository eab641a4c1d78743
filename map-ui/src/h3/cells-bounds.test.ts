import { describe, it, expect } from 'vitest';
import { cellToBoundary, getHexagonEdgeLengthAvg, latLngToCell } from 'h3-js';
import { cellsBounds } from './cells-bounds.ts';

describe('cellsBounds', () => {
  it('is null without cells', () => {
    expect(cellsBounds([])).toBeNull();
  });

  it('encloses every vertex of every cell and touches the outermost ones', () => {
    const a = latLngToCell(37.77, -122.42, 7);
    const b = latLngToCell(37.8, -122.27, 7);
    const [w, s, e, n] = cellsBounds([a, b])!;
    const pts = [a, b].flatMap((c) => cellToBoundary(c, true));
    for (const [lng, lat] of pts) {
      expect(lng).toBeGreaterThanOrEqual(w);
      expect(lng).toBeLessThanOrEqual(e);
      expect(lat).toBeGreaterThanOrEqual(s);
      expect(lat).toBeLessThanOrEqual(n);
    }
    expect(pts.some(([lng]) => lng === w) && pts.some(([lng]) => lng === e)).toBe(true);
    expect(pts.some(([, lat]) => lat === s) && pts.some(([, lat]) => lat === n)).toBe(true);
  });

  it('is wider than the centres alone by about one edge length on each side', () => {
    // A res-7 hexagon's mean edge is 1.406 km (h3geo.org/docs/core-library/restable); its centre-to-
    // vertex distance equals the edge, so the box reaches ≈ 1.4 km (≈ 0.0126° of latitude) past a centre.
    const c = latLngToCell(37.77, -122.42, 7);
    const [, s, , n] = cellsBounds([c])!;
    const edgeDeg = getHexagonEdgeLengthAvg(7, 'km') / 111.2;
    expect(n - s).toBeGreaterThan(edgeDeg);
    expect(n - s).toBeLessThan(2 * edgeDeg * 1.3);
  });
});
