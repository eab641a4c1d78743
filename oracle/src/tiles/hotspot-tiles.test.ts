import { describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { latLngToCell } from 'h3-js';
import { HotspotTileIndex } from './hotspot-tiles.ts';
import type { TileHotspotRow } from '../store/hotspot-store.ts';

function row(id: number, lat: number, lng: number, online: boolean): TileHotspotRow {
  return {
    id, address: `a${id}`, name: `n${id}`, location: latLngToCell(lat, lng, 12), lat, lng,
    online, lastPocStatus: 'valid', hexScale: null, validWitnesses: 0, bestRssiDbm: null,
  };
}

function features(bytes: Uint8Array) {
  const l = new VectorTile(new PbfReader(bytes)).layers.hotspots;
  return Array.from({ length: l?.length ?? 0 }, (_, i) => l!.feature(i));
}

describe('hotspot tiles', () => {
  // 100 hotspots on a 10 × 10 grid 0.001° apart around San Francisco, every third one online (34 online:
  // i = 0, 3, …, 99), plus 5 in New York.
  const rows = [
    ...Array.from({ length: 100 }, (_, i) => row(i + 1, 37.77 + Math.floor(i / 10) * 0.001, -122.42 + (i % 10) * 0.001, i % 3 === 0)),
    ...Array.from({ length: 5 }, (_, i) => row(200 + i, 40.7 + i * 0.001, -74.0, false)),
  ];
  const index = new HotspotTileIndex(rows);

  it('cluster at low zoom: the point counts of the world tile add up to every hotspot, online counts too', () => {
    const fs = features(index.tile(0, 0, 0));
    expect(fs.every((f) => f.properties.cluster === true)).toBe(true);
    expect(fs.reduce((n, f) => n + Number(f.properties.point_count), 0)).toBe(105);
    expect(fs.reduce((n, f) => n + Number(f.properties.online), 0)).toBe(34);
  });

  it('serve single hotspots with their ids past the cluster zoom', () => {
    // z 16 tile of the grid's south-west corner, 37.77° N, 122.42° W: x = 57.58/360 × 65536 = 10482.1 →
    // 10482; y = (1 − ln(tan φ + sec φ)/π)/2 × 65536 = 25332.2 → 25332. A z-16 tile is ≈ 480 m wide at
    // 37.8° N, so it holds part of the 1 km-wide grid (the corner's row), and nothing is clustered past z 9.
    const fs = features(index.tile(16, 10482, 25332));
    expect(fs.length).toBeGreaterThan(0);
    for (const f of fs) {
      expect(f.properties.cluster).toBeUndefined();
      expect(f.id).toBe(Number(String(f.properties.address).slice(1)));
      expect(f.properties).toEqual({ address: f.properties.address, name: `n${f.id}`, online: f.id! % 3 === 1, lastPocStatus: 'valid' });
      expect(f.properties).not.toHaveProperty('hexScale'); // null is left out (MVT has no null)
    }
  });

  it('give an empty tile where no hotspot is', () => {
    expect(index.tile(5, 0, 0).length).toBe(0);
  });
});
