/**
 * Free-space path loss (Friis), ../shared/specs/radio.md §3.1:
 *
 *   FSPL[dB] = 20·log10(4π·d·f / c) = 20·log10(d_km) + 20·log10(f_MHz) + 32.4478
 *
 * Computed from c exactly rather than with the rounded 32.44/32.45 constant. Cross-checks: 868.1 MHz at
 * 1 km → 91.22 dB; the ns-3 Friis test (λ = 0.125 m, 100 m) → 80.046 dB
 * (nsnam/ns-3-dev-git `src/propagation/test/propagation-loss-model-test-suite.cc`).
 */

/** Speed of light in vacuum, m/s (SI definition). */
export const SPEED_OF_LIGHT_M_PER_S = 299_792_458;

/** 20·log10(4π/c): the constant of the FSPL formula with d in m and f in Hz (≈ −147.55 dB). */
const FSPL_CONSTANT_DB = 20 * Math.log10((4 * Math.PI) / SPEED_OF_LIGHT_M_PER_S);

/** Free-space path loss in dB for a distance in metres and a frequency in Hz. */
export function freeSpacePathLossDb(distanceM: number, freqHz: number): number {
  if (!(distanceM > 0) || !Number.isFinite(distanceM)) throw new RangeError(`distanceM must be > 0, got ${distanceM}`);
  if (!(freqHz > 0) || !Number.isFinite(freqHz)) throw new RangeError(`freqHz must be > 0, got ${freqHz}`);
  return 20 * Math.log10(distanceM * freqHz) + FSPL_CONSTANT_DB;
}
