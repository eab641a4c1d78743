import { cellToCenterChild, cellToParent, gridRingUnsafe, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { CellError, cellToU64String } from './cell-id.ts';
import { cellCenter, cellCenterDistanceM, distanceM, parentGridDistance } from './distance.ts';

// h3's authalic Earth radius 6371.007180918475 km (h3 constants.h EARTH_RADIUS_KM).
const R_M = 6_371_007.180918475;

describe('distances', () => {
  it('measures great-circle metres on h3’s sphere: 1° of longitude on the equator = R·π/180', () => {
    // 6 371 007.180918475 × 0.017453292519943295 = 111 195.0519752…
    expect(distanceM(0, 0, 0, 1)).toBeCloseTo((R_M * Math.PI) / 180, 6);
    // a quarter meridian: R·π/2 = 10 007 557.17 m
    expect(distanceM(0, 0, 90, 0)).toBeCloseTo((R_M * Math.PI) / 2, 3);
  });

  it('rounds the distance between cell centres to whole metres, accepting u64 ids', () => {
    const a = latLngToCell(52.52, 13.405, 12);
    const b = latLngToCell(52.53, 13.405, 12);
    const ca = cellCenter(a);
    const cb = cellCenter(cellToU64String(b));
    expect(cellCenterDistanceM(a, cellToU64String(b))).toBe(Math.round(distanceM(ca.lat, ca.lng, cb.lat, cb.lng)));
    expect(cellCenterDistanceM(a, a)).toBe(0);
    expect(Math.abs(cellCenterDistanceM(a, b) - 1112)).toBeLessThan(15); // 0.01° of latitude ≈ 1 112 m
  });

  it('counts grid steps between the res-11 parents', () => {
    const a = latLngToCell(40.7128, -74.006, 12);
    const p = cellToParent(a, 11);
    const ring3 = gridRingUnsafe(p, 3)[0];
    const b = cellToCenterChild(ring3, 12);
    expect(parentGridDistance(a, b)).toBe(3);
    expect(parentGridDistance(a, cellToCenterChild(p, 12))).toBe(0);
    expect(parentGridDistance(a, b, 12)).toBeGreaterThanOrEqual(3);
  });

  it('throws CellError when h3 cannot compute the distance or the cells are coarser than res', () => {
    const ny = latLngToCell(40.7128, -74.006, 12);
    const sydney = latLngToCell(-33.86, 151.2, 12);
    expect(() => parentGridDistance(ny, sydney)).toThrow(CellError);
    expect(() => parentGridDistance(latLngToCell(40.7, -74, 9), ny)).toThrow(CellError);
  });
});
