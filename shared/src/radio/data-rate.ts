/**
 * LoRa data-rate names as gateways and Helium write them: `SF9BW125` (Semtech UDP `datr`, radio.md §5.1;
 * Helium `DataRate` enum names, radio.md §2.6). Bandwidth is in kHz in the name.
 */

export interface LoraDataRate {
  sf: number;
  bandwidthHz: number;
}

const NAME = /^SF(\d{1,2})BW(\d+(?:\.\d+)?)$/;

/** `dataRateName(9, 125000)` → `"SF9BW125"`. */
export function dataRateName(sf: number, bandwidthHz: number): string {
  if (!Number.isInteger(sf) || sf < 5 || sf > 12) throw new RangeError(`sf must be an integer 5..12, got ${sf}`);
  if (!(bandwidthHz > 0) || !Number.isFinite(bandwidthHz)) throw new RangeError(`bandwidthHz must be > 0, got ${bandwidthHz}`);
  return `SF${sf}BW${bandwidthHz / 1000}`;
}

/** `parseDataRateName("SF9BW125")` → `{ sf: 9, bandwidthHz: 125000 }`; throws on anything else. */
export function parseDataRateName(name: string): LoraDataRate {
  const m = NAME.exec(name.trim().toUpperCase());
  if (!m) throw new RangeError(`not a LoRa data-rate name: "${name}" (expected e.g. SF9BW125)`);
  const sf = Number(m[1]);
  const bandwidthHz = Math.round(Number(m[2]) * 1000);
  if (sf < 5 || sf > 12) throw new RangeError(`spreading factor out of range in "${name}" (SF5..SF12)`);
  if (!(bandwidthHz > 0)) throw new RangeError(`bandwidth must be > 0 in "${name}"`);
  return { sf, bandwidthHz };
}
