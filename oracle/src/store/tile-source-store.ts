/**
 * What the vector tiles read from the `hotspots` table (docs/api.md "Vector tiles"): every located
 * hotspot with the properties the map styles on and the coverage aggregates, ordered by id.
 */
import type { SqlQuery } from './sql.ts';

/** One located hotspot as the tile layers read it (the GET /api/v1/hotspots names, plus the coverage aggregates). */
export interface TileHotspotRow {
  id: number;
  address: string;
  name: string;
  /** H3 res-12 cell. */
  location: string;
  lat: number;
  lng: number;
  online: boolean;
  lastPocStatus: 'valid' | 'invalid' | null;
  hexScale: string | null;
  /** Valid witness reports received (coverage metric). */
  validWitnesses: number;
  bestRssiDbm: number | null;
}

/** Every hotspot with an asserted location, by id; or only those of `addresses` (that still have one). */
export async function readTileHotspots(q: SqlQuery, addresses?: readonly string[]): Promise<TileHotspotRow[]> {
  const { rows } = await q.query(
    `SELECT id, address, name, location, lat, lng, online, last_poc_status, hex_scale, valid_witnesses, best_rssi_dbm
       FROM hotspots WHERE location IS NOT NULL AND lat IS NOT NULL${addresses ? ' AND address = ANY($1::text[])' : ''} ORDER BY id`,
    addresses ? [addresses] : [],
  );
  return rows.map((r) => ({
    id: r.id,
    address: r.address,
    name: r.name,
    location: r.location,
    lat: r.lat,
    lng: r.lng,
    online: r.online,
    lastPocStatus: r.last_poc_status,
    hexScale: r.hex_scale,
    validWitnesses: r.valid_witnesses,
    bestRssiDbm: r.best_rssi_dbm,
  }));
}
