import { describe, it, expect } from 'vitest';
import { barLayout } from './reward-chart.ts';

const r = (epoch: number, b: number, w: number, d: number) => ({ epoch, beaconAmount: String(b), witnessAmount: String(w), dcTransferAmount: String(d), total: String(b + w + d) });

describe('barLayout', () => {
  it('puts epochs oldest-left, stacks beacon/witness/data, scales to the largest total', () => {
    const bars = barLayout([r(2, 100, 300, 0), r(1, 50, 50, 100)], 200, 80);
    expect(bars.map((b) => b.epoch)).toEqual([1, 2]);
    // 2 bars in 200 px → 100 px slots, gap min(2, 20) = 2 → width 98, x = 1 and 101
    expect(bars.map((b) => [b.x, b.width])).toEqual([[1, 98], [101, 98]]);
    // largest total 400 → 80 px; epoch 2: beacon 100/400·80 = 20, witness 300/400·80 = 60
    const [beacon, witness, dc] = bars[1].segments;
    expect(beacon).toEqual({ kind: 'beacon', y: 60, height: 20 });
    expect(witness).toEqual({ kind: 'witness', y: 0, height: 60 });
    expect(dc.height).toBe(0);
    // epoch 1: 50 → 10 px, 50 → 10 px, 100 → 20 px, top at 80 − 40 = 40
    expect(bars[0].segments.map((s) => s.height)).toEqual([10, 10, 20]);
    expect(bars[0].segments[2].y).toBe(40);
  });

  it('keeps the most recent maxBars epochs and handles zero rewards', () => {
    const bars = barLayout([r(1, 0, 0, 0), r(2, 0, 0, 0), r(3, 0, 0, 0)], 90, 40, 2);
    expect(bars.map((b) => b.epoch)).toEqual([2, 3]);
    expect(bars.flatMap((b) => b.segments.map((s) => s.height))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(barLayout([], 100, 10)).toEqual([]);
  });
});
