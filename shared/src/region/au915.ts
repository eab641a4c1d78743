/**
 * AU915 (RP002-1.0.x) with Helium's sub-band 2 (channels 8–15, 916.8–918.2 MHz), ../shared/specs/radio.md
 * §2.1–§2.5. Sources: ChirpStack `lrwn/src/region/au915.rs` (915.2 + 0.2·n MHz, 915.9 + 1.6·n MHz,
 * RX1 923.3 + 0.6·(ch mod 8) MHz); LoRaMac-node `RegionAU915.h` (`DataratesAU915`,
 * `DatarateOffsetsAU915`, `MaxPayloadOfDatarateDwell{0,1}AU915`, `AU915_DEFAULT_MAX_EIRP 30.0f`,
 * `AU915_DEFAULT_UPLINK_DWELL_TIME 1`).
 */
import { channelsCarrying, checkOffset, gridChannelBandwidthHz, gridChannelOf, DEFAULT_RX_DELAYS, lora, type DataRateDef, type RegionalPlan } from './types.ts';

const DATA_RATES: Record<number, DataRateDef> = {
  0: lora(12),
  1: lora(11),
  2: lora(10),
  3: lora(9),
  4: lora(8),
  5: lora(7),
  6: lora(8, 500_000),
  7: { modulation: 'LR-FHSS', codingRate: '1/3', occupiedBandwidthHz: 1_523_000 },
  8: lora(12, 500_000),
  9: lora(11, 500_000),
  10: lora(10, 500_000),
  11: lora(9, 500_000),
  12: lora(8, 500_000),
  13: lora(7, 500_000),
};

/** Uplink channel number n → frequency: 0..63 are 125 kHz, 64..71 are 500 kHz. */
export function au915ChannelHz(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 71) throw new RangeError(`AU915 channel must be 0..71, got ${n}`);
  return n < 64 ? 915_200_000 + n * 200_000 : 915_900_000 + (n - 64) * 1_600_000;
}

// DatarateOffsetsAU915: uplink DR0..6 → RX1 DR for offsets 0..5.
const RX1_DR: readonly (readonly number[])[] = [
  [8, 8, 8, 8, 8, 8],
  [9, 8, 8, 8, 8, 8],
  [10, 9, 8, 8, 8, 8],
  [11, 10, 9, 8, 8, 8],
  [12, 11, 10, 9, 8, 8],
  [13, 12, 11, 10, 9, 8],
  [13, 13, 12, 11, 10, 9],
];

// Sub-band 2: the 125 kHz channels 8–15 and the 500 kHz channel of the same block, 65 (917.5 MHz) — the
// set ChirpStack `region_au915_1.toml` enables; without 65 no channel would carry DR6 (SF8/500 kHz).
const HELIUM_CHANNELS = [8, 9, 10, 11, 12, 13, 14, 15, 65];

export const AU915: RegionalPlan = {
  name: 'AU915',
  uplinkChannelsHz: HELIUM_CHANNELS.map(au915ChannelHz),
  joinChannelsHz: HELIUM_CHANNELS.map(au915ChannelHz),
  dataRates: DATA_RATES,
  uplinkDataRates: [0, 1, 2, 3, 4, 5, 6],
  maxEirpDbm: 30,
  defaultAntennaGainDbi: 2.15,
  txPowerSteps: 15,
  // MaxPayloadOfDatarateDwell0AU915 / Dwell1AU915 (radio.md §2.4).
  maxPayloadDwell0: [51, 51, 51, 115, 242, 242, 242, 0, 53, 129, 242, 242, 242, 242],
  maxPayloadDwell1: [0, 0, 11, 53, 125, 242, 242, 0, 53, 129, 242, 242, 242, 242],
  // AU915_DEFAULT_UPLINK_DWELL_TIME 1: the 400 ms limit (and the Dwell1 table) applies by default.
  dwellTimeLimitMs: 400,
  defaultUplinkDwellTime: true,
  // RP002-1.0.x §2.6.2: DR0–5 (125 kHz) on channels 0–63 (here 8–15), DR6 (SF8/500 kHz) on 64–71 (here 65).
  uplinkChannelsFor(dr, join = false) {
    return channelsCarrying(AU915, dr, join ? AU915.joinChannelsHz : AU915.uplinkChannelsHz, (f) => gridChannelBandwidthHz(f, 915_200_000, 915_900_000));
  },
  rx1(uplinkFreqHz, uplinkDr, rx1DrOffset = 0) {
    if (!Number.isInteger(uplinkDr) || uplinkDr < 0 || uplinkDr > 6) throw new RangeError(`AU915: uplink DR must be 0..6, got ${uplinkDr}`);
    checkOffset('AU915', rx1DrOffset, 5);
    const ch = gridChannelOf(uplinkFreqHz, 915_200_000, 915_900_000);
    return { freqHz: 923_300_000 + (ch % 8) * 600_000, dr: RX1_DR[uplinkDr][rx1DrOffset] };
  },
  rx2: { freqHz: 923_300_000, dr: 8 },
  delays: DEFAULT_RX_DELAYS,
  dutyCycle: false,
};
