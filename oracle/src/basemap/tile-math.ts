/**
 * Web-Mercator tile arithmetic ("slippy map" tile names, OpenStreetMap wiki "Slippy map tilenames"):
 *   n = 2^z, x = floor((lng + 180) / 360 · n), y = floor((1 − ln(tan φ + sec φ) / π) / 2 · n).
 */

/** Web Mercator's latitude limit, atan(sinh(π)) in degrees: the square world ends here. */
export const MERCATOR_MAX_LAT = 85.0511287798066;

/** Longitude (degrees) of the west edge of tile column `x` at zoom `z` (x may be fractional). */
export function tileXToLng(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

/** Latitude (degrees) of the north edge of tile row `y` at zoom `z` (y may be fractional). */
export function tileYToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/** The tile at zoom `z` holding a point, and the point's position inside it (0..1 from the top left). */
export function lngLatToTile(lng: number, lat: number, z: number): { x: number; y: number; fx: number; fy: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const wx = ((lng + 180) / 360) * n;
  const wy = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n;
  const x = Math.min(n - 1, Math.floor(wx));
  const y = Math.min(n - 1, Math.floor(wy));
  return { x, y, fx: wx - x, fy: wy - y };
}

/** True when z/x/y names a tile: whole numbers, 0 ≤ z ≤ maxZoom, 0 ≤ x, y < 2^z. */
export function isTile(z: number, x: number, y: number, maxZoom: number): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > maxZoom) return false;
  const n = 2 ** z;
  return x >= 0 && x < n && y >= 0 && y < n;
}
