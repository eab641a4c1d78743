/**
 * Thermal noise floor, required demodulation SNR and receiver sensitivity (../shared/specs/radio.md §1.3).
 *
 *   N[dBm] = −174 + 10·log10(BW[Hz]) + NF[dB]        (kTB at 290 K plus the receiver noise figure)
 *   S[dBm] = N + SNRreq(SF)
 *
 * With NF = 6 dB (the gateway default recommended in radio.md §0) the noise floor at 125 kHz is
 * −117.03 dBm and the sensitivity runs from −124.5 dBm (SF7) to −137.0 dBm (SF12).
 */

/** Thermal noise density at 290 K, dBm/Hz. */
export const THERMAL_NOISE_DBM_PER_HZ = -174;

/** Default gateway noise figure, dB (radio.md §0 "Noise floor"). */
export const DEFAULT_NOISE_FIGURE_DB = 6;

/**
 * Required demodulation SNR per spreading factor, dB. Source: chirpstack/chirpstack
 * `chirpstack/src/config.rs` `get_required_snr_for_sf` (also the SX1276 datasheet values).
 */
export const REQUIRED_SNR_DB: Readonly<Record<number, number>> = Object.freeze({
  6: -5.0,
  7: -7.5,
  8: -10.0,
  9: -12.5,
  10: -15.0,
  11: -17.5,
  12: -20.0,
});

/** Noise floor in dBm for a bandwidth in Hz and a receiver noise figure in dB. */
export function noiseFloorDbm(bandwidthHz: number, noiseFigureDb = DEFAULT_NOISE_FIGURE_DB): number {
  if (!(bandwidthHz > 0) || !Number.isFinite(bandwidthHz)) throw new RangeError(`bandwidthHz must be > 0, got ${bandwidthHz}`);
  return THERMAL_NOISE_DBM_PER_HZ + 10 * Math.log10(bandwidthHz) + noiseFigureDb;
}

/** Required SNR in dB to demodulate at spreading factor `sf` (6..12). */
export function requiredSnrDb(sf: number): number {
  const v = REQUIRED_SNR_DB[sf];
  if (v === undefined) throw new RangeError(`no required SNR for SF${sf} (known: SF6..SF12)`);
  return v;
}

/** Theoretical sensitivity in dBm: noise floor plus the required SNR. */
export function sensitivityDbm(sf: number, bandwidthHz: number, noiseFigureDb = DEFAULT_NOISE_FIGURE_DB): number {
  return noiseFloorDbm(bandwidthHz, noiseFigureDb) + requiredSnrDb(sf);
}
