/**
 * Network panel (issue 8): hotspots, online, beacons per hour, share of valid witnesses, DC spent,
 * latest epoch rewards — straight from GET /api/v1/network (docs/api.md).
 */
import type { NetworkSummary } from '../api/types.ts';
import { field, h } from '../ui/dom.ts';
import { formatBones, formatPercent } from '../format.ts';

const stat = (label: string, value: string) => h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));

export function networkPanel(n: NetworkSummary, liveRounds: number): Node[] {
  return [
    h('h2', { tabindex: -1, class: 'panel-title' }, 'Network'),
    h(
      'div',
      { class: 'stats' },
      stat('hotspots', n.hotspots.toLocaleString('en-US')),
      stat('online', n.online.toLocaleString('en-US')),
      stat('beacons / hour', n.beaconsLastHour.toLocaleString('en-US')),
      // null: no witness verdict in the last hour (docs/api.md)
      stat('valid witnesses', n.validWitnessShare === null ? '–' : formatPercent(n.validWitnessShare)),
    ),
    h(
      'dl',
      { class: 'fields' },
      field('Witness reports / hour', n.witnessesLastHour.toLocaleString('en-US')),
      field('Data credits spent', String(n.dcSpent)),
      field('Latest epoch', n.latestEpoch ? `#${n.latestEpoch.epoch} · ${formatBones(n.latestEpoch.totalBones)} HNT` : 'none yet'),
      field('Latest manifest', n.latestEpoch ? h('code', { class: 'hash', title: n.latestEpoch.hash }, `${n.latestEpoch.hash.slice(0, 16)}…`) : '–'),
      field('Live rounds on map', String(liveRounds)),
    ),
    h(
      'p',
      { class: 'muted small' },
      'Click a hotspot for its rounds and rewards, a hex for its density. Live beacons pulse; lines to witnesses appear as they report and turn green (valid) or red (invalid) when the round is verified.',
    ),
  ];
}
