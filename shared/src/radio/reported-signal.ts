/**
 * RSSI and SNR as a gateway reports them (../shared/specs/radio.md §1.5): the SX1276 packet SNR register
 * has 0.25 dB steps and Semtech UDP `rxpk.rssi` is an integer dBm, so the simulator reports
 * `rssi = round(Prx)` and `snr = round((Prx − N)·4)/4`. The reported RSSI is the signal power (it keeps
 * falling below the noise floor, as LoRaMac-node's SNR < 0 correction does), and SNR may be negative.
 * Math.round rounds halves towards +∞ (−118.5 → −118).
 */

/**
 * Reported packet SNR saturates: the SX127x SNR register tops out around +10…+15 dB (radio.md §1.5
 * suggests clamping; ChirpStack's example shows 13.75). Reported values are clamped to ≤ 15 dB.
 */
export const MAX_REPORTED_SNR_DB = 15;

export interface ReportedSignal {
  /** Whole dBm. */
  rssiDbm: number;
  /** Multiple of 0.25 dB. */
  snrDb: number;
}

/** Quantise a computed RSSI/SNR pair the way a gateway reports it (SNR clamped to {@link MAX_REPORTED_SNR_DB}). */
export function reportedSignal(rssiDbm: number, snrDb: number): ReportedSignal {
  // `+ 0` turns −0 into 0 so JSON and equality checks see a plain zero.
  return { rssiDbm: Math.round(rssiDbm) + 0, snrDb: Math.round(Math.min(snrDb, MAX_REPORTED_SNR_DB) * 4) / 4 + 0 };
}
