import { describe, it, expect } from 'vitest';
import { formatAgo, formatBones, formatPercent, formatReason } from './format.ts';

describe('formatBones', () => {
  it('divides by 10^8 bones per HNT with BigInt and truncates', () => {
    expect(formatBones('123456789')).toBe('1.2345'); // 123,456,789 / 1e8 = 1.23456789
    expect(formatBones('100000000', 0)).toBe('1');
    expect(formatBones('5')).toBe('0.0000'); // 5e-8 HNT truncates to 0 at 4 digits
    // 2^64 bones = 18,446,744,073,709,551,616 → 184,467,440,737.09551616 HNT (beyond float precision)
    expect(formatBones(2n ** 64n, 8)).toBe('184,467,440,737.09551616');
    expect(formatBones(-150000000n, 1)).toBe('-1.5');
  });
});

describe('formatAgo / formatPercent / formatReason', () => {
  it('reads like words', () => {
    expect(formatAgo(null, 0)).toBe('never');
    expect(formatAgo(1_000, 13_000)).toBe('12 s ago');
    expect(formatAgo(0, 5 * 60_000 + 59_000)).toBe('5 min ago');
    expect(formatAgo(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(formatAgo(0, 2 * 86_400_000)).toBe('2 d ago');
    expect(formatPercent(0.8333)).toBe('83.3%');
    expect(formatReason('max_distance_exceeded')).toBe('max distance exceeded');
    expect(formatReason(null)).toBe('valid');
  });
});
