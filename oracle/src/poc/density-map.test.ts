import { describe, it, expect } from 'vitest';
import { cellToCenterChild, cellToChildren, cellToParent, getResolution, gridDisk, isValidCell, latLngToCell } from 'h3-js';
import { HELIUM_PARAMS, HIP104_RESOLUTIONS, HIP17_RESOLUTIONS, type DensityTriple } from '@hexium/shared/params/index';
import fc from 'fast-check';
import { buildDensityMap, computeDensityLevels, densityLimit, interactiveLocations, roundFraction } from './density-map.ts';
import { Dec, decString, roundBankers } from './decimal.ts';
import { gatewayInfo, testAddress } from './test-fixtures.ts';

/** A child of `cell` at `res` that is not the centre child (the centre child's neighbours are the other children). */
function sibling(cell: string, res: number, k = 1): string {
  const centre = cellToCenterChild(cell, res);
  return cellToChildren(cell, res).filter((c) => c !== centre)[k - 1];
}
const c12 = (cell: string) => cellToCenterChild(cell, 12);

describe('HIP-17 density limit', () => {
  it('follows the HIP-17 table for N = 2, tgt = 1, max = 4: 100,100,100,200,300,400,400,400 % of target for n = 0..7', () => {
    const pct = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => densityLimit(n, [2, 1, 4]) * 100);
    expect(pct).toEqual([100, 100, 100, 200, 300, 400, 400, 400]);
  });
});

