import { describe, expect, it } from 'vitest';
import { regionForLocation } from './region-for-location.ts';

describe('regionForLocation (coarse RP002-based table)', () => {
  it.each([
    ['New York', 40.71, -74.0, 'US915'],
    ['San Francisco', 37.77, -122.42, 'US915'],
    ['Honolulu', 21.31, -157.86, 'US915'],
    ['Toronto', 43.65, -79.38, 'US915'],
    ['Berlin', 52.52, 13.4, 'EU868'],
    ['Lisbon', 38.72, -9.14, 'EU868'],
    ['Nairobi', -1.29, 36.82, 'EU868'],
    ['Sydney', -33.87, 151.21, 'AU915'],
    ['Auckland', -36.85, 174.76, 'AU915'],
    ['São Paulo', -23.55, -46.63, 'AU915'],
    ['Tokyo', 35.68, 139.69, 'AS923_1'],
    ['Singapore', 1.35, 103.82, 'AS923_1'],
    ['Bangkok', 13.75, 100.5, 'AS923_1'],
    ['Jakarta', -6.2, 106.85, 'AS923_2'],
    ['Hanoi', 21.03, 105.85, 'AS923_2'],
    ['Manila', 14.6, 120.98, 'AS923_3'],
    ['Tel Aviv', 32.08, 34.78, 'AS923_4'],
    ['Seoul (KR920, not modelled)', 37.57, 126.98, null],
    ['Beijing (CN470)', 39.9, 116.4, null],
    ['Mumbai (IN865)', 19.08, 72.88, null],
    ['mid-Pacific', 0, -140, null],
  ] as const)('%s → %s', (_name, lat, lng, region) => {
    expect(regionForLocation(lat, lng)).toBe(region);
  });
});
