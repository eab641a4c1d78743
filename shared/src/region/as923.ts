/**
 * AS923-1..4 (RP002-1.0.x), ../shared/specs/radio.md §2.1–§2.5. Sources: LoRaMac-node
 * `src/mac/region/RegionAS923.h` (REGION_VERSION 0x02010001, i.e. RP002: `AS923_LC1/2` 923.2/923.4 MHz,
 * `AS923_RX_WND_2_FREQ 923200000`, `AS923_RX_WND_2_DR DR_2`, `AS923_DEFAULT_MAX_EIRP 16.0f`,
 * `MaxPayloadOfDatarateDwell0AS923 {51,51,115,115,242,242,242,242}`,
 * `MaxPayloadOfDatarateDwell1AS923 {0,0,11,53,125,242,242,242}`, `EffectiveRx1DrOffsetDownlinkDwell{0,1}AS923`)
 * and `RegionAS923.c` (frequency offsets of AS923-2/3/4: −1.8, −6.6, −5.9 MHz). Helium's 8 channels per
 * sub-region are first channel + 0.2·n MHz (HELIUM_REGION_PARAMS).
 */
import { channelRange, channelsCarrying, checkDr, checkOffset, DEFAULT_RX_DELAYS, lora, type DataRateDef, type RegionalPlan, type RegionalPlanName } from './types.ts';

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

/** RX1 DR offsets 0..7; 6 and 7 raise the DR by 1 and 2 (EffectiveRx1DrOffsetAS923 {0,1,2,3,4,5,−1,−2}). */
const EFFECTIVE_RX1_OFFSET = [0, 1, 2, 3, 4, 5, -1, -2];

/** Frequency offset of each AS923 sub-region from AS923-1, Hz. */
export const AS923_FREQUENCY_OFFSETS_HZ: Readonly<Record<'AS923_1' | 'AS923_2' | 'AS923_3' | 'AS923_4', number>> = {
  AS923_1: 0,
  AS923_2: -1_800_000,
  AS923_3: -6_600_000,
  AS923_4: -5_900_000,
};

function as923(name: RegionalPlanName & keyof typeof AS923_FREQUENCY_OFFSETS_HZ): RegionalPlan {
  const off = AS923_FREQUENCY_OFFSETS_HZ[name];
  const uplinkChannelsHz = channelRange(923_200_000 + off, 200_000, 8);
  const joinChannelsHz = [923_200_000 + off, 923_400_000 + off];
  const uplinkDataRates = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name,
    uplinkChannelsHz,
    joinChannelsHz,
    dataRates: DATA_RATES,
    uplinkDataRates,
    // Every channel of the set is a 125 kHz channel (RP002-1.0.x §2.7.2: default channels DR0–5), so
    // DR6 (SF7/250 kHz) has none and DR7 (FSK) is not LoRa.
    uplinkChannelsFor(dr, join = false) {
      return channelsCarrying({ name, dataRates: DATA_RATES, uplinkDataRates }, dr, join ? joinChannelsHz : uplinkChannelsHz, () => 125_000);
    },
    maxEirpDbm: 16,
    defaultAntennaGainDbi: 2.15,
    txPowerSteps: 8,
    maxPayloadDwell0: [51, 51, 115, 115, 242, 242, 242, 242],
    maxPayloadDwell1: [0, 0, 11, 53, 125, 242, 242, 242],
    // AS923_DEFAULT_UPLINK_DWELL_TIME 1.
    dwellTimeLimitMs: 400,
    defaultUplinkDwellTime: true,
    // RX1: same frequency; DR = min(7, max(minDr, DR − effectiveOffset)), minDr = 2 with the downlink
    // dwell limit, else 0 (RP002 tables EffectiveRx1DrOffsetDownlinkDwell{0,1}AS923).
    rx1(uplinkFreqHz, uplinkDr, rx1DrOffset = 0, options = {}) {
      checkDr({ name, dataRates: DATA_RATES }, uplinkDr);
      checkOffset(name, rx1DrOffset, 7);
      const minDr = options.downlinkDwellTime ? 2 : 0;
      return { freqHz: uplinkFreqHz, dr: Math.min(7, Math.max(minDr, uplinkDr - EFFECTIVE_RX1_OFFSET[rx1DrOffset])) };
    },
    rx2: { freqHz: 923_200_000 + off, dr: 2 },
    delays: DEFAULT_RX_DELAYS,
    dutyCycle: false,
  };
}

export const AS923_1 = as923('AS923_1');
export const AS923_2 = as923('AS923_2');
export const AS923_3 = as923('AS923_3');
export const AS923_4 = as923('AS923_4');
