/**
 * Epochs panel (issue 8): an epoch selector, the reward table of the chosen epoch, its manifest hash,
 * the previous hash it chains to, and the verification status (docs/api.md Epochs; the manifest's
 * `x-hexium-manifest-verified` header).
 */
import type { EpochDetail, EpochSummary } from '../api/types.ts';
import { field, h } from '../ui/dom.ts';
import { formatBones } from '../format.ts';

export interface EpochsPanelDeps {
  manifestUrl: string;
  verified: boolean | null;
  onSelectEpoch: (epoch: number) => void;
  onSelectHotspot: (address: string) => void;
}

export function epochsPanel(epochs: EpochSummary[], detail: EpochDetail | null, deps: EpochsPanelDeps): (Node | null)[] {
  if (epochs.length === 0) return [h('h2', { tabindex: -1, class: 'panel-title' }, 'Epochs'), h('p', { class: 'muted' }, 'No epoch has closed yet.')];
  const select = h('select', { id: 'epoch-select', 'aria-label': 'Epoch' });
  for (const e of [...epochs].sort((a, b) => b.epoch - a.epoch)) {
    const o = h('option', { value: e.epoch }, `#${e.epoch} · ${new Date(e.endS * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    if (detail && e.epoch === detail.epoch) o.selected = true;
    select.append(o);
  }
  select.addEventListener('change', () => deps.onSelectEpoch(Number(select.value)));
  const summary = detail ? epochs.find((e) => e.epoch === detail.epoch) : undefined;
  const verified = deps.verified ?? summary?.verified ?? null;
  const rows = detail ? [...detail.rewards].sort((a, b) => (BigInt(b.total) > BigInt(a.total) ? 1 : BigInt(b.total) < BigInt(a.total) ? -1 : a.hotspot.localeCompare(b.hotspot))) : [];
  return [
    h('h2', { tabindex: -1, class: 'panel-title' }, 'Epochs'),
    h('label', { class: 'inline' }, 'Epoch ', select),
    detail
      ? h(
          'dl',
          { class: 'fields' },
          field('Window', `${new Date(detail.startS * 1000).toISOString().slice(11, 19)} – ${new Date(detail.endS * 1000).toISOString().slice(11, 19)} UTC`),
          field('Manifest hash', h('code', { class: 'hash', title: detail.hash }, detail.hash)),
          field('Previous hash', summary?.prevHash ? h('code', { class: 'hash', title: summary.prevHash }, summary.prevHash) : 'genesis'),
          field('Verification', verified === null ? 'unknown' : h('span', { class: `badge badge-${verified ? 'valid' : 'invalid'}` }, verified ? 'verified ✓' : 'NOT verified')),
          field('Operations', `${formatBones(detail.operations)} HNT`),
          field('Oracles', `${formatBones(detail.oracles)} HNT`),
          field('Unallocated PoC', `${formatBones(detail.unallocatedPoc)} HNT`),
        )
      : h('p', { class: 'muted' }, 'Loading…'),
    detail ? h('p', {}, h('a', { href: deps.manifestUrl, download: `manifest-${detail.epoch}.json` }, 'Download the signed manifest')) : null,
    detail
      ? h(
          'table',
          { class: 'reward-table' },
          h('caption', {}, `${rows.length} hotspots rewarded (HNT)`),
          h('thead', {}, h('tr', {}, ...['hotspot', 'beacon', 'witness', 'data', 'total'].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            rows.slice(0, 200).map((r) =>
              h(
                'tr',
                {},
                h('td', {}, h('button', { type: 'button', class: 'link', title: r.hotspot, onclick: () => deps.onSelectHotspot(r.hotspot) }, r.name)),
                h('td', { class: 'num' }, formatBones(r.beaconAmount, 3)),
                h('td', { class: 'num' }, formatBones(r.witnessAmount, 3)),
                h('td', { class: 'num' }, formatBones(r.dcTransferAmount, 3)),
                h('td', { class: 'num' }, formatBones(r.total, 3)),
              ),
            ),
          ),
        )
      : null,
  ];
}
