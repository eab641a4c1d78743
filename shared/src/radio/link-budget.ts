/**
 * Link budget and the decode rule (../shared/specs/radio.md §1.4, §3.4):
 *
 *   Prx = Ptx + Gtx + Grx − PL − Xσ          SNR = Prx − N          (SNR may be negative)
 *   decodable ⇔ Prx ≥ S(SF, BW) and SNR ≥ SNRreq(SF)
 *
 * Example vector (radio.md §3.4): 20 dBm, 2 dBi device, 3 dBi gateway, Hata urban 915 MHz 3 km
 * (143.40 dB) → RSSI −118.40 dBm, SNR −1.37 dB at NF 6, decodable at every SF.
 */
import { DEFAULT_NOISE_FIGURE_DB, noiseFloorDbm, REQUIRED_SNR_DB } from './noise.ts';

export interface LinkBudgetInput {
  /** Conducted transmit power, dBm. */
  txPowerDbm: number;
  /** Transmit antenna gain, dBi. */
  txGainDbi?: number;
  /** Receive antenna gain, dBi. */
  rxGainDbi?: number;
  /** Mean path loss, dB. */
  pathLossDb: number;
  /** Shadowing Xσ for this link, dB (positive = more loss). */
  shadowingDb?: number;
  bandwidthHz?: number;
  /** Receiver noise figure, dB. */
  noiseFigureDb?: number;
}

export interface LinkBudget {
  rssiDbm: number;
  snrDb: number;
  noiseFloorDbm: number;
}

/** Received power and SNR of one link. */
export function linkBudget(input: LinkBudgetInput): LinkBudget {
  const rssiDbm = input.txPowerDbm + (input.txGainDbi ?? 0) + (input.rxGainDbi ?? 0) - input.pathLossDb - (input.shadowingDb ?? 0);
  const n = noiseFloorDbm(input.bandwidthHz ?? 125_000, input.noiseFigureDb ?? DEFAULT_NOISE_FIGURE_DB);
  return { rssiDbm, snrDb: rssiDbm - n, noiseFloorDbm: n };
}

export interface DecodeInput {
  rssiDbm: number;
  snrDb: number;
  sf: number;
  bandwidthHz?: number;
  noiseFigureDb?: number;
}

/**
 * Whether a packet at this RSSI and SNR can be demodulated at `sf`: RSSI at or above the sensitivity
 * (noise floor + required SNR) and SNR at or above the required SNR. Interference is a separate step
 * (`interference.ts`).
 */
export function canDecode(input: DecodeInput): boolean {
  const req = REQUIRED_SNR_DB[input.sf];
  if (req === undefined) throw new RangeError(`no required SNR for SF${input.sf} (known: SF6..SF12)`);
  if (input.snrDb < req) return false;
  const sensitivity = noiseFloorDbm(input.bandwidthHz ?? 125_000, input.noiseFigureDb ?? DEFAULT_NOISE_FIGURE_DB) + req;
  return input.rssiDbm >= sensitivity;
}
