/**
 * Web Mercator tile arithmetic for the vector tiles (docs/api.md "Vector tiles"): the XYZ scheme of the
 * OSM slippy-map convention (tile x grows east from −180°, y grows south from +85.0511°), as MapLibre,
 * QGIS and TileJSON's default `scheme: "xyz"` read it.
 */

/** Deepest tile zoom answered (MapLibre's own maximum map zoom is 24; 22 is the common tile maximum). */
export const MAX_TILE_ZOOM = 22;

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

/** Why z/x/y are refused, or the coordinates. */
export type TileParse = { ok: true; tile: TileCoord } | { ok: false; message: string };

const DIGITS = /^(0|[1-9][0-9]{0,7})$/;

/** Parse `z`, `x`, `y` path segments: integers, 0 ≤ z ≤ MAX_TILE_ZOOM, 0 ≤ x, y < 2^z. */
export function parseTileCoord(z: string, x: string, y: string): TileParse {
  for (const [name, v] of [['z', z], ['x', x], ['y', y]] as const) {
    if (!DIGITS.test(v)) return { ok: false, message: `${name} must be a non-negative integer without leading zeros, got "${v.slice(0, 20)}"` };
  }
  const zi = Number(z);
  const xi = Number(x);
  const yi = Number(y);
  if (zi > MAX_TILE_ZOOM) return { ok: false, message: `z must be 0–${MAX_TILE_ZOOM}, got ${zi}` };
  const n = 2 ** zi;
  if (xi >= n || yi >= n) return { ok: false, message: `x and y must be below 2^z = ${n} at z ${zi}, got x ${xi}, y ${yi}` };
  return { ok: true, tile: { z: zi, x: xi, y: yi } };
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
