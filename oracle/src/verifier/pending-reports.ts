/**
 * The verifier's view of the report log: the reports read so far that no round has settled yet.
 * Beacons wait until their entropy expires, witnesses until a beacon with their payload is verified;
 * whatever is still here after `staleAfterS` goes to the purger. Everything leaves in one order
 * (compareReports: receive time, then kind, hotspot, payload), so verdicts never depend on the order
 * reports were written or read.
 *
 * Witnesses are most of what waits here, and under load most never meet a beacon (they are purged).
 * So each costs little: its JSON is parsed only when a round uses it, and besides its list by payload
 * it sits in one queue in report order, from which the purger and the checkpoint take the oldest
 * without scanning the rest.
 */
import type { BeaconReport, WitnessReport } from '@hexium/shared/protocol/index';
import { compareReports, reportKey, type LoggedReport } from '../store/report-log/report-log.ts';

export interface PendingReport<R> {
  readonly log: LoggedReport;
  readonly report: R;
}
export interface PendingBeacon extends PendingReport<BeaconReport> {
  readonly key: string;
}

/** A pending witness: its report is parsed from `log.raw` on first use. */
export class PendingWitness implements PendingReport<WitnessReport> {
  /** Settled by a round, purged or replaced: no longer pending (left in the queue until it reaches the head). */
  gone = false;
  private parsed: WitnessReport | null | undefined;

  constructor(readonly log: LoggedReport) {}

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
/** Same log identity ({@link reportKey}) for two witnesses. */
const sameWitness = (a: LoggedReport, b: LoggedReport) => a.receivedAtMs === b.receivedAtMs && a.hotspot === b.hotspot && a.dataHex === b.dataHex;

export class PendingReports {
  private readonly beacons = new Map<string, PendingBeacon>();
  /** Pending witnesses by payload, each list in report order. */
  private readonly witnesses = new Map<string, PendingWitness[]>();
  /** Every witness added, in report order; entries gone are skipped as the head passes them. */
  private queue: PendingWitness[] = [];
  private head = 0;
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
      const w = new PendingWitness(log);
      let list = this.witnesses.get(log.dataHex);
      if (!list) this.witnesses.set(log.dataHex, (list = []));
      // the same report again (same instant, hotspot and payload) replaces the one pending
      let replaced = false;
      for (let i = list.length - 1; i >= 0 && list[i].log.receivedAtMs >= log.receivedAtMs; i--) {
        if (!sameWitness(list[i].log, log)) continue;
        list[i].gone = true;
        list[i] = w;
        replaced = true;
        break;
      }
      if (!replaced) {
        if (list.length > 0 && byLog(list[list.length - 1], w) > 0) {
          list.push(w);
          list.sort(byLog);
        } else list.push(w);
        this.witnessCount++;
      }
      const last = this.queue.length > this.head ? this.queue[this.queue.length - 1] : null;
      if (last && byLog(last, w) > 0) ordered = false;
      this.queue.push(w);
    }
    // reads come in report order, so this only happens if a log returns a window out of order
    if (!ordered) {
      this.queue = this.queue.slice(this.head).filter((w) => !w.gone).sort(byLog);
      this.head = 0;
    }
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
    const list = this.witnesses.get(dataHex);
    if (!list) return [];
    if (list.every((w) => w.tryReport())) return list.slice();
    const readable = list.filter((w) => {
      if (w.tryReport()) return true;
      w.gone = true;
      this.witnessCount--;
      this.unreadable++;
      return false;
    });
    if (readable.length > 0) this.witnesses.set(dataHex, readable);
    else this.witnesses.delete(dataHex);
    return readable.slice();
  }

  /** Remove a settled beacon and the witnesses its round used. */
  settle(beacon: PendingBeacon, witnesses: readonly PendingWitness[]): void {
    this.beacons.delete(beacon.key);
    const list = this.witnesses.get(beacon.log.dataHex);
    if (!list) return;
    for (const w of witnesses) {
      if (w.gone) continue;
      w.gone = true;
      this.witnessCount--;
    }
    const left = list.filter((w) => !w.gone);
    if (left.length > 0) this.witnesses.set(beacon.log.dataHex, left);
    else this.witnesses.delete(beacon.log.dataHex);
    this.compact();
  }

  /** Remove every pending witness of a payload (its beacon was settled before a restart). */
  dropWitnessesOf(dataHex: string): number {
    const list = this.witnesses.get(dataHex) ?? [];
    for (const w of list) w.gone = true;
    this.witnesses.delete(dataHex);
    this.witnessCount -= list.length;
    this.compact();
    return list.length;
  }

  /** Remove and return the witnesses received before `cutoffMs`, in report order: the oldest `max` of them. */
  takeWitnessesBefore(cutoffMs: number, max = Infinity): PendingWitness[] {
    const out: PendingWitness[] = [];
    const payloads = new Set<string>();
    while (this.head < this.queue.length && out.length < max) {
      const w = this.queue[this.head];
      if (!w.gone && w.log.receivedAtMs >= cutoffMs) break;
      this.head++;
      if (w.gone) continue;
      w.gone = true;
      this.witnessCount--;
      out.push(w);
      payloads.add(w.log.dataHex);
    }
    for (const dataHex of payloads) {
      const left = (this.witnesses.get(dataHex) ?? []).filter((x) => !x.gone);
      if (left.length > 0) this.witnesses.set(dataHex, left);
      else this.witnesses.delete(dataHex);
    }
    this.compact();
    return out;
  }

  /** Receive time of the oldest pending report (null when nothing is pending). */
  oldestMs(): number | null {
    const b = this.oldestBeaconMs();
    const w = this.oldestWitness()?.log.receivedAtMs;
    if (w === undefined) return b;
    return b === null ? w : Math.min(b, w);
  }

  /** Receive time of the oldest pending beacon (null when no beacon is pending). */
  oldestBeaconMs(): number | null {
    let min = Infinity;
    for (const b of this.beacons.values()) min = Math.min(min, b.log.receivedAtMs);
    return min === Infinity ? null : min;
  }

  private oldestWitness(): PendingWitness | null {
    this.compact();
    return this.head < this.queue.length ? this.queue[this.head] : null;
  }

  /** Move the queue's head past witnesses gone, and drop the passed part once it is most of the array. */
  private compact(): void {
    while (this.head < this.queue.length && this.queue[this.head].gone) this.head++;
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
