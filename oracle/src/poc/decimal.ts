/**
 * The oracle's decimal type: decimal.js with 50 significant digits and banker's rounding
 * (ROUND_HALF_EVEN), which is what rust_decimal's `round_dp` does (spec "Implementation notes").
 * A local clone so no other user of decimal.js can change our settings.
 */
import { Decimal } from 'decimal.js';

export const Dec = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof Dec>;

/** Round to `dp` places with banker's rounding (rust_decimal `round_dp`). */
export function roundBankers(x: Dec, dp: number): Dec {
  return x.toDecimalPlaces(dp, Dec.ROUND_HALF_EVEN);
}

/** Plain decimal string (never exponent notation), e.g. "0.1667", "2", "0". */
export function decString(x: Dec): string {
  return x.toFixed();
}
