import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { latLngToCell } from 'h3-js';
import { HotspotTileIndex, hotspotTags } from './hotspot-tiles.ts';
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
  let index: HotspotTileIndex;
  beforeAll(async () => {
    index = await HotspotTileIndex.build(rows);
  });
  afterAll(() => index.close());

  it('cluster at low zoom: the point counts of the world tile add up to every hotspot, online counts too', async () => {
    const fs = features(await index.tile(0, 0, 0));
    expect(fs.every((f) => f.properties.cluster === true)).toBe(true);
    expect(fs.reduce((n, f) => n + Number(f.properties.point_count), 0)).toBe(105);
    expect(fs.reduce((n, f) => n + Number(f.properties.online), 0)).toBe(34);
  });

  it('serve single hotspots with their ids past the cluster zoom', async () => {
    // z 16 tile of the grid's south-west corner, 37.77° N, 122.42° W: x = 57.58/360 × 65536 = 10482.1 →
    // 10482; y = (1 − ln(tan φ + sec φ)/π)/2 × 65536 = 25332.2 → 25332. A z-16 tile is ≈ 480 m wide at
    // 37.8° N, so it holds part of the 1 km-wide grid (the corner's row), and nothing is clustered past z 9.
    const fs = features(await index.tile(16, 10482, 25332));
    expect(fs.length).toBeGreaterThan(0);
    for (const f of fs) {
      expect(f.properties.cluster).toBeUndefined();
      expect(f.id).toBe(Number(String(f.properties.address).slice(1)));
      expect(f.properties).toEqual({ address: f.properties.address, name: `n${f.id}`, online: f.id! % 3 === 1, lastPocStatus: 'valid' });
      expect(f.properties).not.toHaveProperty('hexScale'); // null is left out (MVT has no null)
      expect(f.properties).toEqual(hotspotTags(rows.find((r) => r.id === f.id)!)); // the worker's tags are hotspotTags'
    }
  });

  it('give an empty tile where no hotspot is', async () => {
    expect((await index.tile(5, 0, 0)).length).toBe(0);
  });

  it('carry every property through the worker: scale, invalid verdict, none', async () => {
    const odd = [{ ...row(1, 10, 10, true), hexScale: '0.25', lastPocStatus: 'invalid' as const }, { ...row(2, 10.5, 10.5, false), lastPocStatus: null }];
    const i2 = await HotspotTileIndex.build(odd);
    try {
      // z 16 tiles of (10, 10) and (10.5, 10.5): x = (lng + 180)/360 × 65536; y from the Mercator formula
      const at = (lat: number, lng: number) => {
        const n = 2 ** 16;
        const r = (lat * Math.PI) / 180;
        return [16, Math.floor(((lng + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)] as const;
      };
      expect(features(await i2.tile(...at(10, 10)))[0].properties).toEqual({ address: 'a1', name: 'n1', online: true, lastPocStatus: 'invalid', hexScale: '0.25' });
      expect(features(await i2.tile(...at(10.5, 10.5)))[0].properties).toEqual({ address: 'a2', name: 'n2', online: false });
    } finally {
      i2.close();
    }
  });

  it('build off the event loop: the main thread keeps turning while 50,000 hotspots are clustered', async () => {
    // supercluster's load is one synchronous call: built on the main thread, no setImmediate callback
    // could run before the build's promise settles. Counting turns asserts no duration.
    // a 400 × 125 grid, lat −40…39.8, lng −120…115.6: farther than the z-0 tile's buffer (the cluster radius,
    // 320/4096 × 360° ≈ 28°) from ±180°, so the world tile holds each hotspot once
    const many = Array.from({ length: 50_000 }, (_, i) => row(i + 1, -40 + (i % 400) * 0.2, -120 + Math.floor(i / 400) * 1.9, i % 2 === 0));
    let turns = 0;
    let on = true;
    const spin = () => {
      turns++;
      if (on) setImmediate(spin);
    };
    setImmediate(spin);
    const big = await HotspotTileIndex.build(many);
    on = false;
    try {
      expect(turns).toBeGreaterThan(1);
      const fs = features(await big.tile(0, 0, 0));
      expect(fs.reduce((n, f) => n + Number(f.properties.point_count ?? 1), 0)).toBe(50_000);
      expect(fs.reduce((n, f) => n + (f.properties.cluster ? Number(f.properties.online) : f.properties.online ? 1 : 0), 0)).toBe(25_000);
    } finally {
      big.close();
    }
  });
});
