/**
 * Collision and capture rules for overlapping LoRa packets (../shared/specs/radio.md §1.4).
 *
 * - Same SF and channel: the wanted packet survives an interferer only if it is at least
 *   {@link CAPTURE_THRESHOLD_DB} stronger (FLoRa `LoRaReceiver.cc` `P_threshold = 6`; the ns-3 lorawan
 *   diagonal).
 * - Different SF, same channel: the Goursaud isolation matrix as used by ns-3 lorawan
 *   (`signetlabdei/lorawan model/lora-interference-helper.cc`); survives if SIR ≥ the entry.
 * - An interferer that ends before the wanted packet's critical section (which starts 5 symbols before
 *   the end of its preamble, FLoRa `csBegin = preambleStart + Tsym·(nPreamble − 5)`) does no harm.
 * - Different channels do not interfere (radio.md §1.4).
 * Power is compared as the peak received power of each packet (the conservative simplification suggested
 * in radio.md §1.4, rather than ns-3's energy integration). The simulator's medium applies these rules
 * (hotspot-sim/src/core/medium/medium.ts `Medium.admit`); this module holds their constants.
 */
import { symbolTimeMs } from './airtime.ts';

/** Co-SF capture threshold, dB. */
export const CAPTURE_THRESHOLD_DB = 6;

/**
 * SF_ISOLATION_DB[wantedSf][interfererSf]: minimum SIR in dB for the wanted packet to survive
 * (Goursaud matrix, radio.md §1.4; rows wanted SF7..12, columns interferer SF7..12).
 */
export const SF_ISOLATION_DB: Readonly<Record<number, Readonly<Record<number, number>>>> = Object.freeze({
  7: { 7: 6, 8: -16, 9: -18, 10: -19, 11: -19, 12: -20 },
  8: { 7: -24, 8: 6, 9: -20, 10: -22, 11: -22, 12: -22 },
  9: { 7: -27, 8: -27, 9: 6, 10: -23, 11: -25, 12: -25 },
  10: { 7: -30, 8: -30, 9: -30, 10: 6, 11: -26, 12: -28 },
  11: { 7: -33, 8: -33, 9: -33, 10: -33, 11: 6, 12: -29 },
  12: { 7: -36, 8: -36, 9: -36, 10: -36, 11: -36, 12: 6 },
});

/** Start of the critical section of a packet starting at `startMs`: 5 symbols before its preamble ends. */
export function criticalSectionStartMs(startMs: number, sf: number, bandwidthHz: number, preambleSymbols = 8): number {
  return startMs + symbolTimeMs(sf, bandwidthHz) * (preambleSymbols - 5);
}
