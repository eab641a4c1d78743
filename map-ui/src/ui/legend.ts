/**
 * The legend: the current metric's ramp with its break values, and the hotspot and witness symbols.
 * It fills a `<details>` element: its summary (the metric) stays visible when collapsed (the default on
 * a phone, main.ts).
 */
import type { Metric } from '../style/metrics.ts';
import { LIVE_MIN_ZOOM } from '../style/build-style.ts';

import { h } from './dom.ts';

export function legend(metric: Metric): Node[] {
  const fmt = (v: number) => (metric.id === 'scale' ? v.toFixed(2) : String(v));
  return [
    h('summary', { class: 'legend-title' }, `${metric.label}${metric.unit ? ` (${metric.unit})` : ''}`),
    h(
      'div',
      { class: 'legend-ramp' },
      metric.breaks.map((b, i) => h('div', { class: 'legend-step' }, h('span', { class: `swatch ramp-${i}` }), h('span', {}, `${i === metric.breaks.length - 1 ? '≥ ' : ''}${fmt(b)}`))),
    ),
    h(
      'ul',
      { class: 'legend-symbols' },
      h('li', {}, h('span', { class: 'sym sym-online' }), 'online'),
      h('li', {}, h('span', { class: 'sym sym-offline' }), 'offline'),
      h('li', {}, h('span', { class: 'sym sym-ring-valid' }), 'last PoC valid'),
      h('li', {}, h('span', { class: 'sym sym-ring-invalid' }), 'last PoC invalid'),
      h('li', {}, h('span', { class: 'sym sym-cluster' }), 'cluster'),
      h('li', {}, h('span', { class: 'sym sym-line-valid' }), 'valid witness'),
      h('li', {}, h('span', { class: 'sym sym-line-invalid' }), 'invalid witness'),
      h('li', {}, h('span', { class: 'sym sym-live' }), `live round (zoom ≥ ${LIVE_MIN_ZOOM})`),
    ),
  ];
}
