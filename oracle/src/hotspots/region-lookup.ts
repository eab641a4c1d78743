/** Region of an H3 location, through `regionForLocation(lat, lng)` of @hexium/shared/geo. */
import { cellToLatLng } from 'h3-js';
import { regionForLocation } from '@hexium/shared/geo/index';

/** Helium region name of the cell's centre, or null when the coarse region table has none. */
export function regionOfLocation(location: string): string | null {
  const [lat, lng] = cellToLatLng(location);
  return regionForLocation(lat, lng);
}
