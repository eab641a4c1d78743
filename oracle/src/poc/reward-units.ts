/**
 * HIP-15 reward units as the oracle computes them (oracles iot_verifier/src/runner.rs
 * `poc_beaconer_reward_unit`, `poc_per_witness_reward_unit`; spec §(c)). `w` is the number of VALID
 * SELECTED witnesses (spec §10.1: the HIP's "invalid witnesses count toward w" was not deployed).
 */
import type { NetworkParams } from '@hexium/shared/params/index';
import { Dec, decString, roundBankers } from './decimal.ts';

// runner.rs: results are rounded with round_dp(SCALING_PRECISION = 4), banker's rounding.
const SCALING_PRECISION = 4;
// runner.rs: the TX unit above N is `Decimal::TWO - r^(w-N)` (HIP-15 "1 + (1 - r^(w-N))").
const TWO = new Dec(2);

/** Beaconer (TX) unit: 0 for w = 0; w/N for w ≤ N; min(cap, 2 − r^(w−N)) above, 4 dp banker's. */
export function beaconerRewardUnit(w: number, params: NetworkParams): InstanceType<typeof Dec> {
  const { witnessRedundancy: n, decayRate, txRewardUnitCap } = params.hip15; // runner.rs WITNESS_REDUNDANCY, POC_REWARD_DECAY_RATE, HIP15_TX_REWARD_UNIT_CAP
  let unit: InstanceType<typeof Dec>;
  if (w <= 0) unit = new Dec(0);
  else if (w <= n) unit = new Dec(w).div(n);
  else unit = TWO.minus(new Dec(decayRate).pow(w - n));
  return roundBankers(Dec.min(new Dec(txRewardUnitCap), unit), SCALING_PRECISION);
}

/** Per-witness (RX) unit: 0 for w = 0; 1 for w ≤ N; min(cap, (N − (1 − r^(w−N))) / w) above, 4 dp banker's. */
export function perWitnessRewardUnit(w: number, params: NetworkParams): InstanceType<typeof Dec> {
  const { witnessRedundancy: n, decayRate, txRewardUnitCap } = params.hip15;
  let unit: InstanceType<typeof Dec>;
  if (w <= 0) unit = new Dec(0);
  else if (w <= n) unit = new Dec(1);
  else unit = new Dec(n).minus(new Dec(1).minus(new Dec(decayRate).pow(w - n))).div(w);
  return roundBankers(Dec.min(new Dec(txRewardUnitCap), unit), SCALING_PRECISION);
}

// Units depend only on w and the HIP-15 parameters: memoised per parameter object.
const unitMemo = new WeakMap<NetworkParams['hip15'], Map<number, { beacon: string; witness: string }>>();

/** Both HIP-15 units for `validSelectedWitnesses` as decimal strings, e.g. w = 5 → { beacon: "1.2", witness: "0.76" }. */
export function rewardUnits(validSelectedWitnesses: number, params: NetworkParams): { beacon: string; witness: string } {
  let byW = unitMemo.get(params.hip15);
  if (!byW) unitMemo.set(params.hip15, (byW = new Map()));
  let units = byW.get(validSelectedWitnesses);
  if (!units) {
    units = {
      beacon: decString(beaconerRewardUnit(validSelectedWitnesses, params)),
      witness: decString(perWitnessRewardUnit(validSelectedWitnesses, params)),
    };
    byW.set(validSelectedWitnesses, units);
  }
  return { ...units };
}
