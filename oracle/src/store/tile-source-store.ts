/**
 * What the vector tiles read from the `hotspots` table (docs/api.md "Vector tiles"): every located
 * hotspot with the properties the map styles on and the coverage aggregates, ordered by id.
 */
import type { SqlQuery } from './sql.ts';

/** One located hotspot as the tile layers read it (the GET /api/v1/hotspots names, plus the aggregates). */
export interface TileHotspotRow {
  id: number;
  address: string;
  name: string;
  /** H3 res-12 cell. */
  location: string;
  lat: number;
  lng: number;
  region: string | null;
  gainDbi: number;
  elevationM: number;
  fullHotspot: boolean;
  online: boolean;
  lastBeaconAtMs: number | null;
  lastPocStatus: 'valid' | 'invalid' | null;
  hexScale: string | null;
  /** Valid witness reports received (coverage metric). */
  validWitnesses: number;
  bestRssiDbm: number | null;
}

/** Every hotspot with an asserted location, by id. */
export async function readTileHotspots(q: SqlQuery): Promise<TileHotspotRow[]> {
  const { rows } = await q.query(
    `SELECT id, address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, online, last_beacon_at_ms,
            last_poc_status, hex_scale, valid_witnesses, best_rssi_dbm
       FROM hotspots WHERE location IS NOT NULL AND lat IS NOT NULL ORDER BY id`,
  );
  return rows.map((r) => ({
    id: r.id,
    address: r.address,
    name: r.name,
    location: r.location,
    lat: r.lat,
    lng: r.lng,
    region: r.region,
    gainDbi: r.gain_dbi,
    elevationM: r.elevation_m,
    fullHotspot: r.full_hotspot,
    online: r.online,
    lastBeaconAtMs: r.last_beacon_at_ms === null ? null : Number(r.last_beacon_at_ms),
    lastPocStatus: r.last_poc_status,
    hexScale: r.hex_scale,
    validWitnesses: r.valid_witnesses,
    bestRssiDbm: r.best_rssi_dbm,
  }));
}
