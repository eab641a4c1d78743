/**
 * H3 cell ids in both forms Hexium meets: h3-js hex strings ("8c2a1072b59ffff") and Helium's u64
 * decimal strings ("631210968840687615", how helium/oracles and the chain store locations). Conversion
 * is exact through BigInt (../shared/specs/poc-and-rewards.md, TypeScript notes: "Keep u64 cells as
 * BigInt or decimal strings. h3-js wants hex strings").
 */
import { isValidCell, latLngToCell } from 'h3-js';

export class CellError extends Error {
  override name = 'CellError';
}

/** The res-12 cell of a location (Helium asserts hotspot locations at res 12). */
export function cellFromLatLng(lat: number, lng: number, res = 12): string {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new CellError(`latitude must be within ±90, got ${lat}`);
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw new CellError(`longitude must be within ±180, got ${lng}`);
  try {
    return latLngToCell(lat, lng, res);
  } catch (e) {
    throw new CellError(`cannot index (${lat}, ${lng}) at resolution ${res}: ${(e as Error).message}`);
  }
}

/** u64 decimal string of a hex cell id. */
export function cellToU64String(hex: string): string {
  return BigInt('0x' + normalizeCell(hex).hex).toString(10);
}

/** Hex cell id of a u64 decimal string; throws CellError when it is not a valid cell. */
export function u64StringToCell(dec: string): string {
  if (!/^[0-9]{1,20}$/.test(dec)) throw new CellError(`not a u64 decimal cell id: "${dec}"`);
  const n = BigInt(dec);
  if (n >= 1n << 64n) throw new CellError(`not a u64: "${dec}"`);
  const hex = n.toString(16);
  if (!isValidCell(hex)) throw new CellError(`not a valid H3 cell: "${dec}"`);
  return hex;
}

/**
 * Accept a cell as an H3 hex string (any case, optional `0x`) or a u64 decimal string and return the
 * lowercase hex form plus which form was given. A valid H3 cell's hex form is at most 16 characters and
 * its u64 value has 18–19 decimal digits, so the two cannot be confused.
 */
export function normalizeCell(input: string): { hex: string; asGiven: 'hex' | 'u64' } {
  if (typeof input !== 'string') throw new CellError(`cell id must be a string, got ${typeof input}`);
  const s = input.trim();
  if (/^[0-9]{17,20}$/.test(s)) return { hex: u64StringToCell(s), asGiven: 'u64' };
  const hex = s.toLowerCase().replace(/^0x/, '').replace(/^0+(?=[0-9a-f])/, '');
  if (/^[0-9a-f]{1,16}$/.test(hex) && isValidCell(hex)) return { hex, asGiven: 'hex' };
  throw new CellError(`not a valid H3 cell id (hex or u64 decimal): "${input}"`);
}
