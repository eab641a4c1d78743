import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { cellToParent, getPentagons, latLngToCell, cellToChildren } from 'h3-js';
import { bitsKey, bitsResolution, bitsToHex, parentBits, splitCell } from './h3-bits.ts';

describe('H3 parents by bit arithmetic', () => {
  it('agree with h3-js cellToParent for every resolution 4..12 of random res-12 cells', () => {
    fc.assert(
      fc.property(fc.double({ min: -85, max: 85, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), (lat, lng) => {
        const cell = latLngToCell(lat, lng, 12);
        const [hi, lo] = splitCell(cell);
        expect(bitsResolution(hi)).toBe(12);
        expect(bitsToHex(hi, lo)).toBe(cell);
        for (let r = 12; r >= 4; r--) expect(bitsToHex(...parentBits(hi, lo, r))).toBe(cellToParent(cell, r));
      }),
      { numRuns: 300 },
    );
  });

  it('agree with h3-js for cells under a pentagon', () => {
    for (const pentagon of getPentagons(4)) {
      for (const cell of cellToChildren(pentagon, 7).slice(0, 3)) {
        const [hi, lo] = splitCell(cell);
        for (let r = 7; r >= 4; r--) expect(bitsToHex(...parentBits(hi, lo, r))).toBe(cellToParent(cell, r));
      }
    }
  });

  it('give distinct keys to distinct cells of resolution ≤ 11, across resolutions', () => {
    const cell = latLngToCell(52.37, 4.9, 11);
    const [hi, lo] = splitCell(cell);
    const keys = new Set<number>();
    for (let r = 11; r >= 0; r--) keys.add(bitsKey(...parentBits(hi, lo, r)));
    for (const child of cellToChildren(cellToParent(cell, 9), 11)) keys.add(bitsKey(...splitCell(child)));
    expect(keys.size).toBe(12 + 49 - 1); // the res-11 cell itself is one of the 49 grandchildren
  });
});
