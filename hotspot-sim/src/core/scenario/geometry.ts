/**
 * Geometry for scenario areas: polygons from bbox/GeoJSON, point-in-polygon and great-circle distance
 * (Turf), and a local equirectangular projection (metres) for the medium's hot path, which stays
 * hand-written for speed and is property-tested against Turf (geometry.test.ts).
 */
import { booleanPointInPolygon, distance, polygon as turfPolygon } from '@turf/turf';
import type { Feature, Polygon as GeoJsonPolygon } from 'geojson';
import type { Area } from './schema.ts';

export type Ring = [number, number][];
export interface Polygon {
  rings: Ring[];
  bbox: [number, number, number, number];
}

/** Mean Earth radius, m (IUGG; the radius h3-js and Turf use). */
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
    const poly: Polygon = { rings, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
    featureOf(poly); // refuses a ring with fewer than 4 positions or not closed (holes included), now
    return poly;
  }
  throw new RangeError('area preset must be resolved before areaPolygon');
}

/** The GeoJSON feature of each area polygon, built once (the Polygon itself stays plain data). */
const features = new WeakMap<Polygon, Feature<GeoJsonPolygon>>();

function featureOf(poly: Polygon): Feature<GeoJsonPolygon> {
  let f = features.get(poly);
  if (!f) {
    try {
      f = turfPolygon(poly.rings);
    } catch (e) {
      throw new RangeError(`area polygon: ${(e as Error).message}`);
    }
    f.bbox = poly.bbox;
    features.set(poly, f);
  }
  return f;
}

/** Whether (lng, lat) lies in the area: inside the outer ring and outside every hole (Turf). */
export function pointInPolygon(lng: number, lat: number, poly: Polygon): boolean {
  return booleanPointInPolygon([lng, lat], featureOf(poly));
}

/** Great-circle distance in metres (Turf's haversine on the mean Earth radius). */
export function greatCircleM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  return distance([lng1, lat1], [lng2, lat2], { units: 'meters' });
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
