/** Hex and byte helpers for the LoRaWAN code: keys, EUIs and addresses are lowercase hex at the API. */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes, or a hex string of them. */
export type BytesLike = Uint8Array | string;

/** Lowercase hex of bytes. */
export function bytesToHexFast(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/** Lowercase hex of `b[start..end)` (no subarray view allocated). */
export function hexRange(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[b[i]];
  return s;
}

/** Bytes of a hex string; throws RangeError when it is not hex or (with `bytes`) not that long. */
export function hexToBytesStrict(hex: string, bytes?: number): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError(`not a hex string: "${hex}"`);
  if (bytes !== undefined && hex.length !== bytes * 2) throw new RangeError(`expected ${bytes} bytes of hex, got ${hex.length / 2}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

/** Bytes of a BytesLike (hex strings are decoded). */
export function toBytes(x: BytesLike): Uint8Array {
  return typeof x === 'string' ? hexToBytesStrict(x) : x;
}

/** Reverse a byte array (LoRaWAN sends multi-byte fields little-endian, people write them big-endian). */
export function reversed(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b[b.length - 1 - i];
  return out;
}
