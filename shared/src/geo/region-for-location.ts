/**
 * A coarse guess of the Helium region for a location, from a first-match table of latitude/longitude
 * boxes. Basis: the LoRa Alliance "RP002-1.0.x LoRaWAN Regional Parameters" country list (the
 * "Channel plan per country" table in its annex) and the Helium plans of ../shared/specs/radio.md §2.6.
 *
 * This is deliberately COARSE: boxes are rectangles around countries or continents, borders are
 * approximate, countries with several legal plans get the one Helium used most, and places whose plan
 * Hexium does not model (KR920, CN470, IN865, RU864 …) give null. It is for picking a sensible default
 * in the simulator and the map, never for a compliance decision; Helium itself uses the H3-indexed
 * region maps of helium/lorawan-h3.
 */
import type { HeliumRegion } from '../params/region-params.ts';

/** [label, region or null, south, west, north, east] in degrees; first match wins, so order matters. */
type Box = readonly [string, HeliumRegion | null, number, number, number, number];

export const REGION_BOXES: readonly Box[] = [
  // Small or exceptional areas first.
  ['Hawaii', 'US915', 18, -161, 23, -154],
  ['Alaska', 'US915', 51, -180, 72, -129],
  ['South Korea (KR920)', null, 33, 125.5, 38.7, 129.6],
  ['Japan', 'AS923_1', 24, 122.9, 46, 146],
  ['Taiwan', 'AS923_1', 21.8, 119.3, 25.4, 122.1],
  ['Hong Kong', 'AS923_1', 22.1, 113.8, 22.6, 114.5],
  ['Philippines', 'AS923_3', 4.5, 116.9, 21.2, 126.7],
  ['Vietnam', 'AS923_2', 8.4, 102.1, 23.4, 109.5],
  ['Malaysia, Singapore, Brunei', 'AS923_1', 0.8, 99.6, 7.4, 119.3],
  ['Indonesia', 'AS923_2', -11, 95, 6, 141.1],
  ['Thailand, Cambodia, Laos, Myanmar', 'AS923_1', 5.6, 92.2, 28.5, 109.5],
  ['China (CN470)', null, 18, 73, 54, 135],
  ['India (IN865)', null, 6.5, 68, 35.5, 92.2],
  ['Israel', 'AS923_4', 29.4, 34.2, 33.4, 35.9],
  ['Australia', 'AU915', -44, 112, -10, 154],
  ['New Zealand', 'AU915', -47.5, 166, -34, 179],
  // Continents.
  ['Europe', 'EU868', 34, -25, 72, 45],
  ['Middle East', 'EU868', 12, 34, 34, 63],
  ['Africa', 'EU868', -35, -18, 37.5, 52],
  ['North America', 'US915', 14.5, -168, 72, -52],
  ['Central and South America', 'AU915', -56, -92, 14.5, -30],
];

/** Helium region name for a location, or null when none of the boxes (or an unmodelled plan) applies. */
export function regionForLocation(lat: number, lng: number): HeliumRegion | null {
  for (const [, region, s, w, n, e] of REGION_BOXES) {
    if (lat >= s && lat <= n && lng >= w && lng <= e) return region;
  }
  return null;
}
