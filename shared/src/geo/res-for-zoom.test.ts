import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { resForZoom, resForTileZoom, MIN_RES, MAX_RES } from './res-for-zoom.ts';

describe('resForZoom', () => {
  it('is coarse when zoomed out and res 8–9 close up (issue 8)', () => {
    expect(resForZoom(0)).toBe(4);
    expect(resForZoom(3)).toBe(4);
    // z 10 at 50° N: 78,271.5 / 2^10 × 0.643 = 49 m/px; res-8 hex ≈ 922 m wide → 19 px (res-for-zoom.ts).
    expect(resForZoom(10)).toBe(8);
    expect(resForZoom(12)).toBe(9);
    expect(resForZoom(18)).toBe(9);
  });

  it('changes exactly at the breaks', () => {
    expect(resForZoom(4.99)).toBe(4);
    expect(resForZoom(5)).toBe(5);
    expect(resForZoom(9.49)).toBe(7);
    expect(resForZoom(9.5)).toBe(8);
    expect(resForZoom(11)).toBe(9);
  });

  it('never decreases as the zoom grows and stays within the API range 4–10', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 24, noNaN: true }), fc.double({ min: 0, max: 24, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(resForZoom(lo)).toBeLessThanOrEqual(resForZoom(hi));
        expect(resForZoom(lo)).toBeGreaterThanOrEqual(MIN_RES);
        expect(resForZoom(hi)).toBeLessThanOrEqual(MAX_RES);
      }),
    );
  });

  it('gives a tile z the rule at its lowest map zoom (512-px tiles drawn at zooms [z, z + 1))', () => {
    // tile 9 is drawn from zoom 9 (res 7) to 9.99 (res 8 from 9.5): it takes res 7; tile 11 → res 9.
    expect(resForTileZoom(9)).toBe(7);
    expect(resForTileZoom(10)).toBe(8);
    expect(resForTileZoom(11)).toBe(9);
    expect(resForTileZoom(0)).toBe(4);
  });
});
