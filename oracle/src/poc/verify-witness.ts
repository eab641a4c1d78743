/**
 * Witness checks in Helium's order (oracles iot_verifier/src/poc.rs `verify_witnesses` →
 * `verify_witness` → `do_witness_verifications`; spec §(b) "Witness checks"). The duplicate check (#0)
 * and the lag reference (first witness) need the whole PoC, so the caller passes them in.
 */
import type { InvalidReason } from '@hexium/shared/protocol/index';
import type { NetworkParams } from '@hexium/shared/params/index';
import { checkCapability, checkEntropyWindow } from './verify-beacon.ts';
import { cellCentreDistanceM, cellParentGridDistance, maxRssiDbm } from './cell-distance.ts';
import { isDeniedEdge } from './deny-list.ts';
import type { BeaconInput, DenyList, EntropyRecord, GatewayInfo, WitnessInput } from './types.ts';

/**
 * Lag (spec §(b) witness #7): first = min(beacon, first witness). If the beacon arrived first (or at the
 * same ms) the limit is MAX_BEACON_TO_WITNESS_LAG (4000 ms), else MAX_WITNESS_LAG (1500 ms). Equal passes.
 */
export function checkLag(receivedAtMs: number, beaconReceivedAtMs: number, firstWitnessReceivedAtMs: number, params: NetworkParams): InvalidReason | null {
  const beaconFirst = beaconReceivedAtMs <= firstWitnessReceivedAtMs;
  const first = Math.min(beaconReceivedAtMs, firstWitnessReceivedAtMs);
  const limitMs = beaconFirst ? params.maxBeaconToWitnessLagMs : params.maxWitnessLagMs;
  return receivedAtMs - first > limitMs ? 'too_late' : null;
}

/** poc.rs `verify_witness_freq`: |beacon − witness| ≤ 100 kHz (exactly 100 kHz passes). */
export function checkFrequency(beaconFreqHz: number, witnessFreqHz: number, params: NetworkParams): InvalidReason | null {
  return Math.abs(beaconFreqHz - witnessFreqHz) > params.maxFrequencyDeltaHz ? 'invalid_frequency' : null;
}

/** poc.rs `verify_witness_cell_distance`: res-11 parents at grid distance ≥ 8; any H3 error fails. */
export function checkMinCellDistance(beaconerCell: string, witnessCell: string, params: NetworkParams): InvalidReason | null {
  const d = cellParentGridDistance(beaconerCell, witnessCell, params.pocCellParentRes);
  return d === undefined || d < params.pocCellDistanceMinimum ? 'below_min_distance' : null;
}

/** poc.rs `verify_witness_distance`: floor(rounded metres / 1000) ≤ 100 km (HIP-58); an error fails too. */
export function checkMaxDistance(distanceM: number | undefined, params: NetworkParams): InvalidReason | null {
  return distanceM === undefined || Math.floor(distanceM / 1000) > params.pocDistanceLimitKm ? 'max_distance_exceeded' : null;
}

/** poc.rs `verify_witness_rssi`: the witness may not hear the beacon louder than free space allows. */
export function checkRssi(
  rssiDbm: number,
  witnessFreqHz: number,
  beaconTxPowerDbm: number,
  distanceM: number | undefined,
  beaconerGainDbi: number,
  witnessGainDbi: number,
  params: NetworkParams,
): InvalidReason | null {
  if (distanceM === undefined) return 'bad_rssi';
  const max = maxRssiDbm(beaconTxPowerDbm, witnessFreqHz, distanceM, beaconerGainDbi, witnessGainDbi, params.speedOfLightMps);
  return rssiDbm > max ? 'bad_rssi' : null; // `signal as f64 / 10.0 > min_rcv_signal`
}

export interface WitnessCheckContext {
  params: NetworkParams;
  denyList: DenyList;
  beacon: BeaconInput;
  beaconer: GatewayInfo;
  entropy: EntropyRecord;
  /** Earliest receive time among all witness reports of the PoC. */
  firstWitnessReceivedAtMs: number;
}

export interface WitnessCheckResult {
  reason: InvalidReason | null;
  gateway?: GatewayInfo;
  distanceM: number | null;
}

/** The regular witness checks #1–#14 (the duplicate check #0 is the caller's, reciprocity comes later). */
export function verifyWitness(witness: WitnessInput, gateway: GatewayInfo | undefined, ctx: WitnessCheckContext): WitnessCheckResult {
  const { params, beacon, beaconer } = ctx;
  if (!gateway) return { reason: 'gateway_not_found', distanceM: null }; // #1
  let distanceM: number | null = null;
  if (gateway.location !== null && beaconer.location !== null) distanceM = cellCentreDistanceM(beaconer.location, gateway.location) ?? null;
  if (gateway.location === null || gateway.region === null) return { reason: 'not_asserted', gateway, distanceM }; // #2
  if (beaconer.location === null || beaconer.region === null) return { reason: 'not_asserted', gateway, distanceM }; // #2b (participant side: beaconer)
  if (ctx.denyList.addresses.has(witness.hotspot)) return { reason: 'denied', gateway, distanceM }; // #3
  if (ctx.denyList.edges.size > 0 && isDeniedEdge(ctx.denyList, beacon.hotspot, witness.hotspot)) return { reason: 'denied_edge', gateway, distanceM }; // #4 (undirected)
  if (witness.hotspot === beacon.hotspot) return { reason: 'self_witness', gateway, distanceM }; // #5
  // #6–#14, plain early returns (no closures on this hot path).
  let reason: InvalidReason | null =
    checkEntropyWindow(witness.receivedAtMs, ctx.entropy, params) ?? // #6
    checkLag(witness.receivedAtMs, beacon.receivedAtMs, ctx.firstWitnessReceivedAtMs, params); // #7
  if (reason) return { reason: reason, gateway, distanceM };
  if (witness.dataHex !== beacon.dataHex && witness.dataHex.toLowerCase() !== beacon.dataHex.toLowerCase()) return { reason: 'invalid_packet', gateway, distanceM }; // #8
  reason = checkCapability(gateway) ?? checkFrequency(beacon.frequencyHz, witness.frequencyHz, params); // #9, #10
  if (reason) return { reason: reason, gateway, distanceM };
  if (gateway.region !== beaconer.region) return { reason: 'invalid_region', gateway, distanceM }; // #11
  reason =
    checkMinCellDistance(beaconer.location, gateway.location, params) ?? // #12
    checkMaxDistance(distanceM ?? undefined, params) ?? // #13
    checkRssi(witness.rssiDbm, witness.frequencyHz, beacon.txPowerDbm, distanceM ?? undefined, beaconer.gainDbi, gateway.gainDbi, params); // #14
  return { reason: reason, gateway, distanceM };
}
