/**
 * Helium protobuf enums used in PoC reports: `data_rate` (helium/proto `src/data_rate.proto`) and
 * `region` (helium/proto `src/region.proto`). ../shared/specs/radio.md §2.6.
 */

/** helium/proto `data_rate`: SF12BW125 = 0 … FSK50 = 24. */
export const HELIUM_DATA_RATE = {
  SF12BW125: 0,
  SF11BW125: 1,
  SF10BW125: 2,
  SF9BW125: 3,
  SF8BW125: 4,
  SF7BW125: 5,
  SF12BW250: 6,
  SF11BW250: 7,
  SF10BW250: 8,
  SF9BW250: 9,
  SF8BW250: 10,
  SF7BW250: 11,
  SF12BW500: 12,
  SF11BW500: 13,
  SF10BW500: 14,
  SF9BW500: 15,
  SF8BW500: 16,
  SF7BW500: 17,
  LRFHSS1BW137: 18,
  LRFHSS2BW137: 19,
  LRFHSS1BW336: 20,
  LRFHSS2BW336: 21,
  LRFHSS1BW1523: 22,
  LRFHSS2BW1523: 23,
  FSK50: 24,
} as const;

export type HeliumDataRateName = keyof typeof HELIUM_DATA_RATE;

/** helium/proto `region` (CN779 = 4 is deprecated; the sub-plans from 12 on are listed for decoding). */
export const HELIUM_REGION_ENUM = {
  US915: 0,
  EU868: 1,
  EU433: 2,
  CN470: 3,
  CN779: 4,
  AU915: 5,
  AS923_1: 6,
  KR920: 7,
  IN865: 8,
  AS923_2: 9,
  AS923_3: 10,
  AS923_4: 11,
  AS923_1B: 12,
  CD900_1A: 13,
  RU864: 14,
  EU868_A: 15,
  EU868_B: 16,
  EU868_C: 17,
  EU868_D: 18,
  EU868_E: 19,
  EU868_F: 20,
  AU915_SB1: 21,
  AU915_SB2: 22,
  AS923_1A: 23,
  AS923_1C: 24,
  AS923_1D: 25,
  AS923_1E: 26,
  AS923_1F: 27,
  UNKNOWN: 99,
} as const;

export type HeliumRegionEnumName = keyof typeof HELIUM_REGION_ENUM;

/** Enum value of a data-rate name such as "SF12BW125"; undefined when Helium has no such rate. */
export function dataRateEnum(name: string): number | undefined {
  return (HELIUM_DATA_RATE as Record<string, number>)[name];
}

/** Name of a data-rate enum value; undefined when out of range. */
export function dataRateFromEnum(value: number): HeliumDataRateName | undefined {
  return (Object.keys(HELIUM_DATA_RATE) as HeliumDataRateName[]).find((k) => HELIUM_DATA_RATE[k] === value);
}
