/**
 * The report log as segment files in the data directory (`<dataDir>/reports/<bucket>.seg`, one file per
 * minute of receive time; record layout in segment-codec.ts). Appends are written and fdatasync'd before
 * they resolve (group commit: ingest appends everything one event-loop turn received at once). Reads
 * parse each segment once, incrementally, and keep its records until the segment is retired. A segment
 * this process appends to is caught up from disk once, before its first append; from then on the
 * records it appends join the segment's records in memory once durable, so the verifier never reads
 * back and decodes what ingest has just written (one process writes a data directory's log).
 *
 * At open every segment is checked: a record cut short at the end of a file (a crash mid-write) is
 * reported and cut off so appends continue cleanly; damaged records inside a file are reported with the
 * file and offset and skipped, and the oracle keeps running.
 */
import { open, readdir, rm, stat, truncate, mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { compareReports, segmentStart, SegmentRecords, SEGMENT_MS, type LogDamage, type LoggedReport, type ReportLog } from './report-log.ts';
import { decodeRecords, encodeRecords } from './segment-codec.ts';

interface Segment {
  start: number;
  file: string;
  /** Bytes parsed (or appended by this process) so far. */
  parsed: number;
  records: SegmentRecords;
  writer: FileHandle | null;
  /** Appended to by this process: its records in memory are the whole file. */
  live: boolean;
  /** The catch-up in progress (one at a time per segment). */
  catching: Promise<void>;
}

const newSegment = (start: number, file: string): Segment => ({ start, file, parsed: 0, records: new SegmentRecords(), writer: null, live: false, catching: Promise.resolve() });

const NAME = /^(\d{13,16})\.seg$/;
const fileName = (start: number) => `${String(start).padStart(16, '0')}.seg`;

export interface FileLogOptions {
  dir: string;
  onDamage?: (d: LogDamage) => void;
}

export async function openFileLog(o: FileLogOptions): Promise<ReportLog> {
  await mkdir(o.dir, { recursive: true, mode: 0o700 });
  const segments = new Map<number, Segment>();
  const damaged = (d: LogDamage) => o.onDamage?.(d);

  for (const f of (await readdir(o.dir)).sort()) {
    const m = NAME.exec(f);
    if (!m) continue;
    const file = path.join(o.dir, f);
    const seg = newSegment(Number(m[1]), file);
    const h = await open(file, 'r');
    try {
      const buf = await h.readFile();
      const res = decodeRecords(buf, file, 0);
      res.damage.forEach(damaged);
      if (res.partialAt !== null) {
        damaged({ where: file, offset: res.partialAt, reason: 'truncated' });
        await truncate(file, res.partialAt);
      }
    } finally {
      await h.close();
    }
    segments.set(seg.start, seg);
  }

  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };

  function segmentFor(start: number): Segment {
    let s = segments.get(start);
    if (!s) segments.set(start, (s = newSegment(start, path.join(o.dir, fileName(start)))));
    return s;
  }

  /** Parse what was appended to `s` since the last read (nothing once this process appends to it). */
  function catchUp(s: Segment): Promise<void> {
    const done = s.catching.then(() => (s.live ? undefined : parseNew(s)));
    s.catching = done.catch(() => undefined);
    return done;
  }

  async function parseNew(s: Segment): Promise<void> {
    let size: number;
    try {
      size = (await stat(s.file)).size;
    } catch {
      return; // not written yet
    }
    if (size <= s.parsed) return;
    const h = await open(s.file, 'r');
    try {
      const buf = Buffer.allocUnsafe(size - s.parsed);
      const { bytesRead } = await h.read(buf, 0, buf.length, s.parsed);
      const res = decodeRecords(buf.subarray(0, bytesRead), s.file, s.parsed);
      res.damage.forEach(damaged);
      for (const r of res.records) s.records.push(r);
      s.parsed += res.consumed;
    } finally {
      await h.close();
    }
  }

  return {
    kind: 'files',
    append: (reports) =>
      serial(async () => {
        if (reports.length === 0) return;
        const bySegment = new Map<number, LoggedReport[]>();
        for (const r of reports) {
          const k = segmentStart(r.receivedAtMs);
          const list = bySegment.get(k);
          if (list) list.push(r);
          else bySegment.set(k, [r]);
        }
        for (const [start, list] of bySegment) {
          const s = segmentFor(start);
          await catchUp(s);
          s.live = true;
          if (!s.writer) s.writer = await open(s.file, 'a', 0o600);
          const bytes = encodeRecords(list);
          await s.writer.write(bytes);
          await s.writer.datasync();
          s.parsed += bytes.length;
          for (const r of list) s.records.push(r);
        }
        // Close writers of segments no batch will touch again soon (receive time only moves forward).
        const newest = Math.max(...bySegment.keys());
        for (const s of segments.values()) {
          if (s.writer && s.start < newest - SEGMENT_MS) {
            await s.writer.close();
            s.writer = null;
          }
        }
      }),
    async read(fromMs, toMs) {
      const out: LoggedReport[] = [];
      for (const s of [...segments.values()].sort((a, b) => a.start - b.start)) {
        if (s.start + SEGMENT_MS <= fromMs || s.start >= toMs) continue;
        await catchUp(s);
        s.records.window(fromMs, toMs, out);
      }
      return out.sort(compareReports);
    },
    retire: (beforeMs) =>
      serial(async () => {
        let n = 0;
        for (const s of [...segments.values()]) {
          if (s.start + SEGMENT_MS > beforeMs) continue;
          if (s.writer) await s.writer.close();
          await rm(s.file, { force: true });
          segments.delete(s.start);
          n++;
        }
        return n;
      }),
    close: () =>
      serial(async () => {
        for (const s of segments.values()) {
          if (s.writer) await s.writer.close();
          s.writer = null;
        }
      }),
  };
}
