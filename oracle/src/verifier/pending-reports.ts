/**
 * The verifier's view of the report log: the reports read so far that no round has settled yet.
 * Beacons wait until their entropy expires, witnesses until a beacon with their payload is verified;
 * whatever is still here after `staleAfterS` goes to the purger. Everything leaves in one order
 * (compareReports: receive time, then kind, hotspot, payload), so verdicts never depend on the order
 * reports were written or read.
 */
import type { BeaconReport, WitnessReport } from '@hexium/shared/protocol/index';
import { compareReports, reportKey, type LoggedReport } from '../store/report-log/report-log.ts';

export interface PendingReport<R> {
  log: LoggedReport;
  report: R;
  key: string;
}
export type PendingBeacon = PendingReport<BeaconReport>;
export type PendingWitness = PendingReport<WitnessReport>;

const byLog = (a: PendingReport<unknown>, b: PendingReport<unknown>) => compareReports(a.log, b.log);

export class PendingReports {
  private readonly beacons = new Map<string, PendingBeacon>();
  private readonly witnesses = new Map<string, Map<string, PendingWitness>>();
  private witnessCount = 0;

  get size(): { beacons: number; witnesses: number } {
    return { beacons: this.beacons.size, witnesses: this.witnessCount };
  }

  /** Add reports read from the log; returns how many could not be parsed (counted, never fatal). */
  add(records: readonly LoggedReport[]): number {
    let bad = 0;
    for (const log of records) {
      let report: unknown;
      try {
        report = JSON.parse(log.raw);
      } catch {
        bad++;
        continue;
      }
      const key = reportKey(log);
      if (log.kind === 'beacon') this.beacons.set(key, { log, report: report as BeaconReport, key });
      else {
        let m = this.witnesses.get(log.dataHex);
        if (!m) this.witnesses.set(log.dataHex, (m = new Map()));
        if (!m.has(key)) this.witnessCount++;
        m.set(key, { log, report: report as WitnessReport, key });
      }
    }
    return bad;
  }

  /** Pending beacons passing `ready`, in report order. */
  beaconsWhere(ready: (b: PendingBeacon) => boolean): PendingBeacon[] {
    return [...this.beacons.values()].filter(ready).sort(byLog);
  }

  /** Pending witnesses of a payload, in report order. */
  witnessesOf(dataHex: string): PendingWitness[] {
    return [...(this.witnesses.get(dataHex)?.values() ?? [])].sort(byLog);
  }

  /** Remove a settled beacon and the witnesses its round used. */
  settle(beacon: PendingBeacon, witnesses: readonly PendingWitness[]): void {
    this.beacons.delete(beacon.key);
    const m = this.witnesses.get(beacon.log.dataHex);
    if (!m) return;
    for (const w of witnesses) if (m.delete(w.key)) this.witnessCount--;
    if (m.size === 0) this.witnesses.delete(beacon.log.dataHex);
  }

  /** Remove every pending witness of a payload (its beacon was settled before a restart). */
  dropWitnessesOf(dataHex: string): number {
    const n = this.witnesses.get(dataHex)?.size ?? 0;
    this.witnesses.delete(dataHex);
    this.witnessCount -= n;
    return n;
  }

  /** Remove and return the witnesses received before `cutoffMs`, in report order. */
  takeWitnessesBefore(cutoffMs: number): PendingWitness[] {
    const out: PendingWitness[] = [];
    for (const [data, m] of this.witnesses) {
      for (const [k, w] of m) {
        if (w.log.receivedAtMs >= cutoffMs) continue;
        out.push(w);
        m.delete(k);
        this.witnessCount--;
      }
      if (m.size === 0) this.witnesses.delete(data);
    }
    return out.sort(byLog);
  }

  /** Receive time of the oldest pending report (null when nothing is pending). */
  oldestMs(): number | null {
    let min = Infinity;
    for (const b of this.beacons.values()) min = Math.min(min, b.log.receivedAtMs);
    for (const m of this.witnesses.values()) for (const w of m.values()) min = Math.min(min, w.log.receivedAtMs);
    return min === Infinity ? null : min;
  }

  /** Receive time of the oldest pending beacon (null when no beacon is pending). */
  oldestBeaconMs(): number | null {
    let min = Infinity;
    for (const b of this.beacons.values()) min = Math.min(min, b.log.receivedAtMs);
    return min === Infinity ? null : min;
  }
}
