/**
 * Witness paths of a hotspot's recent rounds (docs/api.md Hotspot detail `recentRounds`, PocResult):
 * one line from the beaconer to each witness, with the witness verdict and Helium's invalid reason
 * (shared/src/protocol INVALID_REASONS). For rounds where the hotspot beaconed every witness is drawn;
 * where it witnessed someone else's beacon, only its own path. Only the newest `maxBeaconed` of its own
 * beacons are drawn, each with its `maxPerBeacon` nearest witnesses (by the verdict's `distanceM`): a
 * beacon in the demo city is heard by up to ≈ 300 hotspots, and all their lines cover the view (issue 16,
 * "readable live view"; the panel lists every witness). Locations are H3 res-12 cells; a side without an
 * asserted location is skipped. Pure.
 */
import { cellToLatLng, isValidCell } from 'h3-js';
import type { PocResult, PocStatus } from '../api/types.ts';

export interface WitnessPathProps {
  pocId: string;
  beaconer: string;
  witness: string;
  status: PocStatus;
  reason: string | null;
  selected: boolean;
  rssiDbm: number;
  snrDb: number;
  distanceM: number | null;
  /** 'beaconed' when the selected hotspot was the beaconer, 'witnessed' otherwise. */
  role: 'beaconed' | 'witnessed';
}

export interface WitnessPathFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: WitnessPathProps;
}

export function cellLngLat(cell: string | null): [number, number] | null {
  if (!cell || !isValidCell(cell)) return null;
  const [lat, lng] = cellToLatLng(cell);
  return [lng, lat];
}

/** Own beacons drawn for the selected hotspot. */
export const MAX_BEACONED_ROUNDS = 3;
/** Witness paths drawn per own beacon (the nearest). */
export const MAX_PATHS_PER_BEACON = 20;

/** Nearest first (a witness without a distance last), ties by address: an explicit order. */
function nearestFirst(a: PocResult['witnesses'][number], b: PocResult['witnesses'][number]): number {
  const da = a.distanceM ?? Infinity;
  const db = b.distanceM ?? Infinity;
  if (da !== db) return da < db ? -1 : 1;
  return a.hotspot < b.hotspot ? -1 : a.hotspot > b.hotspot ? 1 : 0;
}

export function witnessPaths(address: string, rounds: readonly PocResult[], maxBeaconed = MAX_BEACONED_ROUNDS, maxPerBeacon = MAX_PATHS_PER_BEACON): WitnessPathFeature[] {
  const out: WitnessPathFeature[] = [];
  // Newest first by receive time, then pocId (explicit order); keep the newest `maxBeaconed` own beacons.
  const ordered = [...rounds].sort((a, b) => b.receivedAtMs - a.receivedAtMs || (a.pocId < b.pocId ? -1 : a.pocId > b.pocId ? 1 : 0));
  let beaconed = 0;
  for (const round of ordered) {
    const from = cellLngLat(round.beacon.location);
    if (!from) continue;
    const role = round.beaconer === address ? 'beaconed' : 'witnessed';
    if (role === 'beaconed' && ++beaconed > maxBeaconed) continue;
    const witnesses = role === 'beaconed' ? [...round.witnesses].sort(nearestFirst).slice(0, maxPerBeacon) : round.witnesses;
    for (const w of witnesses) {
      if (role === 'witnessed' && w.hotspot !== address) continue;
      const to = cellLngLat(w.location);
      if (!to) continue;
      out.push({
        type: 'Feature',
        id: out.length,
        geometry: { type: 'LineString', coordinates: [from, to] },
        properties: {
          pocId: round.pocId,
          beaconer: round.beaconer,
          witness: w.hotspot,
          status: w.status,
          reason: w.reason,
          selected: w.selected,
          rssiDbm: w.rssiDbm,
          snrDb: w.snrDb,
          distanceM: w.distanceM,
          role,
        },
      });
    }
  }
  return out;
}
