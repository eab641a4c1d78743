/**
 * Small planar geometry for scenario areas: polygons from bbox/GeoJSON, point-in-polygon (even–odd
 * ray casting over every ring, so holes work), a local equirectangular projection (metres) used by the
 * medium, and great-circle distance (haversine, mean Earth radius 6 371 008.8 m as in h3-js).
 */
import type { Area } from './schema.ts';

export type Ring = [number, number][];
export interface Polygon {
  rings: Ring[];
  bbox: [number, number, number, number];
}

export const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

export function areaPolygon(area: Area | { bbox: [number, number, number, number] }): Polygon {
  if ('bbox' in area) {
    const [w, s, e, n] = area.bbox;
    if (!(w < e && s < n)) throw new RangeError('bbox must be [west, south, east, north] with west < east and south < north');
    if (w < -180 || e > 180 || s < -90 || n > 90) throw new RangeError('bbox is outside [-180, -90, 180, 90]');
    return { rings: [[[w, s], [e, s], [e, n], [w, n], [w, s]]], bbox: [w, s, e, n] };
  }
  if ('coordinates' in area) {
    const rings = area.coordinates.map((r) => r.map(([x, y]) => [x, y] as [number, number]));
    const outer = rings[0];
    const first = outer[0];
    const last = outer[outer.length - 1];
    if (first[0] !== last[0] || first[1] !== last[1]) throw new RangeError('polygon ring must be closed (first point = last point)');
    const xs = outer.map((p) => p[0]);
    const ys = outer.map((p) => p[1]);
    return { rings, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
  }
  throw new RangeError('area preset must be resolved before areaPolygon');
}

/** Even–odd point-in-polygon over all rings. */
export function pointInPolygon(lng: number, lat: number, poly: Polygon): boolean {
  let inside = false;
  for (const ring of poly.rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Great-circle distance in metres (haversine). */
export function haversineM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLng = (lng2 - lng1) * DEG;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Local equirectangular projection around (lat0, lng0): metres east (x) and north (y). */
export function projector(lat0: number, lng0: number) {
  const kx = EARTH_RADIUS_M * DEG * Math.cos(lat0 * DEG);
  const ky = EARTH_RADIUS_M * DEG;
  return {
    toXY: (lat: number, lng: number): [number, number] => [(lng - lng0) * kx, (lat - lat0) * ky],
    toLatLng: (x: number, y: number): [number, number] => [lat0 + y / ky, lng0 + x / kx],
  };
}

/** The point `distanceM` from (lat, lng) on bearing `bearingRad` (flat-earth step; fine below 100 km). */
export function offsetLatLng(lat: number, lng: number, distanceM: number, bearingRad: number): [number, number] {
  const p = projector(lat, lng);
  return p.toLatLng(distanceM * Math.sin(bearingRad), distanceM * Math.cos(bearingRad));
}
