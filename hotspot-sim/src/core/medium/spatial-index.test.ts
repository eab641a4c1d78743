import { describe, expect, it } from 'vitest';
import { greatCircleDistance, latLngToCell } from 'h3-js';
import { SpatialIndex } from './spatial-index.ts';

// 2,000 points over about 60 × 60 km around Berlin, from a fixed linear congruential sequence
function points(): { lat: number; lng: number }[] {
  let s = 12345;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: 2000 }, () => ({ lat: 52.25 + next() * 0.55, lng: 13.0 + next() * 0.9 }));
}

describe('SpatialIndex', () => {
  const pts = points();
  const rangeM = 12_000;
  const index = new SpatialIndex(pts, rangeM);

  it('lists every point within range, ascending, for transmitters anywhere in the area', () => {
    for (const q of [pts[0], pts[777], { lat: 52.52, lng: 13.405 }, { lat: 52.26, lng: 13.01 }]) {
      const cand = index.candidates(q.lat, q.lng);
      const within = pts.flatMap((p, i) => (greatCircleDistance([q.lat, q.lng], [p.lat, p.lng], 'm') <= rangeM ? [i] : []));
      expect(within.length).toBeGreaterThan(50);
      const set = new Set(cand);
      expect(within.filter((i) => !set.has(i))).toEqual([]);
      expect([...cand].sort((a, b) => a - b)).toEqual([...cand]);
    }
  });

  it('gives two transmitters in one cell the same list, made once', () => {
    const a = pts[10];
    const cell = latLngToCell(a.lat, a.lng, index.res);
    const b = pts.find((p, i) => i !== 10 && latLngToCell(p.lat, p.lng, index.res) === cell);
    expect(b).toBeDefined();
    const la = index.candidates(a.lat, a.lng);
    expect(index.candidates(b!.lat, b!.lng)).toBe(la);
  });
});
