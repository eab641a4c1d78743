/**
 * Class A receive windows per region (specs/radio.md §2.1 data rates, §2.2 channels and RX windows,
 * §2.3 gateway downlink EIRP). RX1 follows the uplink's channel and data rate; RX2 is fixed per region.
 * Delays (all four regions, ChirpStack `get_defaults()`): RX1 1 s, RX2 2 s, JoinAccept 5 s / 6 s.
 */

export interface RadioTx {
  frequencyHz: number;
  sf: number;
  bandwidthHz: number;
  /** Data-rate index in the region's table. */
  dr: number;
  /** Gateway transmit power, dBm EIRP. */
  powerDbm: number;
}

/** Window delays in seconds after the uplink (radio.md §2.2 "Timing"). */
export const RX_DELAYS_S = { rx1: 1, rx2: 2, joinAccept1: 5, joinAccept2: 6 } as const;

type Dr = [sf: number, bandwidthHz: number];
const EU_DRS: Dr[] = [[12, 125_000], [11, 125_000], [10, 125_000], [9, 125_000], [8, 125_000], [7, 125_000], [7, 250_000]];
const US_UP_DRS: Dr[] = [[10, 125_000], [9, 125_000], [8, 125_000], [7, 125_000], [8, 500_000]];
const AU_UP_DRS: Dr[] = [...EU_DRS.slice(0, 6), [8, 500_000]];
/** US915/AU915 downlink DR8..13 = SF12..SF7 at 500 kHz (radio.md §2.1). */
const DL500: Record<number, Dr> = { 8: [12, 500_000], 9: [11, 500_000], 10: [10, 500_000], 11: [9, 500_000], 12: [8, 500_000], 13: [7, 500_000] };
/** US915 RX1 DR by uplink DR and RX1DROffset 0..3 (LoRaMac-node `DatarateOffsetsUS915`, radio.md §2.2). */
const US_RX1_DR = [[10, 9, 8, 8], [11, 10, 9, 8], [12, 11, 10, 9], [13, 12, 11, 10], [13, 13, 12, 11]];
/** AU915 RX1 DR by uplink DR and offset 0..5 (RP002-1.0.x AU915 table; LoRaMac-node `DatarateOffsetsAU915`) [memory]. */
const AU_RX1_DR = [[8, 8, 8, 8, 8, 8], [9, 8, 8, 8, 8, 8], [10, 9, 8, 8, 8, 8], [11, 10, 9, 8, 8, 8], [12, 11, 10, 9, 8, 8], [13, 12, 11, 10, 9, 8], [13, 13, 12, 11, 10, 9]];
/** AS923-2/3/4 shift every frequency by −1.8/−6.6/−5.9 MHz (radio.md §2.2). */
const AS923_OFFSET_HZ: Record<string, number> = { AS923_1: 0, AS923_2: -1_800_000, AS923_3: -6_600_000, AS923_4: -5_900_000 };

export const SUPPORTED_REGIONS = ['EU868', 'US915', 'AU915', 'AS923_1', 'AS923_2', 'AS923_3', 'AS923_4'] as const;

function drIndex(table: Dr[], sf: number, bandwidthHz: number): number {
  const i = table.findIndex(([s, b]) => s === sf && b === bandwidthHz);
  if (i < 0) throw new RangeError(`SF${sf}BW${bandwidthHz / 1000} is not an uplink data rate of this region`);
  return i;
}

/** Gateway downlink EIRP (ChirpStack `get_downlink_tx_power_eirp`, radio.md §2.3). */
function downlinkPowerDbm(region: string, frequencyHz: number): number {
  if (region === 'EU868') return frequencyHz >= 869_400_000 && frequencyHz <= 869_650_000 ? 29 : 16;
  if (region === 'US915') return 21;
  if (region === 'AU915') return 30;
  return 16; // AS923
}

function tx(region: string, frequencyHz: number, dr: number, [sf, bandwidthHz]: Dr): RadioTx {
  return { frequencyHz, sf, bandwidthHz, dr, powerDbm: downlinkPowerDbm(region, frequencyHz) };
}

/** RX1 for an uplink received at `uplinkFreqHz` with `sf`/`bandwidthHz` (RX1DROffset 0 unless given). */
export function rx1Window(region: string, uplinkFreqHz: number, sf: number, bandwidthHz: number, rx1DrOffset = 0): RadioTx {
  if (region === 'EU868' || region.startsWith('AS923')) {
    // Same frequency as the uplink; DR = max(upDR − offset, 0) (radio.md §2.2).
    const dr = Math.max(drIndex(EU_DRS, sf, bandwidthHz) - rx1DrOffset, 0);
    return tx(region, uplinkFreqHz, dr, EU_DRS[dr]);
  }
  if (region === 'US915' || region === 'AU915') {
    const us = region === 'US915';
    const upDr = drIndex(us ? US_UP_DRS : AU_UP_DRS, sf, bandwidthHz);
    // Uplink channel: 125 kHz channels 0..63, 500 kHz channels 64..71 (ChirpStack us915.rs / au915.rs loops).
    const channel = bandwidthHz === 500_000
      ? 64 + Math.round((uplinkFreqHz - (us ? 903_000_000 : 915_900_000)) / 1_600_000)
      : Math.round((uplinkFreqHz - (us ? 902_300_000 : 915_200_000)) / 200_000);
    const dr = (us ? US_RX1_DR : AU_RX1_DR)[upDr][rx1DrOffset];
    return tx(region, 923_300_000 + 600_000 * (channel % 8), dr, DL500[dr]);
  }
  throw new RangeError(`unsupported region "${region}"`);
}

/** RX2 defaults: EU868 869.525 MHz DR0; US915/AU915 923.3 MHz DR8; AS923 923.2 MHz DR2 (radio.md §2.2). */
export function rx2Window(region: string): RadioTx {
  if (region === 'EU868') return tx(region, 869_525_000, 0, EU_DRS[0]);
  if (region === 'US915' || region === 'AU915') return tx(region, 923_300_000, 8, DL500[8]);
  if (region in AS923_OFFSET_HZ) return tx(region, 923_200_000 + AS923_OFFSET_HZ[region], 2, EU_DRS[2]);
  throw new RangeError(`unsupported region "${region}"`);
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
