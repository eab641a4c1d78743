/**
 * Hex panel (issue 8): the hotspots in a coverage hex, its density and HIP-17 reward scale, from the
 * coverage aggregate (docs/api.md Coverage) and the loaded hotspot features.
 */
import { cellArea, cellToParent, getResolution, isValidCell } from 'h3-js';
import type { CoverageHex, HotspotFeature } from '../api/types.ts';
import { field, h } from '../ui/dom.ts';

export function hotspotsInHex(cell: string, hotspots: Iterable<HotspotFeature>): HotspotFeature[] {
  const res = getResolution(cell);
  const out: HotspotFeature[] = [];
  for (const f of hotspots) {
    const loc = f.properties.location;
    if (loc && isValidCell(loc) && getResolution(loc) >= res && cellToParent(loc, res) === cell) out.push(f);
  }
  return out.sort((a, b) => a.properties.name.localeCompare(b.properties.name));
}

export function hexPanel(cell: string, agg: CoverageHex | undefined, hotspots: HotspotFeature[], onSelectHotspot: (address: string) => void): Node[] {
  const areaKm2 = cellArea(cell, 'km2');
  return [
    h('h2', { tabindex: -1, class: 'panel-title' }, 'Hex ', h('code', {}, cell)),
    h(
      'dl',
      { class: 'fields' },
      field('Resolution', String(getResolution(cell))),
      field('Area', `${areaKm2 < 1 ? areaKm2.toFixed(3) : areaKm2.toFixed(1)} km²`),
      field('Hotspots', String(agg?.hotspots ?? hotspots.length)),
      field('Density', `${((agg?.hotspots ?? hotspots.length) / areaKm2).toFixed(2)} hotspots/km²`),
      field('Valid witnesses', String(agg?.witnesses ?? 0)),
      field('Best RSSI', agg?.bestRssiDbm === null || agg?.bestRssiDbm === undefined ? '–' : `${agg.bestRssiDbm.toFixed(1)} dBm`),
      field('Reward scale (HIP-17)', agg?.scale ?? '–'),
    ),
    h('h3', {}, 'Hotspots in this hex'),
    hotspots.length
      ? h(
          'ul',
          { class: 'hotspot-list' },
          hotspots.map((f) =>
            h(
              'li',
              {},
              h('span', { class: `dot ${f.properties.online ? 'dot-online' : 'dot-offline'}`, 'aria-hidden': 'true' }),
              h('button', { type: 'button', class: 'link', onclick: () => onSelectHotspot(f.properties.address) }, f.properties.name),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'None loaded here.'),
  ];
}
