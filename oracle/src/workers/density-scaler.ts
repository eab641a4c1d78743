/**
 * Density scaler (oracles iot_verifier/src/tx_scaler.rs; spec §(c) HIP-17): every
 * `params.hip17.refreshIntervalS`, rebuild the hex scale map from the asserted locations of interactive
 * hotspots (beacon reciprocity within the interactivity window) with the core's `buildDensityMap`, and
 * write each hotspot's scale for the API and the map.
 */
import type { Clock } from '@hexium/shared/clock';
import type { NetworkParams } from '@hexium/shared/params/index';
import { buildDensityMap, interactiveLocations, type HotspotHistory } from '../poc/index.ts';
import { LOCKS, type Sql } from '../store/sql.ts';
import type { HotspotDirectory } from '../store/hotspot-directory.ts';
import { loadReciprocityTimes, setHexScales } from '../store/hotspot-store.ts';

export interface DensityDeps {
  sql: Sql;
  clock: Clock;
  params: NetworkParams;
  directory: HotspotDirectory;
}

export function createDensityScaler(d: DensityDeps) {
  let map = new Map<string, string>();

  async function tick(nowMs = d.clock.now()): Promise<void> {
    await d.directory.load();
    const recip = await loadReciprocityTimes(d.sql);
    const history = (a: string): HotspotHistory => (recip.has(a) ? { lastBeaconReciprocityAtMs: recip.get(a) } : {});
    const locations = interactiveLocations(d.directory.all(), history, nowMs, d.params);
    map = buildDensityMap(locations, d.params.hip17.resolutions);
    const addresses: string[] = [];
    const scales: (string | null)[] = [];
    for (const h of d.directory.all()) {
      const s = h.location ? (map.get(h.location) ?? null) : null;
      if (s === h.hexScale) continue;
      addresses.push(h.address);
      scales.push(s);
      d.directory.setHexScale(h.address, s);
    }
    if (addresses.length > 0) {
      await d.sql.withAdvisoryLock(LOCKS.density, () => setHexScales(d.sql, addresses, scales));
    }
  }

  return {
    tick,
    hexScale: (location: string): string | undefined => map.get(location),
    get size() {
      return map.size;
    },
  };
}

export type DensityScaler = ReturnType<typeof createDensityScaler>;
