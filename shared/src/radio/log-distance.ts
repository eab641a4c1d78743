/**
 * Log-distance path loss, ../shared/specs/radio.md §3.2:
 *
 *   PL(d) = PL(d0) + 10·n·log10(d / d0)        (mean; lognormal shadowing Xσ is added separately)
 *
 * The named parameter sets (ns-3 urban, LoRaSim, Oulu) live in `path-loss.ts` `PROPAGATION_PRESETS`.
 */

export interface LogDistanceParams {
  /** Reference distance d0 in metres. */
  d0M: number;
  /** Mean path loss at d0, dB. */
  pl0Db: number;
  /** Path-loss exponent n. */
  exponent: number;
}

/** Mean log-distance path loss in dB at `distanceM` metres. */
export function logDistancePathLossDb(distanceM: number, params: LogDistanceParams): number {
  if (!(distanceM > 0) || !Number.isFinite(distanceM)) throw new RangeError(`distanceM must be > 0, got ${distanceM}`);
  if (!(params.d0M > 0) || !Number.isFinite(params.d0M)) throw new RangeError(`d0M must be > 0, got ${params.d0M}`);
  if (!Number.isFinite(params.pl0Db) || !Number.isFinite(params.exponent)) throw new RangeError('pl0Db and exponent must be finite');
  return params.pl0Db + 10 * params.exponent * Math.log10(distanceM / params.d0M);
}
