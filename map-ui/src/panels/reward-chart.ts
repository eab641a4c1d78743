/**
 * Rewards per epoch as a small SVG bar chart (issue 8, hotspot panel). `barLayout` is the pure
 * geometry (tested); `rewardChart` turns it into SVG elements with a <title> per bar for the exact
 * amount. Bars are stacked: beacon, witness, data transfer (the three per-hotspot reward kinds,
 * docs/api.md Hotspot detail `rewards`).
 */
import type { HotspotReward } from '../api/types.ts';
import { svg } from '../ui/dom.ts';
import { formatBones } from '../format.ts';

export interface Bar {
  epoch: number;
  x: number;
  width: number;
  /** Stacked segments bottom → top. */
  segments: { kind: 'beacon' | 'witness' | 'dc'; y: number; height: number }[];
  total: bigint;
}

export const KINDS = ['beacon', 'witness', 'dc'] as const;

/** Lays out up to `maxBars` most recent epochs, oldest left, heights relative to the largest total. */
export function barLayout(rewards: readonly HotspotReward[], width: number, height: number, maxBars = 24, minSlots = 1): Bar[] {
  const rows = [...rewards].sort((a, b) => a.epoch - b.epoch).slice(-maxBars);
  if (rows.length === 0) return [];
  const totals = rows.map((r) => BigInt(r.total));
  const max = totals.reduce((m, t) => (t > m ? t : m), 0n);
  // At least `minSlots` slots, so one epoch is a bar, not a block across the whole chart.
  const slot = width / Math.max(rows.length, minSlots);
  const gap = Math.min(2, slot * 0.2);
  return rows.map((r, i) => {
    const parts = [BigInt(r.beaconAmount), BigInt(r.witnessAmount), BigInt(r.dcTransferAmount)];
    let y = height;
    const segments = parts.map((p, k) => {
      // Heights in px from bigint ratios: scale to 1e6 first so small amounts keep precision.
      const h = max === 0n ? 0 : (Number((p * 1_000_000n) / max) / 1_000_000) * height;
      y -= h;
      return { kind: KINDS[k], y, height: h };
    });
    return { epoch: r.epoch, x: i * slot + gap / 2, width: slot - gap, segments, total: totals[i] };
  });
}

export function rewardChart(rewards: readonly HotspotReward[], width = 300, height = 80): SVGElement {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'reward-chart', role: 'img', 'aria-label': 'Rewards per epoch' });
  for (const bar of barLayout(rewards, width, height, 24, 12)) {
    const g = svg('g', { class: 'bar' });
    g.append(svg('title', {}, `epoch ${bar.epoch}: ${formatBones(bar.total)} HNT`));
    for (const s of bar.segments) {
      if (s.height <= 0) continue;
      g.append(svg('rect', { x: bar.x.toFixed(1), y: s.y.toFixed(1), width: bar.width.toFixed(1), height: s.height.toFixed(1), class: `seg-${s.kind}` }));
    }
    root.append(g);
  }
  root.append(svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'axis' }));
  return root;
}
