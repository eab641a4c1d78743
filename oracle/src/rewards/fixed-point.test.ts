import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Dec } from '../poc/decimal.ts';
import { fixedToDec, toFixed } from './fixed-point.ts';

describe('fixed-point decimals', () => {
  it('parse decimal strings exactly, dropping trailing fraction zeros', () => {
    expect(toFixed('0')).toEqual({ int: 0n, scale: 0 });
    expect(toFixed('12')).toEqual({ int: 12n, scale: 0 });
    expect(toFixed('1.2500')).toEqual({ int: 125n, scale: 2 });
    expect(toFixed('0.000000000000001')).toEqual({ int: 1n, scale: 15 });
    expect(toFixed('3.0')).toEqual({ int: 3n, scale: 0 });
  });

  it('refuse negative, exponent and malformed numbers', () => {
    for (const bad of ['-1', '1e5', '.5', '1.', 'abc', '']) expect(() => toFixed(bad), bad).toThrow(RangeError);
  });

  it('round-trip any decimal with up to 20 places through Decimal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 20 }), (n, scale) => {
        const d = new Dec(n.toString()).div(new Dec(10).pow(scale));
        expect(fixedToDec(toFixed(d.toFixed())).eq(d)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
