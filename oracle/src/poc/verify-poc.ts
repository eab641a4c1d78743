/**
 * One PoC round, the way the verifier runner handles it (oracles iot_verifier/src/runner.rs
 * `handle_beacon_report`; spec §(a) "Runner"): beacon checks, witness checks in receive order, HIP-106
 * reciprocity both ways, HIP-83 selection of the first 14 valid witnesses, HIP-15 units × the HIP-17
 * scale of the beaconer = reward shares, plus the bookkeeping updates the runner would write.
 */
import type { InvalidReason } from '@hexium/shared/protocol/index';
import { Dec, decString } from './decimal.ts';
import { verifyBeacon } from './verify-beacon.ts';
import { verifyWitness } from './verify-witness.ts';
import { rewardUnits } from './reward-units.ts';
import type { HistoryUpdates, PocContext, PocInput, PocVerdict, RewardShare, WitnessVerdict } from './types.ts';

/** Every report of a PoC invalid with one reason (runner.rs `handle_invalid_poc`): nothing is dropped. */
function allInvalid(input: PocInput, reason: InvalidReason, ctx: PocContext, location: string | null, historyUpdates: HistoryUpdates): PocVerdict {
  return {
    beacon: { status: 'invalid', reason, hexScale: '0', rewardUnit: '0', location },
    witnesses: input.witnesses.map((w, index) => ({
      index,
      hotspot: w.hotspot,
      receivedAtMs: w.receivedAtMs,
      status: 'invalid',
      reason,
      selected: false,
      hexScale: '0',
      rewardUnit: '0',
      location: ctx.gateway(w.hotspot)?.location ?? null,
      distanceM: null,
    })),
    dropped: [],
    shares: { witnesses: [] },
    historyUpdates,
  };
}

// hex_scale × unit, exact; few distinct pairs occur (scales × 15 unit values), so memoised (scale → unit → share).
const shareMemo = new Map<string, Map<string, string>>();
function shareOf(scale: string, unit: string): string {
  let byUnit = shareMemo.get(scale);
  if (byUnit === undefined) {
    if (shareMemo.size >= 10_000) shareMemo.clear();
    shareMemo.set(scale, (byUnit = new Map()));
  }
  let s = byUnit.get(unit);
  if (s === undefined) {
    s = decString(new Dec(scale).times(unit));
    byUnit.set(unit, s);
  }
  return s;
}

/** Whether `items` are already in ascending receive order (then a stable sort would keep them as they are). */
function inReceiveOrder(items: readonly { receivedAtMs: number }[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i].receivedAtMs < items[i - 1].receivedAtMs) return false;
  return true;
}

/** Indices of `witnesses` in receive order; ties keep input order (the runner's ORDER BY received_timestamp). */
function receiveOrder(witnesses: PocInput['witnesses']): number[] {
  const order = witnesses.map((_, i) => i);
  return inReceiveOrder(witnesses) ? order : order.sort((a, b) => witnesses[a].receivedAtMs - witnesses[b].receivedAtMs || a - b);
}

