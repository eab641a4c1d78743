import { describe, it, expect } from 'vitest';
import { regionFromFrequency, rx1Window, rx2Window } from './rx-windows.ts';

// Expected values worked from specs/radio.md §2.1–2.3.
describe('rx1Window', () => {
  it('EU868: same frequency and data rate as the uplink', () => {
    expect(rx1Window('EU868', 868_100_000, 7, 125_000)).toEqual({ frequencyHz: 868_100_000, sf: 7, bandwidthHz: 125_000, dr: 5, powerDbm: 16 });
    expect(rx1Window('EU868', 868_300_000, 12, 125_000, 2)).toMatchObject({ sf: 12, dr: 0 }); // max(0 − 2, 0) = DR0
  });

  it('US915: 923.3 + 0.6·(channel mod 8) MHz, RX1 DR from the offset table', () => {
    // 904.1 MHz = 902.3 + 0.2·9 → channel 9 → 9 mod 8 = 1 → 923.9 MHz; DR1 (SF9/125) → DR11 = SF9/500
    expect(rx1Window('US915', 904_100_000, 9, 125_000)).toEqual({ frequencyHz: 923_900_000, sf: 9, bandwidthHz: 500_000, dr: 11, powerDbm: 21 });
    // 903.9 MHz → channel 8 → 923.3 MHz; DR0 (SF10/125) → DR10 = SF10/500
    expect(rx1Window('US915', 903_900_000, 10, 125_000)).toMatchObject({ frequencyHz: 923_300_000, sf: 10, dr: 10 });
    // 904.6 MHz 500 kHz = 903.0 + 1.6·1 → channel 65 → 65 mod 8 = 1 → 923.9 MHz; DR4 → DR13 = SF7/500
    expect(rx1Window('US915', 904_600_000, 8, 500_000)).toMatchObject({ frequencyHz: 923_900_000, sf: 7, dr: 13 });
  });

  it('AU915: 916.8 MHz is channel 8 → 923.3 MHz; DR3 (SF9/125) → DR11', () => {
    expect(rx1Window('AU915', 916_800_000, 9, 125_000)).toMatchObject({ frequencyHz: 923_300_000, sf: 9, bandwidthHz: 500_000, dr: 11, powerDbm: 30 });
  });
});

describe('rx2Window', () => {
  it.each([
    ['EU868', 869_525_000, 12, 125_000, 0, 29], // 869.525 MHz in the 869.4–869.65 band: 29 dBm (radio.md §2.3)
    ['US915', 923_300_000, 12, 500_000, 8, 21],
    ['AU915', 923_300_000, 12, 500_000, 8, 30],
    ['AS923_1', 923_200_000, 10, 125_000, 2, 16],
    ['AS923_2', 921_400_000, 10, 125_000, 2, 16], // 923.2 − 1.8 MHz
  ])('%s', (region, f, sf, bw, dr, p) => {
    expect(rx2Window(region)).toEqual({ frequencyHz: f, sf, bandwidthHz: bw, dr, powerDbm: p });
  });
});

describe('regionFromFrequency', () => {
  it('maps the uplink bands', () => {
    expect(regionFromFrequency(868_100_000)).toBe('EU868');
    expect(regionFromFrequency(904_100_000)).toBe('US915');
    expect(regionFromFrequency(917_000_000)).toBe('AU915');
    expect(regionFromFrequency(923_400_000)).toBe('AS923_1');
    expect(regionFromFrequency(433_000_000)).toBeNull();
  });
});
