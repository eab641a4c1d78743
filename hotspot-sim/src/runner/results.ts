/**
 * Collects what the oracle says about the run (PoC verdicts over MQTT, epochs and manifests over HTTP)
 * and joins it with the simulator's ground truth (who is an adversary) into the run summary
 * (issue 7 "--json": hotspots, sensors, epochs, beacons, witnesses, validWitnesses, invalidByReason,
 * uplinks, uplinksDelivered, collisions, dcSpent, manifestHashes, adversaries).
 */
import type { PocResult } from '@hexium/shared/protocol/index';
import type { Network } from '../core/scenario/materialize.ts';
import type { WorldStats } from '../core/world.ts';

export interface AdversaryReport {
  hotspots: string[];
  beacons: { valid: number; invalid: number; reasons: Record<string, number> };
  witnesses: { valid: number; invalid: number; reasons: Record<string, number> };
  /** Reports (beacons + witnesses) the oracle rejected, and why. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  rewardBones: string;
}

export interface RunSummary {
  hotspots: number;
  sensors: number;
  epochs: number;
  beacons: number;
  witnesses: number;
  validWitnesses: number;
  invalidByReason: Record<string, number>;
  uplinks: number;
  uplinksDelivered: number;
  collisions: number;
  dcSpent: number;
  manifestHashes: string[];
  adversaries: Record<string, AdversaryReport>;
  // extras
  rounds: number;
  validBeacons: number;
  invalidBeaconsByReason: Record<string, number>;
  witnessesPerBeacon: number;
  validShare: number;
  dataExtractionRate: number;
  rewardsByGroup: Record<string, string>;
  sim: WorldStats;
}

export interface HotspotReward {
  hotspot: string;
  group: string;
  beaconAmount: string;
  witnessAmount: string;
  dcTransferAmount: string;
  total: string;
}

const inc = (m: Record<string, number>, k: string, n = 1) => void (m[k] = (m[k] ?? 0) + n);

export class ResultsCollector {
  readonly group = new Map<string, string>();
  readonly rounds = new Map<string, PocResult>();

  constructor(readonly net: Network) {
    for (const h of net.hotspots) this.group.set(h.key.address, h.role.kind);
  }

  onPocResult(r: PocResult): void {
    this.rounds.set(r.pocId, r);
  }

  /** The PoC results seen so far, by (receivedAtMs, pocId): the order never depends on MQTT delivery. */
  sortedRounds(): PocResult[] {
    return [...this.rounds.values()].sort((a, b) => a.receivedAtMs - b.receivedAtMs || (a.pocId < b.pocId ? -1 : a.pocId > b.pocId ? 1 : 0));
  }

  summarize(o: { stats: WorldStats; epochs: { epoch: number; hash: string }[]; rewards: HotspotReward[]; dcSpent: number }): RunSummary {
    const invalidByReason: Record<string, number> = {};
    const invalidBeaconsByReason: Record<string, number> = {};
    let validWitnesses = 0;
    let validBeacons = 0;
    let witnessReports = 0;
    const adversaries: Record<string, AdversaryReport> = {};
    const adv = (addr: string): AdversaryReport | null => {
      const g = this.group.get(addr);
      if (!g || g === 'honest') return null;
      return (adversaries[g] ??= { hotspots: [], beacons: { valid: 0, invalid: 0, reasons: {} }, witnesses: { valid: 0, invalid: 0, reasons: {} }, rejected: 0, rejectedByReason: {}, rewardBones: '0' });
    };
    for (const h of this.net.hotspots) if (h.role.kind !== 'honest') adv(h.key.address)!.hotspots.push(h.key.address);
    const rounds = this.sortedRounds();
    for (const r of rounds) {
      const a = adv(r.beaconer);
      if (r.beacon.status === 'valid') {
        validBeacons++;
        if (a) a.beacons.valid++;
      } else {
        inc(invalidBeaconsByReason, r.beacon.reason ?? 'unknown');
        if (a) {
          a.beacons.invalid++;
          inc(a.beacons.reasons, r.beacon.reason ?? 'unknown');
          a.rejected++;
          inc(a.rejectedByReason, r.beacon.reason ?? 'unknown');
        }
      }
      for (const w of r.witnesses) {
        witnessReports++;
        const wa = adv(w.hotspot);
        if (w.status === 'valid') {
          validWitnesses++;
          if (wa) wa.witnesses.valid++;
        } else {
          inc(invalidByReason, w.reason ?? 'unknown');
          if (wa) {
            wa.witnesses.invalid++;
            inc(wa.witnesses.reasons, w.reason ?? 'unknown');
            wa.rejected++;
            inc(wa.rejectedByReason, w.reason ?? 'unknown');
          }
        }
      }
    }
    const rewardsByGroup: Record<string, bigint> = {};
    for (const r of o.rewards) rewardsByGroup[r.group] = (rewardsByGroup[r.group] ?? 0n) + BigInt(r.total);
    for (const [g, rep] of Object.entries(adversaries)) rep.rewardBones = String(rewardsByGroup[g] ?? 0n);
    const s = o.stats;
    return {
      hotspots: this.net.hotspots.length,
      sensors: this.net.sensors.length,
      epochs: o.epochs.length,
      beacons: s.beacons,
      witnesses: s.witnesses,
      validWitnesses,
      invalidByReason: sortKeys(invalidByReason),
      uplinks: s.uplinks,
      uplinksDelivered: s.uplinksHeard,
      collisions: s.collisions,
      dcSpent: o.dcSpent,
      manifestHashes: o.epochs.map((e) => e.hash),
      adversaries: sortKeys(adversaries),
      rounds: rounds.length,
      validBeacons,
      invalidBeaconsByReason: sortKeys(invalidBeaconsByReason),
      witnessesPerBeacon: rounds.length ? round3(witnessReports / rounds.length) : 0,
      validShare: witnessReports ? round3(validWitnesses / witnessReports) : 0,
      dataExtractionRate: s.uplinks ? round3(s.uplinksHeard / s.uplinks) : 0,
      rewardsByGroup: Object.fromEntries(Object.entries(rewardsByGroup).sort().map(([k, v]) => [k, String(v)])),
      sim: s,
    };
  }
}

