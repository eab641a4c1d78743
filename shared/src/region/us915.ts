/**
 * US915 (RP002-1.0.x) with Helium's sub-band 2 (FSB2: channels 8–15 + 65), ../shared/specs/radio.md
 * §2.1–§2.5. Sources: ChirpStack `lrwn/src/region/us915.rs` channel loops (902.3 + 0.2·n MHz,
 * 903.0 + 1.6·n MHz, RX1 923.3 + 0.6·(ch mod 8) MHz) and `configuration/region_us915_1.toml`
 * ("channels 8-15 + 65"); LoRaMac-node `RegionUS915.h` (`DatarateOffsetsUS915`,
 * `MaxPayloadOfDatarateUS915`, `US915_DEFAULT_MAX_ERP 30.0f`).
 */
import { channelsCarrying, checkOffset, gridChannelBandwidthHz, gridChannelOf, DEFAULT_RX_DELAYS, lora, type DataRateDef, type RegionalPlan } from './types.ts';

const DATA_RATES: Record<number, DataRateDef> = {
  0: lora(10),
  1: lora(9),
  2: lora(8),
  3: lora(7),
  4: lora(8, 500_000),
  5: { modulation: 'LR-FHSS', codingRate: '1/3', occupiedBandwidthHz: 1_523_000 },
  6: { modulation: 'LR-FHSS', codingRate: '2/3', occupiedBandwidthHz: 1_523_000 },
  8: lora(12, 500_000),
  9: lora(11, 500_000),
  10: lora(10, 500_000),
  11: lora(9, 500_000),
  12: lora(8, 500_000),
  13: lora(7, 500_000),
};

/** Uplink channel number n → frequency: 0..63 are 125 kHz, 64..71 are 500 kHz. */
export function us915ChannelHz(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 71) throw new RangeError(`US915 channel must be 0..71, got ${n}`);
  return n < 64 ? 902_300_000 + n * 200_000 : 903_000_000 + (n - 64) * 1_600_000;
}

// DatarateOffsetsUS915: uplink DR0..4 → RX1 DR for offsets 0..3.
const RX1_DR: readonly (readonly number[])[] = [
  [10, 9, 8, 8],
  [11, 10, 9, 8],
  [12, 11, 10, 9],
  [13, 12, 11, 10],
  [13, 13, 12, 11],
];

export const US915: RegionalPlan = {
  name: 'US915',
  // FSB2: channels 8..15 (903.9–905.3 MHz) + channel 65 (904.6 MHz, 500 kHz, DR4).
  uplinkChannelsHz: [8, 9, 10, 11, 12, 13, 14, 15, 65].map(us915ChannelHz),
  joinChannelsHz: [8, 9, 10, 11, 12, 13, 14, 15, 65].map(us915ChannelHz),
  dataRates: DATA_RATES,
  uplinkDataRates: [0, 1, 2, 3, 4],
  maxEirpDbm: 30,
  defaultAntennaGainDbi: 0,
  txPowerSteps: 15,
  // MaxPayloadOfDatarateUS915 {11,53,125,242,242,0,0,0,53,129,242,242,242,242}.
  maxPayloadDwell0: [11, 53, 125, 242, 242, 0, 0, 0, 53, 129, 242, 242, 242, 242],
  dwellTimeLimitMs: 400,
  defaultUplinkDwellTime: true,
  // RP002-1.0.x §2.5.2: DR0–3 (125 kHz) on channels 0–63 (here 8–15), DR4 (SF8/500 kHz) on 64–71 (here 65).
  uplinkChannelsFor(dr, join = false) {
    return channelsCarrying(US915, dr, join ? US915.joinChannelsHz : US915.uplinkChannelsHz, (f) => gridChannelBandwidthHz(f, 902_300_000, 903_000_000));
  },
  rx1(uplinkFreqHz, uplinkDr, rx1DrOffset = 0) {
    if (!Number.isInteger(uplinkDr) || uplinkDr < 0 || uplinkDr > 4) throw new RangeError(`US915: uplink DR must be 0..4, got ${uplinkDr}`);
    checkOffset('US915', rx1DrOffset, 3);
    const ch = gridChannelOf(uplinkFreqHz, 902_300_000, 903_000_000);
    return { freqHz: 923_300_000 + (ch % 8) * 600_000, dr: RX1_DR[uplinkDr][rx1DrOffset] };
  },
  rx2: { freqHz: 923_300_000, dr: 8 },
  delays: DEFAULT_RX_DELAYS,
  dutyCycle: false,
};
