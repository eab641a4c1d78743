/**
 * The box around a set of H3 cells (their boundaries, not only their centres), as [west, south, east,
 * north] in degrees, or null for no cells. Used to fit the first view to where the network is without
 * loading every hotspot: the populated res-4 cells of the world, then the populated res-7 cells inside
 * that box. Cells across the antimeridian are not joined (the box then spans the world). Pure.
 */
import { cellToBoundary } from 'h3-js';

export function cellsBounds(cells: Iterable<string>): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const cell of cells) {
    for (const [lng, lat] of cellToBoundary(cell, true)) {
      if (lng < w) w = lng;
      if (lng > e) e = lng;
      if (lat < s) s = lat;
      if (lat > n) n = lat;
    }
  }
  return w === Infinity ? null : [w, s, e, n];
}
