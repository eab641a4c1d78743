/**
 * Beacon checks in Helium's order (oracles iot_verifier/src/poc.rs `verify_beacon` →
 * `do_beacon_verifications`; spec §(b) "Beacon checks"). Each check is a small function returning the
 * failure reason or null; the first failure wins. Invalid is a result, never an exception — except a
 * missing region-params set, where Helium errors and retries (PocProcessingError).
 */
import type { InvalidReason } from '@hexium/shared/protocol/index';
import type { NetworkParams } from '@hexium/shared/params/index';
import { buildBeacon } from '@hexium/shared/poc/beacon';
import { bytesEqualHex, hexToBytes } from './hex.ts';
import { PocProcessingError, type BeaconInput, type DenyList, type EntropyRecord, type GatewayInfo, type HotspotHistory } from './types.ts';

export interface BeaconCheckResult {
  reason: InvalidReason | null;
  /** The beaconer's gateway info when known. */
  gateway?: GatewayInfo;
  /** True once the beaconer is known and asserted: last_beacon is then updated whatever the outcome. */
  knownAndAsserted: boolean;
}

/** poc.rs `verify_entropy`: start ≤ received ≤ start + lifespan, compared in whole seconds (truncated), both ends inclusive. */
export function checkEntropyWindow(receivedAtMs: number, entropy: EntropyRecord, params: NetworkParams): InvalidReason | null {
  const receivedS = Math.floor(receivedAtMs / 1000); // chrono `timestamp()` truncates to whole seconds
  const endS = entropy.timestampS + params.entropyLifespanS; // entropy.rs ENTROPY_LIFESPAN = 180 s
  return receivedS < entropy.timestampS || receivedS > endS ? 'entropy_expired' : null;
}

/** poc.rs `verify_gw_capability`: data-only hotspots cannot take part in PoC. */
export function checkCapability(gateway: GatewayInfo): InvalidReason | null {
  return gateway.fullHotspot ? null : 'invalid_capability';
}

/**
 * Schedule (spec §(b) beacon #6): with epoch-aligned buckets of `beaconIntervalS` (6 h, settings.rs),
 * the beacon's bucket must be later than the last beacon's bucket. No previous beacon passes.
 */
export function checkInterval(receivedAtMs: number, history: HotspotHistory, params: NetworkParams): InvalidReason | null {
  if (history.lastBeaconAtMs === undefined) return null;
  const intervalMs = params.beaconIntervalS * 1000;
  const bucket = (t: number) => Math.floor(t / intervalMs);
  return bucket(receivedAtMs) > bucket(history.lastBeaconAtMs) ? null : 'irregular_interval';
}

/**
 * Payload (poc.rs `verify_beacon_payload`): regenerate the beacon from the reported local entropy and
 * the remote entropy (timestamp and version from the entropy report; the local entropy gets timestamp 0
 * and the same version, poc.rs `generate_beacon`), the beaconer's region params and gain. Data,
 * frequency and data rate must match; conducted power is not compared (`Beacon::verify`). Any
 * generation error is `invalid_packet` too.
 */
export function checkPayload(beacon: BeaconInput, entropy: EntropyRecord, gateway: GatewayInfo, params: NetworkParams): InvalidReason | null {
  const regionParams = params.regions[gateway.region ?? ''];
  if (!regionParams || regionParams.length === 0) {
    // poc.rs: `region_cache.resolve_region_params` failing is a VerificationError → retry, no invalid reason.
    throw new PocProcessingError(`no region parameters for region "${gateway.region}"`);
  }
  let generated: ReturnType<typeof buildBeacon>;
  try {
    generated = buildBeacon({
      remote: { data: hexToBytes(entropy.dataHex), timestampS: entropy.timestampS, version: entropy.version },
      local: { data: hexToBytes(beacon.localEntropyHex), timestampS: 0, version: entropy.version },
      regionParams,
      gainDbi: gateway.gainDbi,
    });
  } catch {
    return 'invalid_packet';
  }
  const same =
    bytesEqualHex(generated.data, beacon.dataHex) &&
    generated.frequencyHz === beacon.frequencyHz &&
    generated.dataRate === beacon.dataRate;
  return same ? null : 'invalid_packet';
}

export interface BeaconCheckContext {
  params: NetworkParams;
  gateway(address: string): GatewayInfo | undefined;
  denyList: DenyList;
  history(address: string): HotspotHistory;
}

/** Every regular beacon check in execution order (reciprocity comes later, after the witnesses). */
export function verifyBeacon(beacon: BeaconInput, entropy: EntropyRecord, ctx: BeaconCheckContext): BeaconCheckResult {
  const gateway = ctx.gateway(beacon.hotspot);
  if (!gateway) return { reason: 'gateway_not_found', knownAndAsserted: false }; // #1
  if (gateway.location === null || gateway.region === null) return { reason: 'not_asserted', gateway, knownAndAsserted: false }; // #2
  // Region params must exist before the checks run (poc.rs resolves them first; missing = retry).
  if (!ctx.params.regions[gateway.region]?.length) throw new PocProcessingError(`no region parameters for region "${gateway.region}"`);
  if (ctx.denyList.addresses.has(beacon.hotspot)) return { reason: 'denied', gateway, knownAndAsserted: true }; // #3
  const entropyFail = checkEntropyWindow(beacon.receivedAtMs, entropy, ctx.params); // #4
  if (entropyFail) return { reason: entropyFail, gateway, knownAndAsserted: true };
  const capFail = checkCapability(gateway); // #5
  if (capFail) return { reason: capFail, gateway, knownAndAsserted: true };
  const intervalFail = beacon.challenged ? null : checkInterval(beacon.receivedAtMs, ctx.history(beacon.hotspot), ctx.params); // #6 (not for a challenged beacon)
  if (intervalFail) return { reason: intervalFail, gateway, knownAndAsserted: true };
  const payloadFail = checkPayload(beacon, entropy, gateway, ctx.params); // #7
  if (payloadFail) return { reason: payloadFail, gateway, knownAndAsserted: true };
  return { reason: null, gateway, knownAndAsserted: true };
}
