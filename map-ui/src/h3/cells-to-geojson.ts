/**
 * Coverage hexes (docs/api.md Coverage) → a GeoJSON FeatureCollection for the `coverage` source.
 * Each feature keeps the API's properties and its `cell`, which the source promotes to the feature id
 * (build-style.ts `promoteId: 'cell'`), so hover, selection and live colour use feature-state.
 * `cellToBoundary(cell, true)` gives closed [lng, lat] rings (specs/map-ui.md §4). Cells that cross
 * the antimeridian are shifted so the ring does not smear across the world.
 */
import { cellToBoundary } from 'h3-js';
import type { CoverageHex } from '../api/types.ts';

export interface HexFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  properties: CoverageHex & { res: number };
}

export function hexRing(cell: string): number[][] {
  const ring = cellToBoundary(cell, true);
  let min = Infinity;
  let max = -Infinity;
  for (const [lng] of ring) {
    if (lng < min) min = lng;
    if (lng > max) max = lng;
  }
  // A ring spanning more than 180° of longitude crosses the antimeridian: move its western points east.
  if (max - min > 180) return ring.map(([lng, lat]) => [lng < 0 ? lng + 360 : lng, lat]);
  return ring;
}

export function cellsToGeoJson(res: number, hexes: readonly CoverageHex[]): { type: 'FeatureCollection'; features: HexFeature[] } {
  const features: HexFeature[] = new Array(hexes.length);
  for (let i = 0; i < hexes.length; i++) {
    const hex = hexes[i];
    features[i] = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [hexRing(hex.cell)] }, properties: { ...hex, res } };
  }
  return { type: 'FeatureCollection', features };
}
