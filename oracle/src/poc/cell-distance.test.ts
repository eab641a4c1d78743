import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { cellToLatLng, cellToParent, getResolution, greatCircleDistance, gridDistance, isValidCell, latLngToCell } from 'h3-js';
import { cellCentreDistanceM, cellParentGridDistance, clearDistanceMemo } from './cell-distance.ts';

/**
 * The straightforward h3-js answers (poc.rs calc_cell_distance / calc_distance), any h3 error → undefined.
 * A string that is not a valid cell is an error (h3o cannot parse it; h3-js would read it anyway), and so
 * is a parent finer than the cell (h3o `parent` gives None).
 */
function plainGrid(a: string, b: string, res: number): number | undefined {
  if (!isValidCell(a) || !isValidCell(b) || getResolution(a) < res || getResolution(b) < res) return undefined;
  try {
    const d = gridDistance(cellToParent(a, res), cellToParent(b, res));
    return Number.isFinite(d) && d >= 0 ? d : undefined;
  } catch {
    return undefined;
  }
}
function plainMetres(a: string, b: string): number | undefined {
  if (!isValidCell(a) || !isValidCell(b)) return undefined;
  try {
    return Math.round(greatCircleDistance(cellToLatLng(a), cellToLatLng(b), 'm'));
  } catch {
    return undefined;
  }
}

describe('memoised cell distances', () => {
  // A beaconer and witnesses up to ~30 km away (offsets in 1e-4 degrees), at res 12 or coarser, some invalid.
  const cell = fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -3000, max: 3000 }), fc.constantFrom(12, 12, 12, 11, 9, -1));
  it('equal the plain h3-js computation, on first use and when memoised, for random pairs', () => {
    clearDistanceMemo();
    fc.assert(
      fc.property(fc.double({ min: -80, max: 80, noNaN: true }), fc.double({ min: -179, max: 179, noNaN: true }), fc.array(cell, { minLength: 2, maxLength: 8 }), (lat, lng, spots) => {
        const cells = spots.map(([dy, dx, res]) => (res < 0 ? 'not-a-cell' : latLngToCell(lat + dy * 1e-4, lng + dx * 1e-4, res)));
        for (let pass = 0; pass < 2; pass++) {
          for (const a of cells) {
            for (const b of cells) {
              expect(cellParentGridDistance(a, b, 11)).toBe(plainGrid(a, b, 11));
              expect(cellCentreDistanceM(a, b)).toBe(plainMetres(a, b));
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
