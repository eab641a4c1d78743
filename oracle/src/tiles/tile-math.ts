/**
 * Web Mercator tile arithmetic for every tile the oracle serves (docs/api.md "Vector tiles" and "Basemap
 * tiles"): the XYZ scheme of the OSM slippy-map convention (OpenStreetMap wiki "Slippy map tilenames":
 * n = 2^z, x = floor((lng + 180) / 360 · n), y = floor((1 − ln(tan φ + sec φ) / π) / 2 · n); tile x grows
 * east from −180°, y grows south from +85.0511°), as MapLibre, QGIS and TileJSON's default
 * `scheme: "xyz"` read it.
 */

/** Deepest tile zoom answered (MapLibre's own maximum map zoom is 24; 22 is the common tile maximum). */
export const MAX_TILE_ZOOM = 22;

/** Web Mercator's latitude limit, atan(sinh(π)) in degrees: the square world ends here. */
export const MERCATOR_MAX_LAT = 85.0511287798066;

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

/** Why z/x/y are refused, or the coordinates. */
export type TileParse = { ok: true; tile: TileCoord } | { ok: false; message: string };

const DIGITS = /^(0|[1-9][0-9]{0,7})$/;

/** Parse `z`, `x`, `y` path segments: integers, 0 ≤ z ≤ maxZoom, 0 ≤ x, y < 2^z. */
export function parseTileCoord(z: string, x: string, y: string, maxZoom = MAX_TILE_ZOOM): TileParse {
  for (const [name, v] of [['z', z], ['x', x], ['y', y]] as const) {
    if (!DIGITS.test(v)) return { ok: false, message: `${name} must be a non-negative integer without leading zeros, got "${v.slice(0, 20)}"` };
  }
  const zi = Number(z);
  const xi = Number(x);
  const yi = Number(y);
  if (zi > maxZoom) return { ok: false, message: `z must be 0–${maxZoom}, got ${zi}` };
  if (!isTile(zi, xi, yi, maxZoom)) return { ok: false, message: `x and y must be below 2^z = ${2 ** zi} at z ${zi}, got x ${xi}, y ${yi}` };
  return { ok: true, tile: { z: zi, x: xi, y: yi } };
}

/** True when z/x/y names a tile: whole numbers, 0 ≤ z ≤ maxZoom, 0 ≤ x, y < 2^z. */
export function isTile(z: number, x: number, y: number, maxZoom = MAX_TILE_ZOOM): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > maxZoom) return false;
  const n = 2 ** z;
  return x >= 0 && x < n && y >= 0 && y < n;
}

/** Longitude → Web Mercator x in [0, 1] (0 at −180°). */
export function mercatorX(lng: number): number {
  return lng / 360 + 0.5;
}

/** Latitude → Web Mercator y in [0, 1] (0 at the top, +85.0511°), clamped at the poles. */
export function mercatorY(lat: number): number {
  const s = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + s) / (1 - s))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** The tile of zoom z holding a point (Mercator x, y in [0, 1]). */
export function tileOf(z: number, mx: number, my: number): { x: number; y: number } {
  const n = 2 ** z;
  return { x: Math.min(n - 1, Math.max(0, Math.floor(mx * n))), y: Math.min(n - 1, Math.max(0, Math.floor(my * n))) };
}

/** The tile at zoom `z` holding a point, and the point's position inside it (0..1 from the top left). */
export function lngLatToTile(lng: number, lat: number, z: number): { x: number; y: number; fx: number; fy: number } {
  const n = 2 ** z;
  const wx = mercatorX(lng) * n;
  const wy = mercatorY(lat) * n;
  const { x, y } = tileOf(z, mercatorX(lng), mercatorY(lat));
  return { x, y, fx: wx - x, fy: wy - y };
}

/** Longitude (degrees) of the west edge of tile column `x` at zoom `z` (x may be fractional). */
export function tileXToLng(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

/** Latitude (degrees) of the north edge of tile row `y` at zoom `z` (y may be fractional). */
export function tileYToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}
