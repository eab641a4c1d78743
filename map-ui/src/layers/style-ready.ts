/**
 * Resolves once the map's style (and so the app's sources) exists, so data fetched while the style and
 * basemap are still loading can be handed over as soon as possible (fetches start before map `load`).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';

export function styleReady(map: MapLibreMap, sourceId: string): Promise<void> {
  if (map.getSource(sourceId)) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!map.getSource(sourceId)) return;
      map.off('styledata', check);
      map.off('load', check);
      resolve();
    };
    map.on('styledata', check);
    map.on('load', check);
  });
}
