import { describe, expect, it } from 'vitest';
import { dataRateEnum, dataRateFromEnum, HELIUM_DATA_RATE, HELIUM_REGION_ENUM } from './enums.ts';

describe('Helium enums (helium/proto data_rate.proto, region.proto)', () => {
  it('numbers data rates SF12BW125 = 0 … SF7BW500 = 17, LR-FHSS 18–23, FSK50 = 24', () => {
    expect(HELIUM_DATA_RATE.SF12BW125).toBe(0);
    expect(HELIUM_DATA_RATE.SF9BW125).toBe(3);
    expect(HELIUM_DATA_RATE.SF7BW125).toBe(5);
    expect(HELIUM_DATA_RATE.SF12BW250).toBe(6);
    expect(HELIUM_DATA_RATE.SF12BW500).toBe(12);
    expect(HELIUM_DATA_RATE.SF7BW500).toBe(17);
    expect(HELIUM_DATA_RATE.LRFHSS1BW137).toBe(18);
    expect(HELIUM_DATA_RATE.FSK50).toBe(24);
    expect(new Set(Object.values(HELIUM_DATA_RATE)).size).toBe(25);
  });

  it('numbers regions as region.proto', () => {
    expect([HELIUM_REGION_ENUM.US915, HELIUM_REGION_ENUM.EU868, HELIUM_REGION_ENUM.AU915, HELIUM_REGION_ENUM.AS923_1]).toEqual([0, 1, 5, 6]);
    expect([HELIUM_REGION_ENUM.AS923_2, HELIUM_REGION_ENUM.AS923_3, HELIUM_REGION_ENUM.AS923_4]).toEqual([9, 10, 11]);
  });

  it('maps names to values and back', () => {
    expect(dataRateEnum('SF12BW125')).toBe(0);
    expect(dataRateEnum('SF6BW125')).toBeUndefined();
    expect(dataRateFromEnum(3)).toBe('SF9BW125');
    expect(dataRateFromEnum(25)).toBeUndefined();
  });
});