describe('HIP-17 density map, worked by hand', () => {
  // A cluster in Amsterdam: P9 is the centre child of a res-8 cell P8; R9 and T9 are two other children
  // of P8 (so both neighbour P9). P10 is P9's centre child and Q10 another child of P9.
  const p8 = latLngToCell(52.37, 4.9, 8);
  const p9 = cellToCenterChild(p8, 9);
  const r9 = sibling(p8, 9, 1);
  const t9 = sibling(p8, 9, 2);
  const p10 = cellToCenterChild(p9, 10);
  const q10 = sibling(p9, 10, 1);
  const a11 = cellToCenterChild(p10, 11);
  const b11 = sibling(p10, 11, 1);
  const [h1, h2] = cellToChildren(a11, 12); // two hotspots in one res-11 cell
  const h3 = c12(b11); // same res-10 cell, other res-11 cell
  const h4 = c12(q10); // same res-9 cell, other res-10 cell
  const h5 = c12(r9); // same res-8 cell, neighbouring res-9 cell
  const h7 = c12(t9); // same res-8 cell, another neighbouring res-9 cell
  const h6 = latLngToCell(40.4, -3.7, 12); // Madrid, alone
  const locations = [h1, h2, h3, h4, h5, h7, h6];

  it('with HIP-104 parameters clips res 10, 9 and 8 to one and leaves res 7..4 alone', () => {
    // res 11: a11 = 2, b11 = 1, others 1 (never clipped).
    // res 10 [2,1,1]: P10 raw 2 + 1 = 3 → 1 (ratio 1/3); Q10, R10, T10 raw 1 → 1.
    // res 9  [2,1,1]: P9 raw 1 + 1 = 2 → 1 (1/2); R9 1; T9 1.
    // res 8  [2,1,1]: P8 raw 1 + 1 + 1 = 3 → 1 (1/3).
    // res 7  [4,5,10]: P7 raw 1; limit ≥ 5, so 1 (ratio 1); the same at res 6 [4,25,50], 5 [4,100,200], 4 [2,500,1000].
    // h1, h2, h3: 1/3 × 1/2 × 1/3 = 1/18 = 0.05555… → 0.0556; h4: 1/2 × 1/3 = 0.1667; h5, h7: 1/3 = 0.3333; h6: 1.
    const m = buildDensityMap(locations, HIP104_RESOLUTIONS);
    expect(Object.fromEntries(m)).toEqual({ [h1]: '0.0556', [h2]: '0.0556', [h3]: '0.0556', [h4]: '0.1667', [h5]: '0.3333', [h7]: '0.3333', [h6]: '1' });
    const { unclipped, clipped } = computeDensityLevels(locations, HIP104_RESOLUTIONS);
    expect([unclipped.get(a11), clipped.get(a11)]).toEqual([2, 2]);
    expect([unclipped.get(p10), clipped.get(p10)]).toEqual([3, 1]);
    expect([unclipped.get(p9), clipped.get(p9)]).toEqual([2, 1]);
    expect([unclipped.get(p8), clipped.get(p8)]).toEqual([3, 1]);
    expect([unclipped.get(cellToParent(p8, 7)), clipped.get(cellToParent(p8, 7))]).toEqual([1, 1]);
    expect([unclipped.get(cellToParent(p8, 4)), clipped.get(cellToParent(p8, 4))]).toEqual([1, 1]);
  });

  it('with the original HIP-17 parameters lets a res-9 cell with 3 occupied cells in its disk keep 2', () => {
    // res 10 [2,1,1]: as above, P10 3 → 1.
    // res 9 [2,1,2]: P9 raw 2; occupied cells in disk(P9, 1): P9, R9, T9 → n = 3; limit = min(2, 1 × (3 − 2) + 1) = 2 → 2 (ratio 1).
    // res 8 [2,1,4]: P8 raw 2 + 1 + 1 = 4; only P8 occupied in its disk → n = 1, limit = min(4, 1) = 1 → 1 (ratio 1/4).
    // h1..h3: 1/3 × 1 × 1/4 = 1/12 = 0.08333… → 0.0833; h4, h5, h7: 1/4 = 0.25; h6: 1.
    const m = buildDensityMap(locations, HIP17_RESOLUTIONS);
    expect(Object.fromEntries(m)).toEqual({ [h1]: '0.0833', [h2]: '0.0833', [h3]: '0.0833', [h4]: '0.25', [h5]: '0.25', [h7]: '0.25', [h6]: '1' });
  });

  it('clips at every resolution 10..4 when the table says so, and never at res 11', () => {
    // Table: every res 4..10 is [N = 0, tgt = 1, max = 2] → limit = min(2, n + 1) = 2 for an occupied cell,
    // so clipped = min(2, raw). A res-11 entry is ignored (res ≥ 11 is never clipped).
    // Chain P4 ⊃ P5 ⊃ … ⊃ P11 of centre children; two hotspots in P11; for r = 5..11 one hotspot s_r in a
    // sibling X_r of P_r (a child of P_{r−1}). At each res r−1: P_{r−1} raw = 2 (clipped P_r) + 1 (X_r) = 3 → 2.
    // So P10..P4 each have ratio 2/3; X cells have ratio 1.
    // The two P11 hotspots and s_11: (2/3)^7 = 128/2187 = 0.05852… → 0.0585; s_r: (2/3)^(r−4):
    // s_10 64/729 = 0.08779… → 0.0878; s_9 32/243 = 0.13168… → 0.1317; s_8 16/81 = 0.19753… → 0.1975;
    // s_7 8/27 = 0.29629… → 0.2963; s_6 4/9 → 0.4444; s_5 2/3 → 0.6667.
    const table: Record<string, DensityTriple> = { '11': [0, 1, 1] };
    for (let r = 4; r <= 10; r++) table[String(r)] = [0, 1, 2];
    const p: Record<number, string> = { 4: latLngToCell(52.37, 4.9, 4) };
    for (let r = 5; r <= 11; r++) p[r] = cellToCenterChild(p[r - 1], r);
    const [ha, hb] = cellToChildren(p[11], 12);
    const s: Record<number, string> = {};
    for (let r = 5; r <= 11; r++) s[r] = c12(sibling(p[r - 1], r));
    const m = buildDensityMap([ha, hb, ...Object.values(s)], table);
    expect(m.get(ha)).toBe('0.0585');
    expect(m.get(hb)).toBe('0.0585');
    expect([11, 10, 9, 8, 7, 6, 5].map((r) => m.get(s[r]))).toEqual(['0.0585', '0.0878', '0.1317', '0.1975', '0.2963', '0.4444', '0.6667']);
    const { unclipped, clipped } = computeDensityLevels([ha, hb, ...Object.values(s)], table);
    expect([unclipped.get(p[11]), clipped.get(p[11])]).toEqual([2, 2]); // never clipped although the table has res 11
    for (let r = 4; r <= 10; r++) expect([unclipped.get(p[r]), clipped.get(p[r])], `res ${r}`).toEqual([3, 2]);
  });

  it('rounds an exact half with banker\'s rounding: 16 hotspots in one res-11 cell and one beside give 1/32 = 0.03125 → 0.0312', () => {
    // res 10: P10 raw 16 → 1 (1/16); res 9: P9 raw 1 + 1 (Q10) = 2 → 1 (1/2); res 8: raw 1 → 1. 1/16 × 1/2 = 0.03125.
    const crowd = cellToChildren(a11, 12).slice(0, 7);
    const more = cellToChildren(b11, 12).slice(0, 7);
    const extra = cellToChildren(sibling(p10, 11, 2), 12).slice(0, 2);
    const sixteen = [...crowd, ...more, ...extra];
    const m = buildDensityMap([...sixteen, h4], HIP104_RESOLUTIONS);
    expect(m.get(sixteen[0])).toBe('0.0312');
    expect(m.get(h4)).toBe('0.5'); // 1 × 1/2
  });

  it('skips cells coarser than res 11 and counts duplicates as separate hotspots', () => {
    const coarse = cellToParent(h1, 10);
    const m = buildDensityMap([h4, h4, coarse], HIP104_RESOLUTIONS);
    // h4 twice: res-10 raw 2 → 1 (1/2); the res-10 cell is left out.
    expect(Object.fromEntries(m)).toEqual({ [h4]: '0.5' });
  });
});

