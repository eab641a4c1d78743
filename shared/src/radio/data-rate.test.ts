import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataRateName, parseDataRateName } from './data-rate.ts';

describe('data-rate names', () => {
  it('writes names the way gateways and Helium do', () => {
    expect(dataRateName(9, 125_000)).toBe('SF9BW125');
    expect(dataRateName(12, 500_000)).toBe('SF12BW500');
    expect(dataRateName(7, 250_000)).toBe('SF7BW250');
    expect(() => dataRateName(13, 125_000)).toThrow(RangeError);
  });

  it('parses names, case-insensitively, and rejects others', () => {
    expect(parseDataRateName('SF9BW125')).toEqual({ sf: 9, bandwidthHz: 125_000 });
    expect(parseDataRateName('sf10bw500')).toEqual({ sf: 10, bandwidthHz: 500_000 });
    expect(parseDataRateName('SF7BW62.5')).toEqual({ sf: 7, bandwidthHz: 62_500 });
    for (const bad of ['SF9', 'BW125', 'SF13BW125', 'SF9BW', 'FSK50', 'SF9BW0']) expect(() => parseDataRateName(bad)).toThrow(RangeError);
  });

  it('round-trips every (sf, whole-Hz bandwidth)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 12 }), fc.integer({ min: 1, max: 2_000_000 }), (sf, bandwidthHz) => {
        expect(parseDataRateName(dataRateName(sf, bandwidthHz))).toEqual({ sf, bandwidthHz });
      }),
    );
  });
});