function sortKeys<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * One step at the end of a live run. A run stopped early by its signal (Ctrl-C) may find the broker or
 * the oracle already gone — `npm start` stops them all at once — so a failure then gives `fallback` and a
 * warning saying what is missing; a run that ends on its own needs the step, so its failure is an error.
 */
export async function unlessStoppedEarly<T>(
  stoppedEarly: boolean,
  step: () => Promise<T>,
  fallback: T,
  missing: (why: string) => string,
): Promise<{ value: T; warning: string | null }> {
  try {
    return { value: await step(), warning: null };
  } catch (err) {
    if (!stoppedEarly) throw err;
    return { value: fallback, warning: `stopped; ${missing(err instanceof Error ? err.message : String(err))}` };
  }
}

/** What the summary takes from the oracle. */
export interface OracleResults {
  epochs: { epoch: number; hash: string }[];
  rewards: HotspotReward[];
  dcSpent: number;
}

/** Read epochs, per-hotspot rewards and DC spent from the oracle's HTTP API (docs/api.md). */
export async function fetchOracleResults(httpUrl: string, group: Map<string, string>): Promise<OracleResults> {
  const ep = (await (await fetch(`${httpUrl}/api/v1/epochs`)).json()) as { epochs: { epoch: number; hash: string }[] };
  const epochs = [...ep.epochs].sort((a, b) => a.epoch - b.epoch).map((e) => ({ epoch: e.epoch, hash: e.hash }));
  const totals = new Map<string, { b: bigint; w: bigint; d: bigint }>();
  for (const e of epochs) {
    const d = (await (await fetch(`${httpUrl}/api/v1/epochs/${e.epoch}`)).json()) as { rewards: { hotspot: string; beaconAmount: string; witnessAmount: string; dcTransferAmount: string }[] };
    for (const r of d.rewards ?? []) {
      const t = totals.get(r.hotspot) ?? { b: 0n, w: 0n, d: 0n };
      t.b += BigInt(r.beaconAmount);
      t.w += BigInt(r.witnessAmount);
      t.d += BigInt(r.dcTransferAmount);
      totals.set(r.hotspot, t);
    }
  }
  const rewards = [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([hotspot, t]) => ({ hotspot, group: group.get(hotspot) ?? 'unknown', beaconAmount: String(t.b), witnessAmount: String(t.w), dcTransferAmount: String(t.d), total: String(t.b + t.w + t.d) }));
  let dcSpent = 0;
  try {
    const n = (await (await fetch(`${httpUrl}/api/v1/network`)).json()) as { dcSpent?: number };
    dcSpent = Number(n.dcSpent ?? 0);
  } catch {
    dcSpent = 0;
  }
  return { epochs, rewards, dcSpent };
}
