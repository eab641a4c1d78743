import { describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { cellToBoundary, cellToParent, latLngToCell } from 'h3-js';
import { CoverageTileIndex, meanScale, unwrappedBoundary } from './coverage-tiles.ts';
import type { TileHotspotRow } from '../store/hotspot-store.ts';

function row(id: number, lat: number, lng: number, extra: Partial<TileHotspotRow> = {}): TileHotspotRow {
  return {
    id, address: `a${id}`, name: `n${id}`, location: latLngToCell(lat, lng, 12), lat, lng,
    online: true, lastPocStatus: null, hexScale: null, validWitnesses: 0, bestRssiDbm: null, ...extra,
  };
}

function cells(bytes: Uint8Array): Map<string, Record<string, unknown>> {
  const l = new VectorTile(new PbfReader(bytes)).layers.coverage;
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; l && i < l.length; i++) out.set(l.feature(i).properties.cell as string, l.feature(i).properties);
  return out;
}

describe('meanScale', () => {
  it('is the mean to 4 decimals with banker\'s rounding, as the shortest decimal string', () => {
    expect(meanScale(7500, 2)).toBe('0.375'); // (0.5 + 0.25) / 2
    expect(meanScale(1, 2)).toBe('0'); // 0.00005 → half to even → 0.0000
    expect(meanScale(3, 2)).toBe('0.0002'); // 0.00015 → half to even → 0.0002
    expect(meanScale(10_000, 3)).toBe('0.3333'); // 1/3
    expect(meanScale(20_000, 2)).toBe('1');
    expect(meanScale(10_001, 1)).toBe('1.0001');
  });
});

describe('coverage tiles', () => {
  it('aggregate hotspots per cell as GET /api/v1/coverage does (sum, max, mean scale to 4 places)', () => {
    const rows = [
      row(1, 48.85, 2.35, { validWitnesses: 3, bestRssiDbm: -100, hexScale: '0.5' }),
      row(2, 48.85001, 2.35001, { validWitnesses: 4, bestRssiDbm: -90, hexScale: '0.25' }),
    ];
    const cell = cellToParent(rows[0].location, 4);
    expect(cellToParent(rows[1].location, 4)).toBe(cell);
    // z 0: res 4 (resForTileZoom(0)); hotspots 2, witnesses 3 + 4, best −90, scale (0.5 + 0.25) / 2 = 0.375
    expect(cells(new CoverageTileIndex(rows).tile(0, 0, 0)).get(cell)).toEqual({ cell, hotspots: 2, witnesses: 7, bestRssiDbm: -90, scale: '0.375' });
  });

  it('draw a cell across the antimeridian on the tiles at both edges of the world', () => {
    // A res-4 cell holding 16.5° S, 179.999° E (Fiji): its boundary has longitudes of both signs.
    const h = row(1, -16.5, 179.999);
    const cell = cellToParent(h.location, 4);
    const lngs = cellToBoundary(cell, true).map(([lng]) => lng);
    expect(Math.min(...lngs)).toBeLessThan(-179);
    expect(Math.max(...lngs)).toBeGreaterThan(179);
    // unwrapped, the ring does not jump: every longitude within 1° of 180
    for (const [lng] of unwrappedBoundary(cell)) expect(Math.abs(lng - 180)).toBeLessThan(1);
    // z 2: y = (1 − ln(tan φ + sec φ)/π)/2 × 4 at φ = −16.5° → 2.186 → row 2; the east column x = 3 and,
    // across the antimeridian, the west column x = 0 both hold the cell (res 4 at z 2).
    const index = new CoverageTileIndex([h]);
    expect(cells(index.tile(2, 3, 2)).has(cell)).toBe(true);
    expect(cells(index.tile(2, 0, 2)).has(cell)).toBe(true);
    expect(cells(index.tile(2, 1, 2)).size).toBe(0);
  });

  it('use the resolution for the tile zoom: res 9 cells at z 12', () => {
    // 37.7749° N, 122.4194° W at z 12: x = 57.8806/360 × 4096 = 655.14 → 655; y = 1583.19 → 1583
    const h = row(1, 37.7749, -122.4194);
    const got = cells(new CoverageTileIndex([h]).tile(12, 655, 1583));
    expect([...got.keys()]).toEqual([cellToParent(h.location, 9)]);
  });

  it('update in place to the same cells a fresh build gives, or refuse a move', () => {
    const before = [
      row(1, 48.85, 2.35, { validWitnesses: 3, bestRssiDbm: -100, hexScale: '0.5' }),
      row(2, 48.85001, 2.35001, { validWitnesses: 4, bestRssiDbm: null, hexScale: null }),
      row(3, 52.52, 13.405, { validWitnesses: 1, bestRssiDbm: -120, hexScale: '1' }),
    ];
    const after = [
      { ...before[0], validWitnesses: 10, bestRssiDbm: -80, hexScale: '0.25' },
      { ...before[1], validWitnesses: 5, bestRssiDbm: -95, hexScale: '0.5' },
      before[2],
    ];
    const index = new CoverageTileIndex(before);
    const changed = index.update([0, 1].map((i) => ({ before: before[i], after: after[i] })));
    // hotspots 1 and 2 share every cell from res 9 to 4: six cells changed, Berlin's none
    expect(changed?.map((c) => c.res).sort()).toEqual([4, 5, 6, 7, 8, 9]);
    const fresh = new CoverageTileIndex(after);
    for (let res = 4; res <= 9; res++) expect(index.cells(res).map((c) => c.tags)).toEqual(fresh.cells(res).map((c) => c.tags));
    const moved = { ...after[2], location: latLngToCell(52.6, 13.5, 12) };
    expect(index.update([{ before: after[2], after: moved }])).toBeNull();
  });
});