/** Verify one PoC round. Pure: everything it needs is in `input` and `ctx`. Never throws on bad reports. */
export function verifyPoc(input: PocInput, ctx: PocContext): PocVerdict {
  const { beacon, witnesses } = input;
  const { params } = ctx;
  const historyUpdates: HistoryUpdates = { lastWitnessAtMs: [] };

  // The runner only picks beacons joined to an entropy report; one whose remote entropy never matches is
  // never verified and the purger later marks it `stale` (runner.rs get_next_beacons, purger.rs).
  const entropy = ctx.entropy(beacon.remoteEntropyHex.toLowerCase());
  if (!entropy) return allInvalid(input, 'stale', ctx, ctx.gateway(beacon.hotspot)?.location ?? null, historyUpdates);

  const b = verifyBeacon(beacon, entropy, ctx);
  // last_beacon is written for every beacon from a known, asserted gateway, valid or not (spec §(a) bookkeeping).
  // A challenged beacon is off the schedule: it leaves last_beacon (the schedule's memory) alone.
  if (b.knownAndAsserted && !beacon.challenged) historyUpdates.lastBeaconAtMs = [beacon.hotspot, beacon.receivedAtMs];
  const location = b.gateway?.location ?? null;
  if (b.reason !== null || !b.gateway) return allInvalid(input, b.reason ?? 'gateway_not_found', ctx, location, historyUpdates);
  const beaconer = b.gateway;

  // Regular witness checks, in receive order; a later report from the same key is a duplicate (#0).
  const firstWitnessReceivedAtMs = witnesses.reduce((m, w) => Math.min(m, w.receivedAtMs), Infinity);
  const wctx = { params, denyList: ctx.denyList, beacon, beaconer, entropy, firstWitnessReceivedAtMs };
  const verdicts: WitnessVerdict[] = new Array(witnesses.length);
  const seen = new Set<string>();
  for (const i of receiveOrder(witnesses)) {
    const w = witnesses[i];
    const gateway = ctx.gateway(w.hotspot);
    let reason: InvalidReason | null;
    let distanceM: number | null = null;
    if (seen.has(w.hotspot)) reason = 'duplicate';
    else {
      seen.add(w.hotspot);
      const r = verifyWitness(w, gateway, wctx);
      reason = r.reason;
      distanceM = r.distanceM;
    }
    // last_witness: every witness that passed the regular checks, even if reciprocity fails later (runner.rs).
    if (reason === null) historyUpdates.lastWitnessAtMs.push([w.hotspot, w.receivedAtMs]);
    verdicts[i] = {
      index: i,
      hotspot: w.hotspot,
      receivedAtMs: w.receivedAtMs,
      status: reason === null ? 'valid' : 'invalid',
      reason,
      selected: false,
      hexScale: '0',
      rewardUnit: '0',
      location: gateway?.location ?? null,
      distanceM,
    };
  }

  // last_beacon_reciprocity: the beacon passed the regular checks and at least one witness report exists.
  if (witnesses.length > 0) historyUpdates.lastBeaconReciprocityAtMs = [beacon.hotspot, beacon.receivedAtMs];

  // HIP-106 beacon reciprocity: the beaconer must have witnessed validly within the window, else the whole PoC is invalid.
  const windowMs = params.reciprocityWindowS * 1000;
  const lastWitness = ctx.history(beacon.hotspot).lastWitnessAtMs;
  if (lastWitness === undefined || beacon.receivedAtMs - lastWitness >= windowMs) {
    return allInvalid(input, 'gateway_no_valid_witnesses', ctx, location, historyUpdates);
  }
  // HIP-106 witness reciprocity: each valid witness must have beaconed (with witnesses) within the window.
  for (const v of verdicts) {
    if (v.status !== 'valid') continue;
    const last = ctx.history(v.hotspot).lastBeaconReciprocityAtMs;
    if (last === undefined || v.receivedAtMs - last >= windowMs) {
      v.status = 'invalid';
      v.reason = 'gateway_no_valid_beacons';
    }
  }

  // HIP-83 selection: self witnesses are dropped; the first N valid witnesses by receive time are selected.
  const kept: WitnessVerdict[] = [];
  const dropped: WitnessVerdict[] = [];
  const valid: WitnessVerdict[] = [];
  for (const v of verdicts) {
    if (v.reason === 'self_witness') dropped.push(v);
    else {
      kept.push(v);
      if (v.status === 'valid') valid.push(v);
    }
  }
  // Array sort is stable: equal receive times keep input order.
  const byTime = inReceiveOrder(valid) ? valid : [...valid].sort((a, b) => a.receivedAtMs - b.receivedAtMs);
  const selected = byTime.slice(0, params.maxWitnessesPerPoc);
  const units = rewardUnits(selected.length, params);

  // HIP-17: the beaconer's scale, or DEFAULT_TX_SCALE when its location is not in the map (poc.rs).
  const hexScale = ctx.hexScale(location!) ?? params.defaultTxScale;
  for (const v of valid) v.hexScale = hexScale;
  for (const v of selected) {
    v.selected = true;
    v.rewardUnit = units.witness;
  }

  // Reward shares (reward_share.rs): hex_scale × unit, recorded only when positive.
  const witnessShare = shareOf(hexScale, units.witness);
  const witnessShares: RewardShare[] = witnessShare === '0' ? [] : selected.map((v) => ({ hotspot: v.hotspot, share: witnessShare }));
  const beaconShare = shareOf(hexScale, units.beacon);
  // A challenged round is verified and shown like any other but records no reward shares: it is off the
  // beaconer's schedule (no interval check), so paying it would let an owner who challenges their own
  // hotspot earn more beacons per window than the schedule allows (docs/security.md "HTTP API").
  const shares: PocVerdict['shares'] = beacon.challenged
    ? { witnesses: [] }
    : { beacon: beaconShare === '0' ? undefined : { hotspot: beacon.hotspot, share: beaconShare }, witnesses: witnessShares };
  return {
    beacon: { status: 'valid', reason: null, hexScale, rewardUnit: units.beacon, location },
    witnesses: kept,
    dropped,
    shares,
    historyUpdates,
  };
}
