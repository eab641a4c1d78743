import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HELIUM_PARAMS } from '@hexium/shared/params/index';
import { dcForPayload, dcFromHntBones } from './dc.ts';

describe('dcForPayload (iot_packet_verifier: ceil(max(size, 24) / 24))', () => {
  it.each([
    [0, 1], // max(0, 24) / 24 = 1
    [1, 1],
    [23, 1],
    [24, 1], // 24 / 24 = 1
    [25, 2], // ceil(25 / 24) = 2
    [48, 2], // 48 / 24 = 2
    [49, 3], // ceil(49 / 24) = 3
    [72, 3],
    [73, 4],
  ])('%i bytes cost %i DC', (bytes, dc) => {
    expect(dcForPayload(bytes, 24)).toBe(dc);
  });

  it('is the least whole DC covering the bytes, never below 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
        const dc = dcForPayload(n, 24);
        expect(dc).toBeGreaterThanOrEqual(1);
        expect(dc * 24).toBeGreaterThanOrEqual(n); // covers the payload
        expect((dc - 1) * 24).toBeLessThan(Math.max(n, 24)); // and not one DC more
      }),
    );
  });

  it('rejects negative and fractional sizes', () => {
    expect(() => dcForPayload(-1, 24)).toThrow(RangeError);
    expect(() => dcForPayload(1.5, 24)).toThrow(RangeError);
  });
});

describe('dcFromHntBones (DC = floor(HNT × price / $0.00001))', () => {
  const price = { hntPrice: 359_000_000, hntPriceDecimals: 8, dcUsdPrice: '0.00001' }; // $3.59

  it('1 HNT at $3.59 buys 359,000 DC', () => {
    // 1 HNT × $3.59 = $3.59; 3.59 / 0.00001 = 359 000
    expect(dcFromHntBones(100_000_000n, price)).toBe(359_000n);
  });

  it('0.5 HNT at $3.59 buys 179,500 DC', () => {
    // 0.5 × 3.59 = 1.795 USD; 1.795 / 0.00001 = 179 500
    expect(dcFromHntBones(50_000_000n, price)).toBe(179_500n);
  });

  it('floors fractional DC', () => {
    // 1.23456789 HNT × 3.59 = 4.4320987251 USD → 443 209.87251 DC → 443 209
    expect(dcFromHntBones(123_456_789n, price)).toBe(443_209n);
    // 1 bone = 1e-8 HNT × 3.59 = 3.59e-8 USD → 0.00359 DC → 0
    expect(dcFromHntBones(1n, price)).toBe(0n);
  });

  it('uses the helium profile price', () => {
    // HELIUM_PARAMS: hntPrice 359 000 000 with 8 decimals = $3.59 → 100 HNT buys 35 900 000 DC
    expect(dcFromHntBones(10_000_000_000n, HELIUM_PARAMS)).toBe(35_900_000n);
  });

  it('stays exact past 2^53 bones', () => {
    // 10^8 HNT at $1 (price 1 with 0 decimals) = $10^8 → 10^13 DC
    expect(dcFromHntBones(10n ** 16n, { hntPrice: 1, hntPriceDecimals: 0, dcUsdPrice: '0.00001' })).toBe(10n ** 13n);
  });
});
