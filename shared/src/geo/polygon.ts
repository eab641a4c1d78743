/** A cell as a GeoJSON polygon feature (RFC 7946: positions are [lng, lat], the ring is closed). */
import { cellToBoundary } from 'h3-js';
import { polygon } from '@turf/turf';
import type { Feature, GeoJsonProperties, Polygon } from 'geojson';
import { normalizeCell } from './cell-id.ts';

export function cellToPolygonFeature<P extends GeoJsonProperties = GeoJsonProperties>(cell: string, properties?: P): Feature<Polygon, P> {
  const ring = cellToBoundary(normalizeCell(cell).hex, true); // formatAsGeoJson: [lng, lat], closed
  return polygon([ring], properties ?? ({} as P));
}
