/**
 * H3 parents by bit arithmetic on the index split in two 32-bit halves — what h3's `cellToParent`
 * does (set the resolution field, set the digits below it to 7), without a WebAssembly call and a
 * new string per step. Used where the density map walks 100 000 cells up eight resolutions.
 *
 * Index layout (h3 "H3 index"): bit 63 reserved, 59–62 mode, 56–58 reserved, 52–55 resolution,
 * 45–51 base cell, then 15 digits of 3 bits (digit 1 at 42–44 … digit 15 at 0–2).
 */

/** [hi, lo] 32-bit halves of an H3 hex string. */
export function splitCell(hex: string): [number, number] {
  const cut = hex.length - 8;
  return [cut > 0 ? parseInt(hex.slice(0, cut), 16) : 0, parseInt(hex.slice(Math.max(cut, 0)), 16)];
}

/** Resolution field of an index. */
export function bitsResolution(hi: number): number {
  return (hi >>> 20) & 0xf;
}

/** High half of the parent at `res` (≤ the cell's own resolution): resolution field set, digits below it 7. */
export function parentHi(hi: number, res: number): number {
  const unused = 3 * (15 - res); // digits res+1..15 become 7 (all ones)
  const h = ((hi & ~(0xf << 20)) | (res << 20)) >>> 0;
  return unused > 32 ? (h | (2 ** (unused - 32) - 1)) >>> 0 : h;
}

/** Low half of the parent at `res`. */
export function parentLo(lo: number, res: number): number {
  const unused = 3 * (15 - res);
  return unused >= 32 ? 0xffffffff : (lo | (2 ** unused - 1)) >>> 0;
}

/** The parent at `res` (≤ the cell's own resolution) as [hi, lo]. */
export function parentBits(hi: number, lo: number, res: number): [number, number] {
  return [parentHi(hi, res), parentLo(lo, res)];
}

/**
 * A number key, unique for cells of resolution ≤ 11: their 12 lowest bits are always ones, so
 * hi·2^20 + lo/2^12 (≤ 2^48) loses nothing.
 */
export function bitsKey(hi: number, lo: number): number {
  return hi * 1_048_576 + (lo >>> 12);
}

/** Back to the H3 hex string. */
export function bitsToHex(hi: number, lo: number): string {
  return hi.toString(16) + lo.toString(16).padStart(8, '0');
}
