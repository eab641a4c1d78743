/**
 * Class A receive windows per region, from the shared regional plans (`@hexium/shared/region/index`;
 * specs/radio.md §2.1 data rates, §2.2 channels and RX windows), plus the gateway's downlink power
 * (§2.3). RX1 follows the uplink's channel and data rate; RX2 is fixed per region. Delays (all four
 * regions, ChirpStack `get_defaults()`): RX1 1 s, RX2 2 s, JoinAccept 5 s / 6 s.
 */
import { DEFAULT_RX_DELAYS, REGIONAL_PLAN_NAMES, dataRateOf, drOf, getRegionalPlan, type RxWindow } from '@hexium/shared/region/index';


export interface RadioTx {
  frequencyHz: number;
  sf: number;
  bandwidthHz: number;
  /** Data-rate index in the region's table. */
  dr: number;
  /** Gateway transmit power, dBm EIRP. */
  powerDbm: number;
}

/** Window delays in seconds after the uplink (radio.md §2.2 "Timing", the same in all four regions). */
export const RX_DELAYS_S = {
  rx1: DEFAULT_RX_DELAYS.rx1DelayMs / 1000,
  rx2: DEFAULT_RX_DELAYS.rx2DelayMs / 1000,
  joinAccept1: DEFAULT_RX_DELAYS.joinAcceptDelay1Ms / 1000,
  joinAccept2: DEFAULT_RX_DELAYS.joinAcceptDelay2Ms / 1000,
} as const;

export const SUPPORTED_REGIONS = REGIONAL_PLAN_NAMES;

/** Gateway downlink EIRP (ChirpStack `get_downlink_tx_power_eirp`, radio.md §2.3). */
function downlinkPowerDbm(region: string, frequencyHz: number): number {
  if (region === 'EU868') return frequencyHz >= 869_400_000 && frequencyHz <= 869_650_000 ? 29 : 16;
  if (region === 'US915') return 21;
  if (region === 'AU915') return 30;
  return 16; // AS923
}

function tx(region: string, w: RxWindow): RadioTx {
  const d = dataRateOf(getRegionalPlan(region), w.dr);
  if (d.modulation !== 'LORA') throw new RangeError(`${region}: DR${w.dr} is not a LoRa data rate`);
  return { frequencyHz: w.freqHz, sf: d.sf, bandwidthHz: d.bandwidthHz, dr: w.dr, powerDbm: downlinkPowerDbm(region, w.freqHz) };
}

/** RX1 for an uplink received at `uplinkFreqHz` with `sf`/`bandwidthHz` (RX1DROffset 0 unless given). */
export function rx1Window(region: string, uplinkFreqHz: number, sf: number, bandwidthHz: number, rx1DrOffset = 0): RadioTx {
  const plan = getRegionalPlan(region);
  const upDr = drOf(plan, sf, bandwidthHz, 'up');
  if (upDr === undefined) throw new RangeError(`${region}: SF${sf}BW${bandwidthHz / 1000} is not an uplink data rate`);
  return tx(region, plan.rx1(uplinkFreqHz, upDr, rx1DrOffset));
}

/** RX2 defaults: EU868 869.525 MHz DR0; US915/AU915 923.3 MHz DR8; AS923 923.2 MHz DR2 (radio.md §2.2). */
export function rx2Window(region: string): RadioTx {
  return tx(region, getRegionalPlan(region).rx2);
}

/**
 * Fallback when the hotspot's asserted region is unknown: the region whose uplink band holds the
 * frequency (radio.md §2.2). AU915 and AS923-2..4 overlap; the asserted region should win.
 */
export function regionFromFrequency(freqHz: number): string | null {
  if (freqHz >= 863_000_000 && freqHz <= 870_000_000) return 'EU868';
  if (freqHz >= 902_000_000 && freqHz < 915_000_000) return 'US915';
  if (freqHz >= 915_000_000 && freqHz < 923_000_000) return 'AU915';
  if (freqHz >= 923_000_000 && freqHz <= 925_000_000) return 'AS923_1';
  return null;
}
