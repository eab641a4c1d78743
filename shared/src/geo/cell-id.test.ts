import fc from 'fast-check';
import { getResolution, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { CellError, cellFromLatLng, cellToU64String, normalizeCell, u64StringToCell } from './cell-id.ts';

describe('cell ids', () => {
  it('indexes a location at resolution 12 by default (h3-js README location at res 7 → 87283472bffffff)', () => {
    expect(cellFromLatLng(37.3615593, -122.0553238, 7)).toBe('87283472bffffff');
    expect(getResolution(cellFromLatLng(37.3615593, -122.0553238))).toBe(12);
  });

  it('converts hex ↔ u64 decimal (values computed with Python int(hex, 16))', () => {
    expect(cellToU64String('87283472bffffff')).toBe('608693241352552447');
    expect(cellToU64String('8c28308280f19ff')).toBe('631210968840346111');
    expect(u64StringToCell('631210968840346111')).toBe('8c28308280f19ff');
  });

  it('normalizes either form and says which was given', () => {
    expect(normalizeCell('8C28308280F19FF')).toEqual({ hex: '8c28308280f19ff', asGiven: 'hex' });
    expect(normalizeCell('0x08c28308280f19ff')).toEqual({ hex: '8c28308280f19ff', asGiven: 'hex' });
    expect(normalizeCell('631210968840346111')).toEqual({ hex: '8c28308280f19ff', asGiven: 'u64' });
  });

  it.each(['', 'hello', '8c2a1072b59fff', '123', '99999999999999999999', '18446744073709551616'])('throws CellError for "%s"', (bad) => {
    expect(() => normalizeCell(bad)).toThrow(CellError);
  });

  it('throws CellError for out-of-range coordinates', () => {
    expect(() => cellFromLatLng(91, 0)).toThrow(CellError);
    expect(() => cellFromLatLng(0, Number.NaN)).toThrow(CellError);
  });

  it('round-trips hex → u64 → hex for cells anywhere at any resolution (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        fc.double({ min: -179.9, max: 179.9, noNaN: true }),
        fc.integer({ min: 0, max: 15 }),
        (lat, lng, res) => {
          const hex = latLngToCell(lat, lng, res);
          const dec = cellToU64String(hex);
          expect(dec).toMatch(/^[0-9]{18,19}$/);
          expect(u64StringToCell(dec)).toBe(hex);
          expect(normalizeCell(dec)).toEqual({ hex, asGiven: 'u64' });
          expect(normalizeCell(hex)).toEqual({ hex, asGiven: 'hex' });
        },
      ),
      { numRuns: 200 },
    );
  });
});
