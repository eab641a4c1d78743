/**
 * Data-credit arithmetic, in one place (STYLE.md §12: money is exact, integer units).
 *
 * - DC per packet: `ceil(max(payload_size, 24) / 24)` — helium/oracles `iot_packet_verifier/src/verifier.rs`
 *   (specs/poc-and-rewards.md §(d) "Data transfer"); `payload_size` is the PHYPayload length
 *   (helium/packet-router `hpr_packet_report`: `byte_size(hpr_packet_up:payload(Packet))`).
 * - HNT → DC burn: DC = floor(hntBones × price_per_bone / DC_USD_PRICE), where the oracle price is
 *   USD × 10^hntPriceDecimals per HNT and 1 HNT = 10^8 bones. DC_USD_PRICE = $0.00001 (poc-and-rewards.md §(d)).
 */
import Decimal from 'decimal.js';
import type { NetworkParams } from '@hexium/shared/params/index';

/** Bones per HNT (Helium: 8 decimals). */
export const BONES_PER_HNT = 100_000_000n;

/** Data credits charged for one uplink whose PHYPayload is `payloadBytes` long (minimum 1). */
export function dcForPayload(payloadBytes: number, bytesPerDc: number): number {
  if (!Number.isInteger(payloadBytes) || payloadBytes < 0) throw new RangeError(`payloadBytes must be a non-negative integer, got ${payloadBytes}`);
  if (!Number.isInteger(bytesPerDc) || bytesPerDc < 1) throw new RangeError(`bytesPerDc must be a positive integer, got ${bytesPerDc}`);
  return Math.ceil(Math.max(payloadBytes, bytesPerDc) / bytesPerDc);
}

/**
 * DC minted by burning `hntBones` at the oracle price:
 * floor(hntBones / 1e8 × (hntPrice / 10^hntPriceDecimals) / dcUsdPrice).
 * Exact: decimal.js with enough precision for 2^64 bones, floored once here.
 */
export function dcFromHntBones(hntBones: bigint, params: Pick<NetworkParams, 'hntPrice' | 'hntPriceDecimals' | 'dcUsdPrice'>): bigint {
  if (hntBones < 0n) throw new RangeError('hntBones must be ≥ 0');
  const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_FLOOR });
  const usd = new D(hntBones.toString())
    .div(BONES_PER_HNT.toString())
    .mul(new D(params.hntPrice).div(new D(10).pow(params.hntPriceDecimals)));
  return BigInt(usd.div(params.dcUsdPrice).floor().toFixed(0));
}
