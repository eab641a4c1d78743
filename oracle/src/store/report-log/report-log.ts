/**
 * The report log (DESIGN.md "Storage"): every beacon and witness report ingest accepted, appended once
 * with the oracle's receive time, durable before it is acknowledged, read back by receive-time window.
 * Helium's oracles kept reports the same way: ingest wrote time-bucketed report files (`file_store`),
 * the verifier read them by time range, and SQL held only state. Three adapters share one contract
 * (oracle/test/report-log-contract.test.ts): segment files in the data directory (default),
 * memory (`memory://`) and time-partitioned PostgreSQL tables (`DATABASE_URL`, read by every process).
 */

import { PackedReports } from './packed-reports.ts';

export type ReportKind = 'beacon' | 'witness';

export interface LoggedReport {
  kind: ReportKind;
  /** The oracle's receive stamp (Unix ms); every timing check uses it. */
  receivedAtMs: number;
  /** Reporting hotspot (the address in the topic, equal to `report.hotspot`). */
  hotspot: string;
  /** The beacon payload (hex) that pairs witnesses with their beacon. */
  dataHex: string;
  /** Beacons sent for an on-demand challenge carry its id. */
  challengeId: string | null;
  /** The JSON exactly as received (what was signed is what is kept). */
  raw: string;
}

/** A log record that could not be read: which file (or table) and where. */
export interface LogDamage {
  where: string;
  offset: number;
  reason: 'bad_checksum' | 'truncated' | 'bad_record';
}

export interface ReportLog {
  readonly kind: 'memory' | 'files' | 'postgres';
  /** Append reports; resolves once they are durable (fsync'd files, committed rows). */
  append(reports: readonly LoggedReport[]): Promise<void>;
  /** Every report received in [fromMs, toMs), in {@link compareReports} order. */
  read(fromMs: number, toMs: number): Promise<LoggedReport[]>;
  /** Drop whole segments (partitions) holding only reports received before `beforeMs`; returns how many. */
  retire(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The one order of reports (DESIGN.md "Time and determinism"): receive time, then a stable key —
 * never insertion, completion or row-id order. Beacons sort before witnesses at the same instant.
 */
export function compareReports(a: LoggedReport, b: LoggedReport): number {
  return (
    a.receivedAtMs - b.receivedAtMs ||
    (a.kind === b.kind ? 0 : a.kind === 'beacon' ? -1 : 1) ||
    (a.hotspot < b.hotspot ? -1 : a.hotspot > b.hotspot ? 1 : 0) ||
    (a.dataHex < b.dataHex ? -1 : a.dataHex > b.dataHex ? 1 : 0) ||
    (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0)
  );
}

/** A report's identity in the log: one hotspot reports one payload once at a given instant. */
export function reportKey(r: LoggedReport): string {
  return `${r.kind}|${r.receivedAtMs}|${r.hotspot}|${r.dataHex}`;
}

/** Receive-time bucket of a segment (one file or partition per bucket). */
export const SEGMENT_MS = 60_000;
export const segmentStart = (ms: number) => Math.floor(ms / SEGMENT_MS) * SEGMENT_MS;

/**
 * One segment's records in memory, packed ({@link PackedReports}: a segment holds a minute of reports,
 * and a live oracle keeps several) and kept in receive-time order (appends nearly always arrive in that
 * order; a late one is sorted in at the next read), so a window is found by binary search instead of a
 * scan of the whole segment.
 */
export class SegmentRecords {
  private readonly packed = new PackedReports();
  /** Slots in receive-time order once an append came out of order (null: slot order is that order). */
  private order: number[] | null = null;
  private resort = false;
  private lastMs = -Infinity;

  get length(): number {
    return this.packed.end;
  }

  push(r: LoggedReport): void {
    const slot = this.packed.push(r);
    if (r.receivedAtMs < this.lastMs) this.resort = true;
    else if (this.order) this.order.push(slot);
    this.lastMs = Math.max(this.lastMs, r.receivedAtMs);
  }

  /** Append the records received in [fromMs, toMs) to `out` (receive-time order; ties as appended). */
  window(fromMs: number, toMs: number, out: LoggedReport[]): void {
    if (this.resort) {
      const t = (slot: number) => this.packed.receivedAtMs(slot);
      this.order = Array.from({ length: this.packed.end }, (_, i) => i).sort((a, b) => t(a) - t(b) || a - b);
      this.resort = false;
    }
    const order = this.order;
    const at = order ? (i: number) => order[i] : (i: number) => i;
    const n = this.packed.end;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.packed.receivedAtMs(at(mid)) < fromMs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < n && this.packed.receivedAtMs(at(i)) < toMs; i++) out.push(this.packed.get(at(i)));
  }
}
