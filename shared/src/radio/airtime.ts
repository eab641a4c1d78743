/**
 * LoRa time on air, Semtech AN1200.13 "LoRa Modem Designer's Guide" (SX1276 datasheet §4.1.1.7), as
 * summarised in ../shared/specs/radio.md §1.2:
 *
 *   Tsym      = 2^SF / BW
 *   Tpreamble = (Npreamble + 4.25) · Tsym
 *   Npayload  = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
 *   ToA       = Tpreamble + Npayload · Tsym
 *
 * SF5/SF6 (SX126x only) follow the SX1261/2 datasheet §6.1.4 variant quoted in radio.md §1.2: 6.25
 * preamble symbols instead of 4.25, no "+8" bit term and no LDRO tweak of the denominator.
 *
 * Values are exact (no rounding). LoRaMac-node rounds the result up to whole ms for its duty-cycle
 * bookkeeping; do that at the call site if you need to mimic it.
 */

/** LDRO is switched on automatically when a symbol lasts at least this long (LoRaMac-node sx1276.c). */
export const LDRO_SYMBOL_TIME_MS = 16;

export interface AirtimeInput {
  /** Spreading factor 5..12 (LoRaWAN uses 7..12). */
  sf: number;
  /** Bandwidth in Hz (125000, 250000, 500000, …). */
  bandwidthHz: number;
  /** Coding rate index 1..4 for 4/5..4/8 (LoRaWAN: 1). */
  codingRate: number;
  /** PHYPayload length in bytes, 0..255. */
  payloadBytes: number;
  /** Programmed preamble symbols (LoRaWAN: 8). */
  preambleSymbols?: number;
  /** Payload CRC present: true for uplinks, false for LoRaWAN downlinks (radio.md §1.1). */
  crc?: boolean;
  /** Implicit header mode (LoRaWAN always uses the explicit header). */
  implicitHeader?: boolean;
  /** Low data rate optimisation: 'auto' switches it on when Tsym ≥ 16 ms. */
  ldro?: 'auto' | boolean;
}

export interface Airtime {
  timeOnAirMs: number;
  symbolTimeMs: number;
  preambleMs: number;
  /** Npayload of the formula, including its 8 fixed symbols (header included). */
  payloadSymbols: number;
  payloadMs: number;
  lowDataRateOptimize: boolean;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** Symbol duration in ms: 2^SF / BW. */
export function symbolTimeMs(sf: number, bandwidthHz: number): number {
  return (2 ** sf * 1000) / bandwidthHz;
}

/** Time on air of one LoRa packet (see the module comment for the formula and sources). */
export function timeOnAir(input: AirtimeInput): Airtime {
  const { sf, bandwidthHz, codingRate, payloadBytes } = input;
  const preambleSymbols = input.preambleSymbols ?? 8;
  const crc = input.crc ?? true;
  const implicitHeader = input.implicitHeader ?? false;
  const ldro = input.ldro ?? 'auto';
  check(Number.isInteger(sf) && sf >= 5 && sf <= 12, `sf must be an integer 5..12, got ${sf}`);
  check(Number.isFinite(bandwidthHz) && bandwidthHz > 0, `bandwidthHz must be > 0, got ${bandwidthHz}`);
  check(Number.isInteger(codingRate) && codingRate >= 1 && codingRate <= 4, `codingRate must be 1..4 (4/5..4/8), got ${codingRate}`);
  check(Number.isInteger(payloadBytes) && payloadBytes >= 0 && payloadBytes <= 255, `payloadBytes must be an integer 0..255, got ${payloadBytes}`);
  check(Number.isInteger(preambleSymbols) && preambleSymbols >= 0 && preambleSymbols <= 65535, `preambleSymbols must be an integer 0..65535, got ${preambleSymbols}`);

  const tSymMs = symbolTimeMs(sf, bandwidthHz);
  const de = ldro === 'auto' ? tSymMs >= LDRO_SYMBOL_TIME_MS : ldro;
  const crcBit = crc ? 1 : 0;
  const ih = implicitHeader ? 1 : 0;

  let fixedPreamble: number;
  let numerator: number;
  let denominator: number;
  if (sf >= 7) {
    // AN1200.13 / SX1276 datasheet.
    fixedPreamble = 4.25;
    numerator = 8 * payloadBytes - 4 * sf + 28 + 16 * crcBit - 20 * ih;
    denominator = 4 * (sf - 2 * (de ? 1 : 0));
  } else {
    // SX1261/2 datasheet §6.1.4 for SF5/SF6: Npre + 6.25, no +8 bits, 20 header bits when explicit.
    fixedPreamble = 6.25;
    numerator = 8 * payloadBytes + 16 * crcBit - 4 * sf + 20 * (1 - ih);
    denominator = 4 * sf;
  }
  const payloadSymbols = 8 + Math.max(Math.ceil(numerator / denominator) * (codingRate + 4), 0);
  const preambleSyms = preambleSymbols + fixedPreamble;
  // Multiply whole symbol counts by 2^SF·1000 before the one division, so published figures such as
  // 328.704 ms come out as the nearest double rather than a sum of rounded parts.
  const scale = 2 ** sf * 1000;
  return {
    timeOnAirMs: ((preambleSyms + payloadSymbols) * scale) / bandwidthHz,
    symbolTimeMs: tSymMs,
    preambleMs: (preambleSyms * scale) / bandwidthHz,
    payloadSymbols,
    payloadMs: (payloadSymbols * scale) / bandwidthHz,
    lowDataRateOptimize: de,
  };
}
