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
      rec(1_767_225_600_123, '1abc', { kind: 'beacon', challengeId: 'c-7', raw: '{"note":\t"grüße 🛰\\t"}' }),
      rec(1_767_225_600_124, '1def', { dataHex: 'ff'.repeat(51), raw: '{}' }),
      rec(1_767_225_600_124, '1ghi', { raw: '' }),
    ];
    const slots = reports.map((r) => p.push(r));
    expect(slots).toEqual([0, 1, 2]);
    expect(slots.map((s) => p.get(s))).toEqual(reports);
    expect(p.receivedAtMs(1)).toBe(1_767_225_600_124);
  });

  it('compares a body prefix in place: hotspot and payload, exactly, a chunk-sized report included', () => {
    const p = new PackedReports();
    const a = p.push(rec(1, '1abc', { dataHex: 'ab01' }));
    const b = p.push(rec(1, '1abcd', { dataHex: 'ab01' }));
    const big = p.push(rec(2, '1big', { dataHex: 'cd', raw: JSON.stringify({ pad: 'x'.repeat(2 << 20) }) }));
    const prefix = (hotspot: string, dataHex: string) => Buffer.from(`${hotspot}\t${dataHex}\t`, 'utf8');
    expect(p.hasPrefix(a, prefix('1abc', 'ab01'))).toBe(true);
    // '1abc\t…' is not a prefix of '1abcd\t…' (the tab ends the address), nor another payload
    expect(p.hasPrefix(b, prefix('1abc', 'ab01'))).toBe(false);
    expect(p.hasPrefix(b, prefix('1abcd', 'ab01'))).toBe(true);
    expect(p.hasPrefix(a, prefix('1abc', 'ab0'))).toBe(false);
    expect(p.hasPrefix(big, prefix('1big', 'cd'))).toBe(true);
    // a prefix longer than the body is no match
    expect(p.hasPrefix(a, Buffer.alloc(p.get(a).raw.length + 64, 0x31))).toBe(false);
  });

  it('keeps reports larger than a chunk, and the ones around them', () => {
    const p = new PackedReports();
    const big = rec(5, 'h2', { raw: JSON.stringify({ pad: 'x'.repeat(3 << 20) }) }); // 3 MiB > the 1 MiB chunk
    const all = [rec(4, 'h1'), big, rec(6, 'h3')];
    for (const r of all) p.push(r);
    expect([0, 1, 2].map((s) => p.get(s))).toEqual(all);
  });

  it('drops slots from the front: later slots keep their numbers, marks, links and keys, across blocks and chunks', () => {
    const p = new PackedReports();
    const n = 140_000; // two blocks of 65,536 slots and part of a third; ~9 MB of records in 1 MiB chunks
    const raw = (i: number) => JSON.stringify({ i, pad: 'y'.repeat(40) });
    for (let i = 0; i < n; i++) p.push(rec(1000 + i, `h${i}`, { raw: raw(i) }));
    expect(p.push(rec(500_000, 'keyed'), 0x3fffffff, 0xfffffffe)).toBe(n);
    p.mark(100_000);
    p.setNext(70_001, 139_999);
    p.dropBefore(70_001); // the first block goes whole, and the chunks before slot 70,001
    expect(p.start).toBe(70_001);
    expect(p.marked(70_000)).toBe(true); // dropped counts as marked
    expect(p.marked(70_001)).toBe(false);
    expect(p.marked(100_000)).toBe(true);
    expect(p.next(70_001)).toBe(139_999);
    expect(p.next(70_002)).toBe(-1);
    expect(p.key(n)).toBe(0x3fffffff);
    expect(p.key(n - 1)).toBe(0);
    expect(p.tag(n)).toBe(0xfffffffe);
    expect(p.tag(n - 1)).toBe(0);
    expect(p.get(70_001)).toEqual(rec(71_001, 'h70001', { raw: raw(70_001) }));
    expect(p.get(131_072)).toEqual(rec(132_072, 'h131072', { raw: raw(131_072) })); // first slot of the third block
    expect(p.receivedAtMs(139_999)).toBe(140_999);
    p.dropBefore(131_073);
    expect(p.get(131_073).hotspot).toBe('h131073');
    expect(p.get(n).hotspot).toBe('keyed');
    expect(p.push(rec(600_000, 'late'))).toBe(n + 1);
    p.dropBefore(n + 2);
    expect(p.start).toBe(n + 2);
    expect(p.end).toBe(n + 2);
    expect(p.push(rec(700_000, 'after'))).toBe(n + 2);
    expect(p.get(n + 2).hotspot).toBe('after');
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
