/**
 * Bulk insert of already-checked hotspot rows with their map aggregates (the 370,000-hotspot fixture,
 * docs/map.md): one `INSERT … SELECT FROM unnest(…)` per chunk, inside one transaction. Onboarding's
 * checks (signature, timestamp, region) are the caller's; existing addresses are left as they are.
 */
import type { Sql } from './sql.ts';

export interface BulkHotspotRow {
  address: string;
  name: string;
  location: string;
  lat: number;
  lng: number;
  region: string | null;
  gainDbi: number;
  elevationM: number;
  fullHotspot: boolean;
  online: boolean;
  lastBeaconAtMs: number | null;
  lastBeaconReciprocityAtMs: number | null;
  lastPocStatus: 'valid' | 'invalid' | null;
  validWitnesses: number;
  bestRssiDbm: number | null;
  hexScale: string | null;
}

const CHUNK = 20_000;

/** Insert `rows` (at `nowMs`); returns how many were new. */
export async function insertHotspotsBulk(sql: Sql, rows: readonly BulkHotspotRow[], nowMs: number): Promise<number> {
  let inserted = 0;
  await sql.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const c = rows.slice(i, i + CHUNK);
      const col = <K extends keyof BulkHotspotRow>(k: K) => c.map((r) => r[k]);
      const r = await tx.query(
        `INSERT INTO hotspots (address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, online,
           last_beacon_at_ms, last_beacon_reciprocity_at_ms, last_poc_status, valid_witnesses, best_rssi_dbm, hex_scale,
           onboarded_at_ms, updated_at_ms, onboard_timestamp_ms)
         SELECT *, $17::bigint, $17::bigint, $17::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[],
           $7::float8[], $8::float8[], $9::bool[], $10::bool[], $11::bigint[], $12::bigint[], $13::text[], $14::int[], $15::float8[], $16::text[])
         ON CONFLICT (address) DO NOTHING`,
        [
          col('address'), col('name'), col('location'), col('lat'), col('lng'), col('region'), col('gainDbi'), col('elevationM'),
          col('fullHotspot'), col('online'), col('lastBeaconAtMs'), col('lastBeaconReciprocityAtMs'), col('lastPocStatus'),
          col('validWitnesses'), col('bestRssiDbm'), col('hexScale'), nowMs,
        ],
      );
      inserted += r.rowCount ?? c.length;
    }
  });
  return inserted;
}
