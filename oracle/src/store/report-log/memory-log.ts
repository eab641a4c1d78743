/**
 * The report log in memory (`--data-dir memory://`: tests, the simulator's fast mode). Same contract as
 * the file and PostgreSQL logs; nothing survives the process.
 */
import { compareReports, segmentStart, SegmentRecords, SEGMENT_MS, type LoggedReport, type ReportLog } from './report-log.ts';

export function openMemoryLog(): ReportLog {
  const segments = new Map<number, SegmentRecords>();
  return {
    kind: 'memory',
    async append(reports) {
      for (const r of reports) {
        const k = segmentStart(r.receivedAtMs);
        let list = segments.get(k);
        if (!list) segments.set(k, (list = new SegmentRecords()));
        list.push(r);
      }
    },
    async read(fromMs, toMs) {
      const out: LoggedReport[] = [];
      for (const [start, list] of segments) {
        if (start + SEGMENT_MS <= fromMs || start >= toMs) continue;
        list.window(fromMs, toMs, out);
      }
      return out.sort(compareReports);
    },
    async retire(beforeMs) {
      let n = 0;
      for (const start of [...segments.keys()]) {
        if (start + SEGMENT_MS <= beforeMs) {
          segments.delete(start);
          n++;
        }
      }
      return n;
    },
    async close() {
      segments.clear();
    },
  };
}
