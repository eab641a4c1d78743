import { describe, expect, it } from 'vitest';
import { noiseFloorDbm, REQUIRED_SNR_DB, requiredSnrDb, sensitivityDbm } from './noise.ts';

describe('noise floor, required SNR, sensitivity (radio.md §1.3)', () => {
  it('gives −117.03 / −114.02 / −111.01 dBm at 125 / 250 / 500 kHz with NF 6 dB', () => {
    // −174 + 10·log10(125000) + 6 = −174 + 50.9691 + 6 = −117.0309
    expect(noiseFloorDbm(125_000)).toBeCloseTo(-117.0309, 4);
    expect(noiseFloorDbm(250_000)).toBeCloseTo(-114.0206, 4); // +10·log10 2 = +3.0103
    expect(noiseFloorDbm(500_000)).toBeCloseTo(-111.0103, 4);
    expect(noiseFloorDbm(125_000, 1.5)).toBeCloseTo(-121.5309, 4);
  });

  it('holds the ChirpStack required-SNR table (SF6 −5 … SF12 −20 dB)', () => {
    expect(REQUIRED_SNR_DB).toEqual({ 6: -5, 7: -7.5, 8: -10, 9: -12.5, 10: -15, 11: -17.5, 12: -20 });
    expect(requiredSnrDb(9)).toBe(-12.5);
    expect(() => requiredSnrDb(13)).toThrow(RangeError);
  });

  it('gives sensitivities −124.5 … −137.0 dBm at 125 kHz, NF 6 dB (radio.md §1.3 derived row)', () => {
    // S = −117.0309 + SNRreq
    const expected: Record<number, number> = { 7: -124.5309, 8: -127.0309, 9: -129.5309, 10: -132.0309, 11: -134.5309, 12: -137.0309 };
    for (const [sf, s] of Object.entries(expected)) expect(sensitivityDbm(Number(sf), 125_000)).toBeCloseTo(s, 4);
  });

  it('gives the SX1302 reference-design range −129 … −141.5 dBm with NF 1.5 dB', () => {
    // −121.5309 − 7.5 = −129.03; −121.5309 − 20 = −141.53
    expect(sensitivityDbm(7, 125_000, 1.5)).toBeCloseTo(-129.0309, 4);
    expect(sensitivityDbm(12, 125_000, 1.5)).toBeCloseTo(-141.5309, 4);
  });

  it('rejects a non-positive bandwidth', () => {
    expect(() => noiseFloorDbm(0)).toThrow(RangeError);
  });
});
