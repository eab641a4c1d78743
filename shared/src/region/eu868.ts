/**
 * EU868 (RP002-1.0.x), ../shared/specs/radio.md §2.1–§2.5. Sources: LoRaMac-node
 * `src/mac/region/RegionEU868.h` (`EU868_LC1..3`, `EU868_RX_WND_2_FREQ 869525000`, `EU868_DEFAULT_MAX_EIRP
 * 16.0f`, `EU868_DEFAULT_ANTENNA_GAIN 2.15f`, `MaxPayloadOfDatarateEU868`), ChirpStack `lrwn/src/region/eu868.rs`.
 */
import { channelRange, channelsCarrying, checkDr, checkOffset, DEFAULT_RX_DELAYS, lora, type DataRateDef, type RegionalPlan } from './types.ts';

const DATA_RATES: Record<number, DataRateDef> = {
  0: lora(12),
  1: lora(11),
  2: lora(10),
  3: lora(9),
  4: lora(8),
  5: lora(7),
  6: lora(7, 250_000),
  7: { modulation: 'FSK', bitRate: 50_000 },
};

export const EU868: RegionalPlan = {
  name: 'EU868',
  // Helium / TTN EU868 set: the three defaults plus the usual CFList 867.1–867.9 MHz
  // (same frequencies as HELIUM_REGION_PARAMS.EU868).
  uplinkChannelsHz: channelRange(867_100_000, 200_000, 8),
  joinChannelsHz: [868_100_000, 868_300_000, 868_500_000],
  dataRates: DATA_RATES,
  uplinkDataRates: [0, 1, 2, 3, 4, 5, 6, 7],
  maxEirpDbm: 16,
  defaultAntennaGainDbi: 2.15,
  txPowerSteps: 8,
  // MaxPayloadOfDatarateEU868 {51,51,51,115,242,242,242,242}.
  maxPayloadDwell0: [51, 51, 51, 115, 242, 242, 242, 242],
  defaultUplinkDwellTime: false,
  // RX1: same frequency as the uplink; DR = max(DR − offset, 0), offsets 0..5 (ChirpStack eu868.rs).
  // Every channel of the set is a 125 kHz channel (RP002-1.0.x §2.4.2: the default channels carry
  // DR0–5), so DR6 (SF7/250 kHz) has none and DR7 (FSK) is not LoRa.
  uplinkChannelsFor(dr, join = false) {
    return channelsCarrying(EU868, dr, join ? EU868.joinChannelsHz : EU868.uplinkChannelsHz, () => 125_000);
  },
  rx1(uplinkFreqHz, uplinkDr, rx1DrOffset = 0) {
    checkDr({ name: 'EU868', dataRates: DATA_RATES }, uplinkDr);
    checkOffset('EU868', rx1DrOffset, 5);
    return { freqHz: uplinkFreqHz, dr: Math.max(uplinkDr - rx1DrOffset, 0) };
  },
  rx2: { freqHz: 869_525_000, dr: 0 },
  delays: DEFAULT_RX_DELAYS,
  dutyCycle: true,
};
