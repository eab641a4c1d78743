/**
 * What the oracle concluded in one run, per group of hotspots (ground truth from the simulator:
 * "honest" or the adversary kind), in the shape the expectations name. Built from the PoC results the
 * run collected when it exposes them (`rounds`), else from the run summary (honest = totals − adversaries).
 */
import type { PocResult } from '@hexium/shared/protocol/index';

/**
 * The parts of hotspot-sim's RunResult the harness reads (structural: tests build small runs by hand,
 * and a run without `rounds` is observed from its summary).
 */
export interface RunLike {
  summary: {
    epochs: number;
    rounds: number;
    beacons: number;
    witnesses: number;
    validWitnesses: number;
    validBeacons: number;
    invalidByReason: Record<string, number>;
    invalidBeaconsByReason: Record<string, number>;
    uplinks: number;
    uplinksDelivered: number;
    dcSpent: number;
    manifestHashes: string[];
    adversaries: Record<string, { hotspots: string[]; beacons: Tally; witnesses: Tally }>;
  };
  rewards: { hotspot: string; group: string; beaconAmount: string; witnessAmount: string; dcTransferAmount: string; total: string }[];
  network: { hotspots: { key: { address: string; name: string }; role: { kind: string } }[] };
  rounds?: PocResult[];
}

export interface Tally {
  valid: number;
  invalid: number;
  reasons: Record<string, number>;
}

export interface RewardStats {
  sum: number;
  min: number;
  max: number;
  mean: number;
}

export interface GroupObservation {
  hotspots: number;
  beacons: Tally & { total: number };
  witnesses: Tally & { total: number };
  detectionRate: number;
  rewards: { total: RewardStats; beacon: RewardStats; witness: RewardStats; dcTransfer: RewardStats; earning: number };
  /** Distinct hex scales of each hotspot's latest valid beacon (null: the run did not expose rounds). */
  finalHexScales: string[] | null;
  /** How many of the group's hotspots have each hex scale in their latest round. */
  finalHexScaleCounts: Record<string, number> | null;
  allHexScales: string[] | null;
}

export interface Observation {
  epochs: number;
  rounds: number;
  invalidWitnessReasons: Record<string, number>;
  invalidBeaconReasons: Record<string, number>;
  dcSpent: number;
  uplinks: number;
  uplinksDelivered: number;
  manifestHashes: string[];
  groups: Record<string, GroupObservation>;
  source: 'rounds' | 'summary';
}

const emptyTally = (): Tally & { total: number } => ({ total: 0, valid: 0, invalid: 0, reasons: {} });
const inc = (m: Record<string, number>, k: string, n = 1) => void (m[k] = (m[k] ?? 0) + n);

function stats(values: number[]): RewardStats {
  if (values.length === 0) return { sum: 0, min: 0, max: 0, mean: 0 };
  const sum = values.reduce((a, b) => a + b, 0);
  return { sum, min: Math.min(...values), max: Math.max(...values), mean: sum / values.length };
}

function subtract(total: Record<string, number>, parts: Record<string, number>[]): Record<string, number> {
  const out = { ...total };
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) - v;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== 0));
}

