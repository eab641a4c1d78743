/**
 * The verifier's view of the report log: the reports read so far that no round has settled yet.
 * Beacons wait until their entropy expires, witnesses until a beacon with their payload is verified;
 * whatever is still here after `staleAfterS` goes to the purger. Everything leaves in one order
 * (compareReports: receive time, then kind, hotspot, payload), so verdicts never depend on the order
 * reports were written or read.
 *
 * Witnesses are most of what waits here (a million at 8,000 reports/s, each waiting up to `staleAfterS`
 * for a beacon), and under load most never meet one. So they are held packed, not as objects
 * (PackedReports: bytes and typed arrays the garbage collector need not mark), in one queue in report
 * order, from which the purger and the checkpoint take the oldest without scanning the rest. Witnesses
 * of one payload are chained through the queue (a map from a hash of the payload to the first and last of
 * them). A witness becomes an object (`PendingWitness`) when a round or the purger takes it, and its JSON
 * is parsed only when a round uses it.
 */
import type { BeaconReport, WitnessReport } from '@hexium/shared/protocol/index';
import { randomBytes } from 'node:crypto';
import { compareReports, reportKey, type LoggedReport } from '../store/report-log/report-log.ts';
import { PackedReports } from '../store/report-log/packed-reports.ts';

export interface PendingReport<R> {
  readonly log: LoggedReport;
  readonly report: R;
}
export interface PendingBeacon extends PendingReport<BeaconReport> {
  readonly key: string;
}

/** A pending witness, taken out of the queue: its report is parsed from `log.raw` on first use. */
export class PendingWitness implements PendingReport<WitnessReport> {
  private parsed: WitnessReport | null | undefined;

  /** `slot`: its place in the pending queue. */
  constructor(
    readonly log: LoggedReport,
    readonly slot: number,
  ) {}

  /** The parsed report, or null when its JSON cannot be read. */
  tryReport(): WitnessReport | null {
    if (this.parsed === undefined) {
      try {
        this.parsed = JSON.parse(this.log.raw) as WitnessReport;
      } catch {
        this.parsed = null;
      }
    }
    return this.parsed;
  }

  get report(): WitnessReport {
    const r = this.tryReport();
    if (!r) throw new Error(`unreadable witness report from ${this.log.hotspot} at ${this.log.receivedAtMs}`);
    return r;
  }
}

const byLog = (a: PendingReport<unknown>, b: PendingReport<unknown>) => compareReports(a.log, b.log);

/**
 * Seed of the payload hash: drawn per process so that no one can choose payloads that share a chain
 * (the hash only files witnesses; no verdict or order depends on its value).
 */
