/**
 * Hotspot panel (issue 8): animal name, address, location, hex, HIP-17 scale, recent rounds with every
 * verdict and reason, rewards per epoch (chart), and a "challenge now" button (POST /api/v1/challenges).
 */
import { cellToParent, isValidCell } from 'h3-js';
import type { HotspotDetail, PocResult } from '../api/types.ts';
import { field, h } from '../ui/dom.ts';
import { formatAgo, formatBones, formatReason, shortAddress } from '../format.ts';
import { rewardChart } from './reward-chart.ts';

export interface HotspotPanelDeps {
  nowMs: number;
  nameOf: (address: string) => string;
  onChallenge: (address: string) => Promise<string>;
  onSelectHotspot: (address: string) => void;
  onSelectHex: (cell: string) => void;
  /** Resolution of the hexes on screen, for the "hex" link. */
  hexRes: number;
}

const badge = (status: string, text = status) => h('span', { class: `badge badge-${status}` }, text);

function hotspotLink(address: string, deps: HotspotPanelDeps, self: string) {
  if (address === self) return h('strong', {}, deps.nameOf(address));
  return h('button', { type: 'button', class: 'link', title: address, onclick: () => deps.onSelectHotspot(address) }, deps.nameOf(address));
}

function roundView(round: PocResult, self: string, deps: HotspotPanelDeps): HTMLElement {
  const role = round.beaconer === self ? 'beaconed' : 'witnessed';
  const witnesses = [...round.witnesses].sort((a, b) => a.receivedAtMs - b.receivedAtMs || a.hotspot.localeCompare(b.hotspot));
  const valid = witnesses.filter((w) => w.status === 'valid').length;
  return h(
    'li',
    { class: 'round' },
    h(
      'div',
      { class: 'round-head' },
      badge(round.beacon.status, round.beacon.status === 'valid' ? 'valid beacon' : `invalid: ${formatReason(round.beacon.reason)}`),
      ' ',
      role === 'beaconed' ? 'beaconed' : h('span', {}, 'witnessed ', hotspotLink(round.beaconer, deps, self)),
      h('span', { class: 'muted' }, ` · ${formatAgo(round.receivedAtMs, deps.nowMs)} · ${valid}/${witnesses.length} valid witnesses`),
      round.challengeId ? h('span', { class: 'muted' }, ' · challenged') : null,
    ),
    witnesses.length === 0
      ? null
      : h(
          'table',
          { class: 'witness-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'witness'), h('th', { scope: 'col' }, 'verdict'), h('th', { scope: 'col' }, 'RSSI'), h('th', { scope: 'col' }, 'km'))),
          h(
            'tbody',
            {},
            witnesses.map((w) =>
              h(
                'tr',
                { class: w.hotspot === self ? 'self' : undefined },
                h('td', {}, hotspotLink(w.hotspot, deps, self)),
                h('td', {}, badge(w.status, w.status === 'valid' ? (w.selected ? 'valid ✓' : 'valid (not selected)') : formatReason(w.reason))),
                h('td', { class: 'num' }, w.rssiDbm.toFixed(0)),
                h('td', { class: 'num' }, w.distanceM === null ? '–' : (w.distanceM / 1000).toFixed(1)),
              ),
            ),
          ),
        ),
  );
}

export function hotspotPanel(d: HotspotDetail, deps: HotspotPanelDeps): (Node | null)[] {
  const hex = d.location && isValidCell(d.location) && deps.hexRes >= 0 ? cellToParent(d.location, deps.hexRes) : null;
  const button = h('button', { type: 'button', class: 'primary', disabled: !d.online }, d.online ? 'Challenge now' : 'Offline: cannot challenge');
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Sending challenge…';
    deps
      .onChallenge(d.address)
      .then((msg) => (status.textContent = msg))
      .catch((e: Error) => (status.textContent = `Challenge refused: ${e.message}`))
      .finally(() => setTimeout(() => (button.disabled = !d.online), 3000));
  });
  const total = d.rewards.reduce((s, r) => s + BigInt(r.total), 0n);
  // The newest round it beaconed tells the last PoC verdict (the detail has no summary field).
  const lastPoc = d.recentRounds.find((r) => r.beaconer === d.address)?.beacon.status ?? null;
  return [
    h('h2', { tabindex: -1, class: 'panel-title' }, d.name),
    h('p', { class: 'address', title: d.address }, d.address),
    h('p', {}, badge(d.online ? 'online' : 'offline'), ' ', lastPoc ? badge(lastPoc, `last PoC ${lastPoc}`) : badge('none', 'no PoC yet')),
    h(
      'dl',
      { class: 'fields' },
      field('Location', d.location ? h('code', {}, d.location) : 'not asserted'),
      field('Lat, lng', d.lat !== null && d.lng !== null ? `${d.lat.toFixed(5)}, ${d.lng.toFixed(5)}` : '–'),
      field('Hex', hex ? h('button', { type: 'button', class: 'link mono', onclick: () => deps.onSelectHex(hex) }, hex) : '–'),
      field('Reward scale', d.hexScale ?? '–'),
      field('Region', d.region ?? '–'),
      field('Antenna', `${d.gainDbi} dBi, ${d.elevationM} m`),
      field('Type', d.fullHotspot ? 'full hotspot' : 'data-only'),
      field('Last beacon', formatAgo(d.lastBeaconAtMs, deps.nowMs)),
    ),
    button,
    status,
    h('h3', {}, `Rewards per epoch · ${formatBones(total)} HNT total`),
    d.rewards.length ? rewardChart(d.rewards) : h('p', { class: 'muted' }, 'No rewards yet.'),
    d.rewards.length ? h('p', { class: 'chart-key' }, h('span', { class: 'key key-beacon' }), 'beacon ', h('span', { class: 'key key-witness' }), 'witness ', h('span', { class: 'key key-dc' }), 'data') : null,
    h('h3', {}, `Recent rounds (${d.recentRounds.length})`),
    d.recentRounds.length ? h('ol', { class: 'rounds' }, d.recentRounds.map((r) => roundView(r, d.address, deps))) : h('p', { class: 'muted' }, 'No rounds yet.'),
    h('p', { class: 'muted small' }, 'Lines on the map: this hotspot\'s witness paths; dashed red = invalid (hover for the reason).'),
    h('p', { class: 'muted small' }, `Address ${shortAddress(d.address)}`),
  ];
}
