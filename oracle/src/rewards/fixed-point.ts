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

const DECIMAL = /^\d+(\.\d+)?$/;
const ZERO: Fixed = { int: 0n, scale: 0 };

/** Parse a non-negative decimal ("12", "0.5", a Decimal, a finite number) exactly. Throws on anything else. */
export function toFixed(value: string | number | InstanceType<typeof Dec>): Fixed {
  const s = typeof value === 'string' ? value : new Dec(value).toFixed();
  if (s === '0') return ZERO;
  if (!DECIMAL.test(s)) throw new RangeError(`not a non-negative decimal: "${s}"`);
  const dot = s.indexOf('.');
  if (dot < 0) return { int: BigInt(s), scale: 0 };
  let end = s.length;
  while (end > dot + 1 && s.charCodeAt(end - 1) === 48) end--; // trailing zeros of the fraction
  const frac = s.slice(dot + 1, end);
  return { int: BigInt(s.slice(0, dot) + frac), scale: frac.length };
}

/** Bring a fixed value to `scale` (≥ its own). */
export function rescale(x: Fixed, scale: number): bigint {
  return x.int * pow10(scale - x.scale);
}

/** Fixed → Decimal. */
export function fixedToDec(x: Fixed): InstanceType<typeof Dec> {
  return new Dec(x.int.toString()).div(pow10(x.scale).toString());
}