const HASH_SEED = randomBytes(4).readUInt32BE(0);
/** FNV-1a (32-bit) of the payload from a random offset basis, cut to 30 bits (a small integer in V8). */
function payloadHash(dataHex: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < dataHex.length; i++) h = Math.imul(h ^ dataHex.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

export class PendingReports {
  /** `hash` files witnesses by payload (tests pass one that collides, to exercise shared chains). */
  constructor(private readonly hash: (dataHex: string) => number = payloadHash) {}

  private readonly beacons = new Map<string, PendingBeacon>();
  /** Every witness added, in report order; marked once settled, purged or replaced. */
  private queue = new PackedReports();
  /** First slot of the queue that may still be pending. */
  private head = 0;
  /** Per payload hash, the first and last pending witness: a chain in report order through the queue's links. */
  private readonly firsts = new Map<number, number>();
  private readonly lasts = new Map<number, number>();
  /** Witnesses handed out as objects and still pending (a round's witnesses are asked for more than once). */
  private readonly taken = new Map<number, PendingWitness>();
  /** The last witness added (to notice a window read out of order). */
  private last: LoggedReport | null = null;
  private witnessCount = 0;
  /** Witnesses whose JSON could not be read since the last `takeUnreadable()`. */
  private unreadable = 0;

  get size(): { beacons: number; witnesses: number } {
    return { beacons: this.beacons.size, witnesses: this.witnessCount };
  }

  /**
   * Add reports read from the log (in report order, each read after the last). Returns how many beacons
   * could not be parsed; a witness's JSON is read when a round first needs it (`takeUnreadable`).
   */
  add(records: readonly LoggedReport[]): number {
    let bad = 0;
    let ordered = true;
    for (const log of records) {
      if (log.kind === 'beacon') {
        let report: BeaconReport;
        try {
          report = JSON.parse(log.raw) as BeaconReport;
        } catch {
          bad++;
          continue;
        }
        const key = reportKey(log);
        this.beacons.set(key, { log, report, key });
        continue;
      }
      const h = this.hash(log.dataHex);
      // the same report again (same instant, hotspot and payload) replaces the one pending; the chain
      // holds every witness of the payload, so they are compared in place, not unpacked
      // (first by a hash of the hotspot kept with each slot)
      const tag = this.hash(log.hotspot);
      let prefix: Buffer | null = null;
      for (let s = this.firsts.get(h) ?? -1; s !== -1; s = this.queue.next(s)) {
        if (this.queue.receivedAtMs(s) !== log.receivedAtMs || this.queue.tag(s) !== tag) continue;
        prefix ??= Buffer.from(`${log.hotspot}\t${log.dataHex}\t`, 'utf8');
        if (!this.queue.hasPrefix(s, prefix)) continue;
        this.release(s);
        this.unchain(h);
        break;
      }
      this.enqueue(log, h, tag);
      if (this.last && compareReports(this.last, log) > 0) ordered = false;
      this.last = log;
    }
    // reads come in report order, so this only happens if a log returns a window out of order
    if (!ordered) this.reorder();
    return bad;
  }

  /** Witnesses whose JSON could not be read: the count since the last call (the verifier counts them as dropped). */
  takeUnreadable(): number {
    const n = this.unreadable;
    this.unreadable = 0;
    return n;
  }

  /** Pending beacons passing `ready`, in report order. */
  beaconsWhere(ready: (b: PendingBeacon) => boolean): PendingBeacon[] {
    return [...this.beacons.values()].filter(ready).sort(byLog);
  }

  /** Pending witnesses of a payload, in report order; those whose JSON cannot be read are dropped and counted. */
  witnessesOf(dataHex: string): PendingWitness[] {
    const h = this.hash(dataHex);
    const out: PendingWitness[] = [];
    let dropped = false;
    for (let s = this.firsts.get(h) ?? -1; s !== -1; s = this.queue.next(s)) {
      const log = this.logAt(s);
      if (log.dataHex !== dataHex) continue;
      const w = this.witnessAt(s, log);
      if (w.tryReport()) out.push(w);
      else {
        this.release(s);
        this.unreadable++;
        dropped = true;
      }
    }
    if (dropped) this.unchain(h);
    this.compact();
    return out;
  }

  /** Remove a settled beacon and the witnesses its round used. */
  settle(beacon: PendingBeacon, witnesses: readonly PendingWitness[]): void {
    this.beacons.delete(beacon.key);
    for (const w of witnesses) this.release(w.slot);
    this.unchain(this.hash(beacon.log.dataHex));
    this.compact();
  }

  /** Remove every pending witness of a payload (its beacon was settled before a restart). */
  dropWitnessesOf(dataHex: string): number {
    const h = this.hash(dataHex);
    let n = 0;
    for (let s = this.firsts.get(h) ?? -1; s !== -1; s = this.queue.next(s)) {
      if (this.logAt(s).dataHex !== dataHex) continue;
      this.release(s);
      n++;
    }
    this.unchain(h);
    this.compact();
    return n;
  }

  /** Remove and return the witnesses received before `cutoffMs`, in report order: the oldest `max` of them. */
  takeWitnessesBefore(cutoffMs: number, max = Infinity): PendingWitness[] {
    const out: PendingWitness[] = [];
    this.removeBefore(cutoffMs, max, (slot) => out.push(this.witnessAt(slot)));
    return out;
  }

  /** {@link takeWitnessesBefore} that only counts them (the purge): nothing is unpacked. */
  dropWitnessesBefore(cutoffMs: number, max = Infinity): number {
    return this.removeBefore(cutoffMs, max, () => undefined);
  }

  private removeBefore(cutoffMs: number, max: number, each: (slot: number) => void): number {
    const chains = new Set<number>();
    let n = 0;
    let s = this.head;
    for (; s < this.queue.end && n < max; s++) {
      if (this.queue.marked(s)) continue;
      if (this.queue.receivedAtMs(s) >= cutoffMs) break;
      each(s);
      this.release(s);
      chains.add(this.queue.key(s));
      n++;
    }
    for (const h of chains) this.unchain(h);
    this.compact();
    return n;
  }

  /** Receive time of the oldest pending report (null when nothing is pending). */
  oldestMs(): number | null {
    const b = this.oldestBeaconMs();
    this.compact();
    if (this.head === this.queue.end) return b;
    const w = this.queue.receivedAtMs(this.head);
    return b === null ? w : Math.min(b, w);
  }

  /** Receive time of the oldest pending beacon (null when no beacon is pending). */
  oldestBeaconMs(): number | null {
    let min = Infinity;
    for (const b of this.beacons.values()) min = Math.min(min, b.log.receivedAtMs);
    return min === Infinity ? null : min;
  }

  private enqueue(log: LoggedReport, h: number, tag: number): void {
    const slot = this.queue.push(log, h, tag);
    const last = this.lasts.get(h);
    if (last === undefined) this.firsts.set(h, slot);
    else this.queue.setNext(last, slot);
    this.lasts.set(h, slot);
    this.witnessCount++;
  }

  /** The witness in `slot` as an object (the same object while it is pending). */
  private witnessAt(slot: number, log?: LoggedReport): PendingWitness {
    let w = this.taken.get(slot);
    if (!w) this.taken.set(slot, (w = new PendingWitness(log ?? this.queue.get(slot), slot)));
    return w;
  }

  /** The log record in `slot` (unpacked again unless it was handed out). */
  private logAt(slot: number): LoggedReport {
    return this.taken.get(slot)?.log ?? this.queue.get(slot);
  }

  /** Mark a witness no longer pending (its chain is repaired by {@link unchain}). */
  private release(slot: number): void {
    if (this.queue.marked(slot)) return;
    this.queue.mark(slot);
    this.taken.delete(slot);
    this.witnessCount--;
  }

  /** Relink the chain of a payload hash through its witnesses still pending. */
  private unchain(h: number): void {
    let prev = -1;
    for (let s = this.firsts.get(h) ?? -1; s !== -1; ) {
      const next = this.queue.next(s);
      if (!this.queue.marked(s)) {
        if (prev === -1) this.firsts.set(h, s);
        else this.queue.setNext(prev, s);
        prev = s;
      }
      s = next;
    }
    if (prev === -1) {
      this.firsts.delete(h);
      this.lasts.delete(h);
    } else {
      this.queue.setNext(prev, -1);
      this.lasts.set(h, prev);
    }
  }

  /** Move the head past witnesses no longer pending and let the queue free what lies behind it. */
  private compact(): void {
    while (this.head < this.queue.end && this.queue.marked(this.head)) this.head++;
    this.queue.dropBefore(this.head);
  }

  /** Rebuild the queue in report order (after a window read out of order). */
  private reorder(): void {
    const live: LoggedReport[] = [];
    for (let s = this.head; s < this.queue.end; s++) if (!this.queue.marked(s)) live.push(this.queue.get(s));
    live.sort(compareReports);
    this.queue = new PackedReports();
    this.head = 0;
    this.firsts.clear();
    this.lasts.clear();
    this.taken.clear();
    this.witnessCount = 0;
    for (const log of live) this.enqueue(log, this.hash(log.dataHex), this.hash(log.hotspot));
    this.last = live.length > 0 ? live[live.length - 1] : null;
  }
}
