/**
 * The coverage metrics a user can colour hexes by (issue 8: hotspots, valid witnesses, best RSSI,
 * reward scale). Each metric names the coverage property it reads (docs/api.md, Coverage) and the
 * five break values of the theme ramp. Pure: returns MapLibre expressions, touches no map.
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import type { Theme } from './theme.ts';

export type MetricId = 'hotspots' | 'witnesses' | 'bestRssiDbm' | 'scale';

export interface Metric {
  id: MetricId;
  label: string;
  unit: string;
  /** Five ascending break values, one per ramp colour. */
  breaks: readonly [number, number, number, number, number];
}

export const METRICS: readonly Metric[] = [
  { id: 'hotspots', label: 'Hotspots', unit: 'per hex', breaks: [1, 2, 3, 5, 8] },
  { id: 'witnesses', label: 'Valid witnesses', unit: 'reports', breaks: [0, 5, 20, 50, 150] },
  // LoRa sensitivity ends near −137 dBm at SF12BW125; −60 dBm is a very strong link (specs/radio.md).
  { id: 'bestRssiDbm', label: 'Best RSSI', unit: 'dBm', breaks: [-130, -115, -100, -85, -70] },
  // HIP-17 scale lies in [0, 1]; 1 means the hex is not over-dense.
  { id: 'scale', label: 'Reward scale (HIP-17)', unit: '', breaks: [0, 0.25, 0.5, 0.75, 1] },
];

export const DEFAULT_METRIC: MetricId = 'hotspots';

export function metricById(id: string | null | undefined): Metric {
  return METRICS.find((m) => m.id === id) ?? METRICS[0];
}

/**
 * The metric's value: a live override in feature-state (set by live PoC results, no data re-upload)
 * or else the feature's property; `scale` arrives as a decimal string.
 */
export function metricRawExpression(metric: Metric): ExpressionSpecification {
  return ['coalesce', ['feature-state', metric.id], ['get', metric.id]];
}

export function metricValueExpression(metric: Metric): ExpressionSpecification {
  return ['to-number', metricRawExpression(metric), -9999];
}

/** `fill-color` for a metric: a linear ramp over the breaks; hexes without a value are drawn grey. */
export function metricColorExpression(metric: Metric, theme: Theme): ExpressionSpecification {
  const stops: (number | string)[] = [];
  metric.breaks.forEach((b, i) => stops.push(b, theme.ramp[i]));
  return [
    'case',
    ['==', metricRawExpression(metric), null],
    theme.hotspotOffline,
    ['interpolate', ['linear'], metricValueExpression(metric), ...stops] as ExpressionSpecification,
  ];
}
