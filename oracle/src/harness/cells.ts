/**
 * Cells in harness files: an H3 hex string ("8c1f9a5c2d8b1ff") or Helium's u64 decimal string
 * ("631615575095659519", the form oracle outputs use, spec §(e)). The core works on hex; outputs echo
 * the caller's own spelling.
 */
export const CELL_PATTERN = '^([0-9a-fA-F]{15,16}|[0-9]{16,20})$';

const DECIMAL_CELL = /^[0-9]{16,20}$/;

/** H3 hex (lower case) of a cell given as hex or u64 decimal. */
export function cellToHex(cell: string): string {
  if (DECIMAL_CELL.test(cell)) {
    const n = BigInt(cell);
    if (n >= 1n << 64n) throw new RangeError(`cell "${cell}" is larger than a u64`);
    return n.toString(16);
  }
  return cell.toLowerCase();
}

/** u64 decimal string of an H3 hex cell. */
export function cellToDecimal(hex: string): string {
  return BigInt('0x' + hex).toString(10);
}