describe('interactive hotspots for HIP-17', () => {
  const now = 1_764_000_000_000;
  const limitMs = (HELIUM_PARAMS.hip17.interactivityLimitS + HELIUM_PARAMS.hip17.interactivityLookbackS) * 1000; // 60 h + 60 min
  const g = (n: number, location: string | null) => gatewayInfo(testAddress(n), location);
  const cell = latLngToCell(52.37, 4.9, 12);

  it('include a hotspot whose last reciprocal beacon is exactly 61 h old and exclude one 1 ms older', () => {
    const gws = [g(1, cell), g(2, cell), g(3, null), g(4, cell)];
    const history: Record<string, { lastBeaconReciprocityAtMs?: number }> = {
      [gws[0].address]: { lastBeaconReciprocityAtMs: now - limitMs },
      [gws[1].address]: { lastBeaconReciprocityAtMs: now - limitMs - 1 },
      [gws[2].address]: { lastBeaconReciprocityAtMs: now }, // not asserted: no location to count
    };
    expect(interactiveLocations(gws, (a) => history[a] ?? {}, now, HELIUM_PARAMS)).toEqual([cell]);
  });
});

describe('HIP-17 density map with unusual tables', () => {
  it('clips to density_max when it is below density_tgt (limit = min(max, …) ≤ max)', () => {
    // Res 10 [2, 5, 1]: limit = min(1, 5 × … + 5) = 1. Three hotspots in one res-10 cell → 3 → 1: scale 1/3 → 0.3333.
    const cell = latLngToCell(52.37, 4.9, 10);
    const [a, b, c] = cellToChildren(cell, 12);
    const m = buildDensityMap([a, b, c], { '10': [2, 5, 1] });
    expect(m.get(a)).toBe('0.3333');
  });
});

