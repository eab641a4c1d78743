/**
 * Exact decimal strings as scaled bigints, for the per-gateway arithmetic of the rewarder (100 000
 * gateways × 3 amounts must be fast and exact; decimal.js is used for the few epoch-level divisions).
 */
import { Dec } from '../poc/decimal.ts';

export interface Fixed {
  /** value × 10^scale */
  int: bigint;
  scale: number;
}

const POW10: bigint[] = [];
export function pow10(n: number): bigint {
  let p = POW10[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    POW10[n] = p;
  }
  return p;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parse a non-negative decimal ("12", "0.5", a Decimal, a finite number) exactly. Throws on anything else. */
export function toFixed(value: string | number | InstanceType<typeof Dec>): Fixed {
  const s = typeof value === 'string' ? value : new Dec(value).toFixed();
  const m = DECIMAL.exec(s);
  if (!m) throw new RangeError(`not a non-negative decimal: "${s}"`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return { int: BigInt(m[1] + frac), scale: frac.length };
}

/** Bring a fixed value to `scale` (≥ its own). */
export function rescale(x: Fixed, scale: number): bigint {
  return x.int * pow10(scale - x.scale);
}

/** Fixed → Decimal. */
export function fixedToDec(x: Fixed): InstanceType<typeof Dec> {
  return new Dec(x.int.toString()).div(pow10(x.scale).toString());
}
