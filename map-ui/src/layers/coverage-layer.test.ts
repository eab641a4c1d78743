import { describe, it, expect } from 'vitest';
import { bboxContains, padBbox } from './coverage-layer.ts';

describe('coverage bbox', () => {
  it('pads by half the width and height on each side', () => {
    // view 10..12 lng (2° wide), 50..51 lat (1° high) → ±1° lng, ±0.5° lat
    expect(padBbox([10, 50, 12, 51])).toEqual([9, 49.5, 13, 51.5]);
  });
  it('clamps to the Web Mercator world', () => {
    expect(padBbox([-179, -80, 179, 80])).toEqual([-180, -85.06, 180, 85.06]);
  });
  it('contains a view panned within the padding, not one panned beyond it', () => {
    const fetched = padBbox([10, 50, 12, 51]);
    expect(bboxContains(fetched, [10.8, 50.3, 12.8, 51.3])).toBe(true);
    expect(bboxContains(fetched, [11.2, 50, 13.2, 51])).toBe(false);
  });
});