describe('exact scale rounding', () => {
  it('rounds a fraction to 4 places exactly like decimal.js banker\'s rounding', () => {
    expect(roundFraction([1, 32])).toBe('0.0312'); // 0.03125, tie → even
    expect(roundFraction([3, 32])).toBe('0.0938'); // 0.09375, tie → even (8)
    expect(roundFraction([1, 1])).toBe('1');
    expect(roundFraction([1, 2])).toBe('0.5');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 39 - 1 }), fc.integer({ min: 0, max: 2 ** 39 - 1 }), (den, n) => {
        const num = n % (den + 1);
        expect(roundFraction([num, den])).toBe(decString(roundBankers(new Dec(num).div(den), 4)));
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * The straightforward HIP-17 computation (spec §(c); hex_density.rs), with h3-js strings throughout:
 * count res-11 parents, then for res 10 → 4 sum the children's clipped densities, count occupied cells
 * of every disk with gridDisk, clip, and multiply clipped/unclipped in decimal.js, finest first.
 */
function referenceDensity(locations: string[], table: Record<string, DensityTriple>) {
  const unclipped = new Map<string, number>();
  const clipped = new Map<string, number>();
  let level = new Map<string, number>();
  const base = new Map<string, string>();
  for (const h of locations) {
    if (!isValidCell(h) || getResolution(h) < 11) continue;
    const p = cellToParent(h, 11);
    base.set(h, p);
    level.set(p, (level.get(p) ?? 0) + 1);
  }
  for (const [c, n] of level) [unclipped, clipped].forEach((m) => m.set(c, n));
  const parentOf = new Map<string, string>();
  for (let res = 10; res >= 4; res--) {
    const raw = new Map<string, number>();
    for (const [c, n] of level) {
      const p = cellToParent(c, res);
      parentOf.set(c, p);
      raw.set(p, (raw.get(p) ?? 0) + n);
    }
    const next = new Map<string, number>();
    for (const [c, n] of raw) {
      const triple = table[String(res)];
      let v = n;
      if (triple) {
        const occupied = gridDisk(c, 1).filter((d) => (raw.get(d) ?? 0) >= triple[1]).length;
        v = Math.min(densityLimit(occupied, triple), n);
      }
      next.set(c, v);
      unclipped.set(c, n);
      clipped.set(c, v);
    }
    level = next;
  }
  const scales = new Map<string, string>();
  for (const [h, b] of base) {
    let product = new Dec(1);
    for (let c = parentOf.get(b); c !== undefined; c = parentOf.get(c)) {
      if (clipped.get(c) !== unclipped.get(c)) product = product.times(new Dec(clipped.get(c)!).div(unclipped.get(c)!));
    }
    scales.set(h, decString(roundBankers(product, 4)));
  }
  return { scales, unclipped, clipped };
}

describe('HIP-17 density map against the straightforward h3-js computation', () => {
  // Random clusters (up to 150 hotspots within ~2 km, so every resolution clips), with duplicates,
  // coarse (res-10) and invalid locations, under the HIP-17, HIP-104 and a random [N, tgt, max] table.
  const tables = fc.oneof(
    fc.constant(HIP17_RESOLUTIONS),
    fc.constant(HIP104_RESOLUTIONS),
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 })).map(([n, tgt, max]) => {
      const t: Record<string, DensityTriple> = {};
      for (let r = 4; r <= 10; r++) t[String(r)] = [n, tgt, max];
      return t;
    }),
  );
  const cluster = fc.record({
    lat: fc.double({ min: -80, max: 80, noNaN: true }),
    lng: fc.double({ min: -179, max: 179, noNaN: true }),
    // offsets in 1e-4 degrees (integers: fc.double would favour 0 and the bounds, i.e. a handful of cells)
    offsets: fc.array(fc.tuple(fc.integer({ min: -200, max: 200 }), fc.integer({ min: -200, max: 200 }), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 150 }),
  });
  it('gives the same scale for every location and the same densities for every cell', () => {
    fc.assert(
      fc.property(fc.array(cluster, { minLength: 1, maxLength: 3 }), tables, (clusters, table) => {
        const locations: string[] = [];
        for (const { lat, lng, offsets } of clusters) {
          for (const [dLat, dLng, kind] of offsets) {
            const cell = latLngToCell(lat + dLat * 1e-4, lng + dLng * 1e-4, kind === 0 ? 10 : 12);
            locations.push(cell);
            if (kind === 1) locations.push(cell); // two hotspots on one cell
            if (kind === 2) locations.push('not-a-cell');
          }
        }
        const want = referenceDensity(locations, table);
        expect(buildDensityMap(locations, table)).toEqual(want.scales);
        expect([...buildDensityMap(locations, table).keys()]).toEqual([...want.scales.keys()]); // first-seen order
        const got = computeDensityLevels(locations, table);
        expect(new Map([...got.unclipped].sort())).toEqual(new Map([...want.unclipped].sort()));
        expect(new Map([...got.clipped].sort())).toEqual(new Map([...want.clipped].sort()));
      }),
      { numRuns: 60 },
    );
  });
});
