import { describe, expect, it } from 'vitest';
import type { LoggedReport } from './report-log.ts';
import { PackedReports } from './packed-reports.ts';
import { SegmentRecords } from './report-log.ts';

const rec = (receivedAtMs: number, hotspot: string, over: Partial<LoggedReport> = {}): LoggedReport => ({
  kind: 'witness',
  receivedAtMs,
  hotspot,
  dataHex: 'ab01',
  challengeId: null,
  raw: JSON.stringify({ hotspot, receivedAtMs }),
  ...over,
});

describe('PackedReports', () => {
  it('gives back every field as pushed, beacon or witness, with or without a challenge id, any UTF-8 in the JSON', () => {
    const p = new PackedReports();
    const reports = [
      rec(1_767_225_600_123, '1abc', { kind: 'beacon', challengeId: 'c-7', raw: '{"note":"grüße 🛰\\t"}' }),
      rec(1_767_225_600_124, '1def', { dataHex: 'ff'.repeat(51), raw: '{}' }),
      rec(1_767_225_600_124, '1ghi', { raw: '' }),
    ];
    const slots = reports.map((r) => p.push(r));
    expect(slots).toEqual([0, 1, 2]);
    expect(slots.map((s) => p.get(s))).toEqual(reports);
    expect(p.receivedAtMs(1)).toBe(1_767_225_600_124);
  });

  it('keeps reports larger than a chunk, and the ones around them', () => {
    const p = new PackedReports();
    const big = rec(5, 'h2', { raw: JSON.stringify({ pad: 'x'.repeat(3 << 20) }) }); // 3 MiB > the 1 MiB chunk
    const all = [rec(4, 'h1'), big, rec(6, 'h3')];
    for (const r of all) p.push(r);
    expect([0, 1, 2].map((s) => p.get(s))).toEqual(all);
  });

  it('drops slots from the front: later slots keep their numbers, marks and links, across squeezes and chunks', () => {
    const p = new PackedReports();
    const n = 20_000; // ~1.3 MB of records: more than one chunk; 4,096+ dropped slots are squeezed out
    for (let i = 0; i < n; i++) p.push(rec(1000 + i, `h${i}`, { raw: JSON.stringify({ i, pad: 'y'.repeat(40) }) }));
    p.mark(15_000);
    expect(p.push(rec(50_000, 'keyed'), 0x3fffffff)).toBe(n);
    p.setNext(12_000, 19_999);
    p.dropBefore(10_001); // 10,001 of 20,001 index entries: squeezed out
    expect(p.start).toBe(10_001);
    expect(p.marked(10_000)).toBe(true); // dropped counts as marked
    expect(p.marked(10_001)).toBe(false);
    expect(p.marked(15_000)).toBe(true);
    expect(p.next(12_000)).toBe(19_999);
    expect(p.next(12_001)).toBe(-1);
    expect(p.key(n)).toBe(0x3fffffff); // kept across the squeeze
    expect(p.key(n - 1)).toBe(0);
    expect(p.get(10_001)).toEqual(rec(11_001, 'h10001', { raw: JSON.stringify({ i: 10_001, pad: 'y'.repeat(40) }) }));
    expect(p.get(19_999).hotspot).toBe('h19999');
    expect(p.push(rec(99_999, 'late'))).toBe(20_001);
    expect(p.get(20_001).hotspot).toBe('late');
    p.dropBefore(20_002);
    expect(p.start).toBe(20_002);
    expect(p.end).toBe(20_002);
    expect(p.push(rec(100_000, 'after'))).toBe(20_002);
    expect(p.get(20_002).hotspot).toBe('after');
  });
});

describe('SegmentRecords', () => {
  it('finds a window by receive time, sorting in a late append (ties stay in append order)', () => {
    const s = new SegmentRecords();
    for (const r of [rec(10, 'a'), rec(20, 'b'), rec(30, 'c'), rec(15, 'late'), rec(20, 'b2'), rec(40, 'd')]) s.push(r);
    const out: LoggedReport[] = [];
    s.window(15, 31, out);
    expect(out.map((r) => r.hotspot)).toEqual(['late', 'b', 'b2', 'c']);
    s.push(rec(50, 'e'));
    s.push(rec(12, 'later'));
    const all: LoggedReport[] = [];
    s.window(0, 100, all);
    expect(all.map((r) => `${r.hotspot}@${r.receivedAtMs}`)).toEqual(['a@10', 'later@12', 'late@15', 'b@20', 'b2@20', 'c@30', 'd@40', 'e@50']);
    expect(s.length).toBe(8);
  });
});
