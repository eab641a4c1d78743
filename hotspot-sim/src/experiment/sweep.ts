/**
 * A sweep: every node count of an experiment file, each run with seeds seed, seed+1, … (--runs),
 * summarised as mean and sample standard deviation; rendered as a table, CSV rows or plot series.
 */
import { timeOnAir } from '@hexium/shared/radio/airtime';
import type { ResolvedExperiment } from '../core/scenario/load-scenario.ts';
import { runExperiment, type ExperimentRun } from './engine.ts';
import type { PlotSeries } from './plot-svg.ts';

export interface Spread {
  mean: number;
  sd: number;
}

export interface SweepPoint {
  nodes: number;
  runs: number;
  der: Spread;
  sent: Spread;
  received: Spread;
  collided: Spread;
  lostSensitivity: Spread;
  lostCollision: Spread;
  lostDemodulator: Spread;
  /** Per SF: mean counts and DER over the runs. */
  perSf: { sf: number; sent: number; received: number; der: number; lostSensitivity: number; lostCollision: number; lostDemodulator: number }[];
  /** Per gateway: mean counts over the runs. */
  perGateway: { gateway: number; heard: number; received: number; collided: number; demodulatorLimit: number }[];
  simulatedS: number;
  bytesPerNode: number;
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export function spread(values: number[]): Spread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function summarise(nodes: number, runs: ExperimentRun[]): SweepPoint {
  const field = (f: (r: ExperimentRun) => number) => spread(runs.map(f));
  const sfs = [...new Set(runs.flatMap((r) => r.perSf.map((s) => s.sf)))].sort((a, b) => a - b);
  const perSf = sfs.map((sf) => {
    const rows = runs.map((r) => r.perSf.find((s) => s.sf === sf) ?? { sent: 0, received: 0, lostSensitivity: 0, lostCollision: 0, lostDemodulator: 0 });
    const sent = avg(rows.map((r) => r.sent));
    const received = avg(rows.map((r) => r.received));
    return {
      sf,
      sent,
      received,
      der: sent === 0 ? 0 : received / sent,
      lostSensitivity: avg(rows.map((r) => r.lostSensitivity)),
      lostCollision: avg(rows.map((r) => r.lostCollision)),
      lostDemodulator: avg(rows.map((r) => r.lostDemodulator)),
    };
  });
  const perGateway = runs[0].perGateway.map((_, g) => ({
    gateway: g,
    heard: avg(runs.map((r) => r.perGateway[g].heard)),
    received: avg(runs.map((r) => r.perGateway[g].received)),
    collided: avg(runs.map((r) => r.perGateway[g].collided)),
    demodulatorLimit: avg(runs.map((r) => r.perGateway[g].demodulatorLimit)),
  }));
  return {
    nodes,
    runs: runs.length,
    der: field((r) => r.total.der),
    sent: field((r) => r.total.sent),
    received: field((r) => r.total.received),
    collided: field((r) => r.total.collided),
    lostSensitivity: field((r) => r.total.lostSensitivity),
    lostCollision: field((r) => r.total.lostCollision),
    lostDemodulator: field((r) => r.total.lostDemodulator),
    perSf,
    perGateway,
    simulatedS: avg(runs.map((r) => r.simulatedS)),
    bytesPerNode: avg(runs.map((r) => r.bytesPerNode)),
  };
}

/** Run every node count of the file `runs` times (seeds seed … seed + runs − 1). */
export function runSweep(x: ResolvedExperiment, runs: number, seed = x.seed): SweepPoint[] {
  return x.nodeCounts.map((n) => summarise(n, Array.from({ length: runs }, (_, k) => runExperiment(x, n, seed + k))));
}

const CSV_METRICS = ['der', 'sent', 'received', 'collided', 'lostSensitivity', 'lostCollision', 'lostDemodulator'] as const;

/** One CSV row per node count: nodes, runs, then mean and sd of each metric. */
export function sweepCsv(points: SweepPoint[]): string {
  const head = ['nodes', 'runs', ...CSV_METRICS.flatMap((m) => [`${m}Mean`, `${m}Sd`]), 'simulatedS'];
  const rows = points.map((p) => [p.nodes, p.runs, ...CSV_METRICS.flatMap((m) => [p[m].mean, p[m].sd]), p.simulatedS].join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}

/**
 * Offered load per gateway G = (nodes per gateway) · airtime / mean interval when every node has the
 * same SF, bandwidth, coding rate and channel (else null): the pure-ALOHA reference DER is e^(−2G).
 */
export function offeredLoadPerNode(x: ResolvedExperiment): number | null {
  if (!('fixed' in x.sf && 'fixed' in x.bandwidthHz && 'fixed' in x.codingRate && 'fixed' in x.channel)) return null;
  const air = timeOnAir({ sf: x.sf.fixed, bandwidthHz: x.bandwidthHz.fixed, codingRate: x.codingRate.fixed, payloadBytes: x.payloadBytes, preambleSymbols: x.preambleSymbols }).timeOnAirMs;
  return air / (x.intervalS * 1000) / x.gateways.length;
}

/** Plot series: the measured DER (±1 σ over runs) and, where it applies, pure ALOHA e^(−2G). */
export function sweepSeries(x: ResolvedExperiment, points: SweepPoint[], label = x.name): PlotSeries[] {
  const series: PlotSeries[] = [{ label, style: 'markers', points: points.map((p) => ({ x: p.nodes, y: p.der.mean, sd: p.der.sd })) }];
  const g = offeredLoadPerNode(x);
  if (g !== null) {
    const maxN = points[points.length - 1].nodes;
    const ref = Array.from({ length: 41 }, (_, i) => (maxN * i) / 40).map((n) => ({ x: n, y: Math.exp(-2 * g * n) }));
    series.push({ label: 'pure ALOHA e^(−2G)', style: 'dashed', points: ref });
  }
  return series;
}