export function observe(run: RunLike): Observation {
  const groupOf = new Map<string, string>();
  const members: Record<string, string[]> = { all: [] };
  for (const h of run.network.hotspots) {
    groupOf.set(h.key.address, h.role.kind);
    (members[h.role.kind] ??= []).push(h.key.address);
    members.all.push(h.key.address);
  }
  members.honest ??= [];
  const beacons: Record<string, Tally & { total: number }> = {};
  const witnesses: Record<string, Tally & { total: number }> = {};
  for (const g of Object.keys(members)) {
    beacons[g] = emptyTally();
    witnesses[g] = emptyTally();
  }
  const latestScale = new Map<string, { atMs: number; scale: string }>();
  const allScales: Record<string, Set<string>> = {};
  const rounds = run.rounds ? [...run.rounds].sort((a, b) => a.receivedAtMs - b.receivedAtMs || (a.pocId < b.pocId ? -1 : 1)) : null;
  const add = (t: Tally & { total: number }, status: string, reason: string | null) => {
    t.total++;
    if (status === 'valid') t.valid++;
    else {
      t.invalid++;
      inc(t.reasons, reason ?? 'unknown');
    }
  };
  const noteScale = (address: string, atMs: number, scale: string) => {
    const g = groupOf.get(address);
    if (!g) return;
    (allScales[g] ??= new Set()).add(scale);
    (allScales.all ??= new Set()).add(scale);
    const prev = latestScale.get(address);
    if (!prev || atMs >= prev.atMs) latestScale.set(address, { atMs, scale });
  };
  if (rounds) {
    for (const r of rounds) {
      const g = groupOf.get(r.beaconer) ?? 'unknown';
      add((beacons[g] ??= emptyTally()), r.beacon.status, r.beacon.reason);
      add(beacons.all, r.beacon.status, r.beacon.reason);
      // the beaconer's own scale, from its valid beacons (an invalid verdict carries 0; a witness verdict's
      // scale is not used, so the check does not depend on whose scale a witness verdict shows)
      if (r.beacon.status === 'valid') noteScale(r.beaconer, r.receivedAtMs, r.beacon.hexScale);
      for (const w of r.witnesses) {
        const wg = groupOf.get(w.hotspot) ?? 'unknown';
        add((witnesses[wg] ??= emptyTally()), w.status, w.reason);
        add(witnesses.all, w.status, w.reason);
      }
    }
  } else {
    const s = run.summary;
    const adv = Object.entries(s.adversaries);
    for (const [g, a] of adv) {
      beacons[g] = { ...a.beacons, reasons: { ...a.beacons.reasons }, total: a.beacons.valid + a.beacons.invalid };
      witnesses[g] = { ...a.witnesses, reasons: { ...a.witnesses.reasons }, total: a.witnesses.valid + a.witnesses.invalid };
    }
    const invalidBeacons = Object.values(s.invalidBeaconsByReason).reduce((x, y) => x + y, 0);
    const invalidWitnesses = Object.values(s.invalidByReason).reduce((x, y) => x + y, 0);
    beacons.all = { total: s.validBeacons + invalidBeacons, valid: s.validBeacons, invalid: invalidBeacons, reasons: { ...s.invalidBeaconsByReason } };
    witnesses.all = { total: s.validWitnesses + invalidWitnesses, valid: s.validWitnesses, invalid: invalidWitnesses, reasons: { ...s.invalidByReason } };
    const sum = (f: (a: (typeof adv)[number][1]) => number) => adv.reduce((n, [, a]) => n + f(a), 0);
    const hb = { valid: s.validBeacons - sum((a) => a.beacons.valid), invalid: invalidBeacons - sum((a) => a.beacons.invalid) };
    const hw = { valid: s.validWitnesses - sum((a) => a.witnesses.valid), invalid: invalidWitnesses - sum((a) => a.witnesses.invalid) };
    beacons.honest = { ...hb, total: hb.valid + hb.invalid, reasons: subtract(s.invalidBeaconsByReason, adv.map(([, a]) => a.beacons.reasons)) };
    witnesses.honest = { ...hw, total: hw.valid + hw.invalid, reasons: subtract(s.invalidByReason, adv.map(([, a]) => a.witnesses.reasons)) };
  }
  const rewardsBy = new Map(run.rewards.map((r) => [r.hotspot, r]));
  const groups: Record<string, GroupObservation> = {};
  for (const [g, addrs] of Object.entries(members)) {
    const rw = addrs.map((a) => rewardsBy.get(a));
    const num = (f: (r: NonNullable<(typeof rw)[number]>) => string) => rw.map((r) => (r ? Number(f(r)) : 0));
    const b = beacons[g] ?? emptyTally();
    const w = witnesses[g] ?? emptyTally();
    const finals = rounds ? [...new Set(addrs.map((a) => latestScale.get(a)?.scale).filter((x): x is string => x !== undefined))].sort() : null;
    groups[g] = {
      hotspots: addrs.length,
      beacons: b,
      witnesses: w,
      detectionRate: b.total + w.total === 0 ? 0 : (b.invalid + w.invalid) / (b.total + w.total),
      rewards: {
        total: stats(num((r) => r.total)),
        beacon: stats(num((r) => r.beaconAmount)),
        witness: stats(num((r) => r.witnessAmount)),
        dcTransfer: stats(num((r) => r.dcTransferAmount)),
        earning: rw.filter((r) => r && BigInt(r.total) > 0n).length,
      },
      finalHexScales: finals,
      finalHexScaleCounts: rounds ? addrs.reduce<Record<string, number>>((m, a) => {
        const sc = latestScale.get(a)?.scale;
        if (sc !== undefined) m[sc] = (m[sc] ?? 0) + 1;
        return m;
      }, {}) : null,
      allHexScales: rounds ? [...(allScales[g] ?? [])].sort() : null,
    };
  }
  const s = run.summary;
  return {
    epochs: s.epochs,
    rounds: rounds ? rounds.length : s.rounds,
    invalidWitnessReasons: witnesses.all.reasons,
    invalidBeaconReasons: beacons.all.reasons,
    dcSpent: s.dcSpent,
    uplinks: s.uplinks,
    uplinksDelivered: s.uplinksDelivered,
    manifestHashes: s.manifestHashes,
    groups,
    source: rounds ? 'rounds' : 'summary',
  };
}
