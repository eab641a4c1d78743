/**
 * The basemap's pure parts on a hand-made fixture (oracle/test/fixtures/basemap-tiny): two countries
 * AAA = [0,2]×[0,2] and BBB = [2,4]×[0,2] (lng × lat, degrees) sharing the border lng = 2 with the same
 * vertices, and an island CCC = [10,11]×[10,11] with a lake [10.4,10.6]×[10.4,10.6].
 *
 * Tile addresses at z13 by the slippy-map formula (n = 2^13 = 8192):
 *   x = (lng + 180) / 360 · n,  y = (1 − ln(tan φ + sec φ) / π) / 2 · n, position in the tile · 4096:
 *   (1, 1):       x = 181/360·8192 = 4118.755 → 4118, fx 0.755·4096 ≈ 3094.8; y = 4073.243 → 4073, fy ≈ 996.5
 *   (2, 1):       x = 182/360·8192 = 4141.511 → 4141, fx ≈ 2093.5; y as above
 *   (1, 1.99):    y = 4050.707 → 4050, fy ≈ 2897.3   (just south of AAA's north shore, lat 2)
 *   (1, 2.01):    y = 4050.252 → 4050, fy ≈ 1032.0   (just north of it: sea)
 *   (1, 2):       y = 4050.480, fy ≈ 1964.6          (on the shore)
 *   (10.2, 10.2): x = 4328.107 → 4328, fx ≈ 436.9;  y = 3862.658 → 3862, fy ≈ 2693.2  (island)
 *   (10.5, 10.5): x = 4334.933 → 4334, fx ≈ 3822.9; y = 3855.718 → 3855, fy ≈ 2940.7  (lake)
 *   (1, 5):       y = 3982.078 → 3982               (open sea)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, LineString } from 'geojson';
import { coastlineOf } from './coastline.ts';
import { dropOrphanHoles } from './drop-orphan-holes.ts';
import { BUCKET_ZOOM, bucketGeojson, bucketIndex, bucketSplitIndex, buckets, encodeTile, layeredFeatures, lowZoomIndex, lowZoomTiles } from './basemap-tiles.ts';
import { isTile, lngLatToTile } from '../tiles/tile-math.ts';
import { decodeTile, distanceToLines, insideLayer } from '../../test/helpers/mvt.ts';

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/basemap-tiny/map.geo.json', import.meta.url), 'utf8')) as FeatureCollection;

function lengthDeg(lines: { geometry: LineString }[]): number {
  let sum = 0;
  for (const l of lines) for (let i = 0; i + 1 < l.geometry.coordinates.length; i++) {
    const [a, b] = [l.geometry.coordinates[i], l.geometry.coordinates[i + 1]];
    sum += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return sum;
}

describe('coastline', () => {
  it('is the outline of the land without the borders two countries share', () => {
    const lines = coastlineOf(fixture);
    // AAA ∪ BBB is the rectangle [0,4]×[0,2]: 4 + 2 + 4 + 2 = 12; the island 4 × 1 = 4; the lake 4 × 0.2 = 0.8
    expect(lengthDeg(lines)).toBeCloseTo(16.8, 9);
    const onBorder = lines.flatMap((l) => l.geometry.coordinates).filter(([lng, lat]) => lng === 2 && lat > 0 && lat < 2);
    expect(onBorder).toEqual([]);
  });

  it('leaves out the edges along the antimeridian (a cut in the data, not a shore)', () => {
    const fc: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[170, 0], [180, 0], [180, 1], [170, 1], [170, 0]]] } }] };
    // 10 (south) + 10 (north) + 1 (west); the east side on 180° is left out
    expect(lengthDeg(coastlineOf(fc))).toBeCloseTo(21, 9);
  });
});

describe('holes outside their polygon', () => {
  it('are dropped, holes inside (even touching the outer ring) are kept', () => {
    const outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const inside = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]; // wholly inside [0,4]²
    const touching = [[0, 3], [0, 3.5], [1, 3.5], [1, 3], [0, 3]]; // first edge on the outer ring's west side
    const outside = [[5, 1], [5, 2], [6, 2], [6, 1], [5, 1]]; // east of x = 4
    expect(dropOrphanHoles([outer, inside, outside, touching])).toEqual([outer, inside, touching]);
  });
});

describe('tile math', () => {
  it('names the slippy-map tile of a point and refuses addresses outside the pyramid', () => {
    expect(lngLatToTile(1, 1, 13)).toMatchObject({ x: 4118, y: 4073 });
    expect(lngLatToTile(10.5, 10.5, 13)).toMatchObject({ x: 4334, y: 3855 });
    expect(isTile(0, 0, 0, 14)).toBe(true);
    expect(isTile(13, 8191, 8191, 14)).toBe(true);
    expect(isTile(13, 8192, 0, 14)).toBe(false);
    expect(isTile(15, 0, 0, 14)).toBe(false);
    expect(isTile(1.5, 0, 0, 14)).toBe(false);
    expect(isTile(2, -1, 0, 14)).toBe(false);
  });
});

describe('tiles cut from the buckets', () => {
  const layered = layeredFeatures(fixture);
  const all = [...buckets(bucketSplitIndex(layered))];
  const tileAt = (z: number, x: number, y: number) => {
    const s = z - BUCKET_ZOOM;
    const b = all.find((c) => c.x === x >> s && c.y === y >> s);
    return decodeTile(b ? encodeTile(bucketIndex(bucketGeojson(b)).getTile(z, x, y)) : new Uint8Array(0));
  };

  it('draws a tile inside one country as one square (the tile plus its 64-unit buffer) and no shore', () => {
    const t = tileAt(13, 4118, 4073);
    expect(t.layers).toEqual(['land']);
    expect(t.extent.land).toBe(4096);
    expect(t.geometry.land).toHaveLength(1);
    const xs = t.geometry.land[0][0].map((p) => p.x);
    const ys = t.geometry.land[0][0].map((p) => p.y);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([-64, 4160, -64, 4160]);
    expect(insideLayer(t, 'land', { x: 3094.8, y: 996.5 })).toBe(true);
  });

  it('draws no shore on the border between two countries', () => {
    const t = tileAt(13, 4141, 4073);
    expect(t.layers).toEqual(['land']);
    expect(insideLayer(t, 'land', { x: 2093.5 - 10, y: 996.5 })).toBe(true);
    expect(insideLayer(t, 'land', { x: 2093.5 + 10, y: 996.5 })).toBe(true);
  });

  it('puts the shore where the land ends, land on one side and sea on the other', () => {
    const t = tileAt(13, 4118, 4050);
    expect(t.layers).toEqual(['coastline', 'land']);
    expect(t.types.coastline.every((ty) => ty === 2)).toBe(true);
    expect(insideLayer(t, 'land', { x: 3094.8, y: 2897.3 })).toBe(true);
    expect(insideLayer(t, 'land', { x: 3094.8, y: 1032.0 })).toBe(false);
    // the shore at lat 2 runs through fy ≈ 1964.6 (±1 unit of rounding)
    expect(distanceToLines(t, 'coastline', { x: 3094.8, y: 1964.6 })).toBeLessThan(1);
  });

  it('keeps the lake out of the island', () => {
    expect(insideLayer(tileAt(13, 4328, 3862), 'land', { x: 436.9, y: 2693.2 })).toBe(true);
    const lake = tileAt(13, 4334, 3855);
    expect(insideLayer(lake, 'land', { x: 3822.9, y: 2940.7 })).toBe(false);
  });

  it('sends open sea as an empty tile', () => {
    expect(tileAt(13, 4118, 3982).layers).toEqual([]);
  });
});

describe('low-zoom tiles', () => {
  it('cover the land from z0 down to the bucket zoom, parents first', () => {
    const tiles = [...lowZoomTiles(lowZoomIndex(layeredFeatures(fixture)))];
    expect(tiles[0]).toMatchObject({ z: 0, x: 0, y: 0 });
    expect(Math.max(...tiles.map((t) => t.z))).toBe(BUCKET_ZOOM - 1);
    // z2: the land (lng 0–11, lat 0–11) lies in tile (2, 1) (lng 0–90, lat 0–66.5); it touches (0°, 0°), the corner
    // it shares with (1, 1), (1, 2) and (2, 2), so their 64-unit buffers hold a sliver of it too; nothing else does
    expect(tiles.filter((t) => t.z === 2).map((t) => [t.x, t.y])).toEqual([[1, 1], [2, 1], [1, 2], [2, 2]]);
    const z0 = decodeTile(tiles[0].bytes);
    expect(z0.layers).toEqual(['coastline', 'land']);
    // (1, 1) at z0: x = 181/360·4096 ≈ 2059.4, y ≈ (1 − ln(tan 1° + sec 1°)/π)/2·4096 ≈ 2036.6
    expect(insideLayer(z0, 'land', { x: 2059.4, y: 2036.6 })).toBe(true);
  });
});
