import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../test/router-fixtures.ts';
import { DedupWindow, type Copy } from './dedup.ts';

describe('DedupWindow', () => {
  it('collects copies for the window, then hands them over once', () => {
    const clock = new ManualClock(1_000);
    const closed: [string, Copy<number>[]][] = [];
    const w = new DedupWindow<number>(clock, 200, (k, c) => closed.push([k, c]));
    expect(w.add('h', { hotspot: 'a', receivedAtMs: 1_000, item: 1 })).toBe('first');
    clock.advance(150);
    expect(w.add('h', { hotspot: 'b', receivedAtMs: 1_150, item: 2 })).toBe('copy');
    expect(w.add('h', { hotspot: 'a', receivedAtMs: 1_160, item: 3 })).toBe('same_hotspot');
    expect(closed).toHaveLength(0);
    clock.advance(50); // 1 000 + 200: the window closes
    expect(closed).toHaveLength(1);
    expect(closed[0][1].map((c) => c.item)).toEqual([1, 2]);
    expect(w.add('h', { hotspot: 'c', receivedAtMs: 1_250, item: 4 })).toBe('late');
    expect(w.openCount).toBe(0);
  });

  it('flush closes every open window at once', () => {
    const clock = new ManualClock(0);
    const keys: string[] = [];
    const w = new DedupWindow<number>(clock, 200, (k) => keys.push(k));
    w.add('x', { hotspot: 'a', receivedAtMs: 0, item: 0 });
    w.add('y', { hotspot: 'a', receivedAtMs: 0, item: 0 });
    w.flush();
    expect(keys).toEqual(['x', 'y']);
  });
});
