/**
 * Distances between locations and cells, as the oracle measures them: great-circle distance on h3's
 * sphere (h3-js `greatCircleDistance`, which matches h3o used by helium/oracles) and the grid distance
 * between res-11 parents (the witness "too close" check: oracles `iot_verifier/src/poc.rs`,
 * ../shared/specs/poc-and-rewards.md; h3-js throws for cells too far apart or across pentagons).
 */
import { cellToLatLng, cellToParent, getResolution, greatCircleDistance, gridDistance } from 'h3-js';
import { CellError, normalizeCell } from './cell-id.ts';

/** Great-circle distance in metres between two points given in degrees. */
export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  return greatCircleDistance([lat1, lng1], [lat2, lng2], 'm');
}

/** Centre of a cell (hex or u64 decimal) in degrees. */
export function cellCenter(cell: string): { lat: number; lng: number } {
  const [lat, lng] = cellToLatLng(normalizeCell(cell).hex);
  return { lat, lng };
}

/** Distance between two cell centres in whole metres (Math.round of the great-circle distance). */
export function cellCenterDistanceM(a: string, b: string): number {
  const ca = cellToLatLng(normalizeCell(a).hex);
  const cb = cellToLatLng(normalizeCell(b).hex);
  return Math.round(greatCircleDistance(ca, cb, 'm'));
}

/**
 * Grid distance (cells) between the resolution-`res` parents of two cells. Throws CellError when h3
 * cannot compute it (cells too far apart, pentagon distortion, or finer than `res`); the oracle treats
 * that as `below_min_distance` (spec TypeScript notes).
 */
export function parentGridDistance(a: string, b: string, res = 11): number {
  const ha = normalizeCell(a).hex;
  const hb = normalizeCell(b).hex;
  if (getResolution(ha) < res || getResolution(hb) < res) throw new CellError(`cells must be at resolution ${res} or finer`);
  try {
    return gridDistance(cellToParent(ha, res), cellToParent(hb, res));
  } catch (e) {
    throw new CellError(`h3 grid distance failed: ${(e as Error).message}`);
  }
}
