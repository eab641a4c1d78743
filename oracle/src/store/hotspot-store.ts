/**
 * The `hotspots` table (Helium's config-service gateway info, plus the verifier's history columns and
 * the map's aggregates). This module is the only one that reads or writes it; the callers:
 * onboarding (`hotspots/onboarding.ts`: add, location and gain changes), ingest and the broker
 * (online status), the verifier (history in, round outcomes out), the density scaler (hex scales),
 * the packet router (a hotspot's region), the directory cache, the HTTP API, the vector tiles (located
 * hotspots with their aggregates) and the 370,000-hotspot fixture loader (bulk insert).
 */
import type { GatewayInfo, HotspotHistory } from '../poc/types.ts';
import type { Sql, SqlQuery } from './sql.ts';

export interface HotspotRecord extends GatewayInfo {
  id: number;
  name: string;
  lat: number | null;
  lng: number | null;
  fleet: string | null;
  online: boolean;
  hexScale: string | null;
}

export const HOTSPOT_COLUMNS =
  'id, address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, fleet, online, hex_scale';

export function hotspotFromRow(r: Record<string, any>): HotspotRecord {
  return {
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
    fleet: r.fleet,
    online: r.online,
    hexScale: r.hex_scale,
  };
}

/** Every onboarded hotspot (the directory's cache), by address: the directory iterates them in this order. */
export async function loadAllHotspots(q: SqlQuery): Promise<HotspotRecord[]> {
  const { rows } = await q.query(`SELECT ${HOTSPOT_COLUMNS} FROM hotspots ORDER BY address`);
  return rows.map(hotspotFromRow);
}

export async function loadHotspot(q: SqlQuery, address: string): Promise<HotspotRecord | undefined> {
  const { rows } = await q.query(`SELECT ${HOTSPOT_COLUMNS} FROM hotspots WHERE address = $1`, [address]);
  return rows.length === 0 ? undefined : hotspotFromRow(rows[0]);
}

/** What an accepted onboarding body asserts (already validated by `onboardHotspot`). */
export interface OnboardingRow {
  address: string;
  name: string;
  location: string | null;
  lat: number | null;
  lng: number | null;
  region: string | null;
  gainDbi: number;
  elevationM: number;
  fullHotspot: boolean;
  fleet: string | null;
  /** Oracle time of this onboarding (`onboarded_at_ms` when new, `updated_at_ms` always). */
  nowMs: number;
  /** The body's signed timestamp: must be newer than the last accepted one. */
  timestampMs: number;
}

export type OnboardingStored = { replayed: true } | { replayed: false; created: boolean; hotspot: HotspotRecord };

/**
 * Add a hotspot or re-assert one (location, region, gain, elevation, full/data-only; the fleet only when
 * given), in one transaction with the row locked. `replayed` when `timestampMs` is not newer than the last
 * accepted onboarding of this hotspot: nothing changes.
 */
export async function upsertOnboarding(sql: Sql, o: OnboardingRow): Promise<OnboardingStored> {
  return (await upsertOnboardings(sql, [o]))[0];
}

/**
 * {@link upsertOnboarding} for many bodies (bulk onboarding), in one transaction and in their order: the
 * result at index i is row i's, exactly as if they had been stored one after the other. A set-based
 * statement per run of distinct addresses (a repeated address starts a new one, so it sees what the
 * earlier body stored); new rows get their ids in the given order.
 */
export async function upsertOnboardings(sql: Sql, rows: readonly OnboardingRow[]): Promise<OnboardingStored[]> {
  const out: OnboardingStored[] = [];
  if (rows.length === 0) return out;
  await sql.transaction(async (tx) => {
    let i = 0;
    while (i < rows.length) {
      const seen = new Set<string>();
      let j = i;
      while (j < rows.length && !seen.has(rows[j].address)) seen.add(rows[j++].address);
      out.push(...(await upsertRun(tx, rows.slice(i, j))));
      i = j;
    }
  });
  return out;
}

/** One run of onboardings with distinct addresses: lock the rows there are, then one upsert. */
async function upsertRun(tx: SqlQuery, run: readonly OnboardingRow[]): Promise<OnboardingStored[]> {
  const col = <K extends keyof OnboardingRow>(k: K) => run.map((r) => r[k]);
  const prev = await tx.query<{ address: string }>('SELECT address FROM hotspots WHERE address = ANY($1::text[]) FOR UPDATE', [col('address')]);
  const existed = new Set(prev.rows.map((r) => r.address));
  // A row is written when it is new or its body's timestamp is newer than the stored one (else: replayed).
  const { rows } = await tx.query(
    `INSERT INTO hotspots (address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, fleet,
       onboarded_at_ms, updated_at_ms, onboard_timestamp_ms)
     SELECT address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, fleet, now_ms, now_ms, ts
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::float8[], $8::float8[],
         $9::bool[], $10::text[], $11::bigint[], $12::bigint[])
         WITH ORDINALITY AS u(address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, fleet, now_ms, ts, ord)
       ORDER BY ord
     ON CONFLICT (address) DO UPDATE SET location = EXCLUDED.location, lat = EXCLUDED.lat, lng = EXCLUDED.lng,
       region = EXCLUDED.region, gain_dbi = EXCLUDED.gain_dbi, elevation_m = EXCLUDED.elevation_m,
       full_hotspot = EXCLUDED.full_hotspot, fleet = COALESCE(EXCLUDED.fleet, hotspots.fleet),
       updated_at_ms = EXCLUDED.updated_at_ms, onboard_timestamp_ms = EXCLUDED.onboard_timestamp_ms
       WHERE hotspots.onboard_timestamp_ms < EXCLUDED.onboard_timestamp_ms
     RETURNING ${HOTSPOT_COLUMNS}`,
    [col('address'), col('name'), col('location'), col('lat'), col('lng'), col('region'), col('gainDbi'), col('elevationM'),
      col('fullHotspot'), col('fleet'), col('nowMs'), col('timestampMs')],
  );
  const written = new Map(rows.map((r) => [r.address as string, hotspotFromRow(r)]));
  return run.map((o) => {
    const hotspot = written.get(o.address);
    return hotspot ? { replayed: false as const, created: !existed.has(o.address), hotspot } : { replayed: true as const };
  });
}

/** A hotspot's retained connection state changed (ingest: `state/conn`). */
export async function setHotspotOnline(q: SqlQuery, address: string, online: boolean, atMs: number): Promise<void> {
  await q.query('UPDATE hotspots SET online = $2, online_changed_at_ms = $3 WHERE address = $1', [address, online, atMs]);
}

/** A hotspot's connection to the embedded broker closed. */
export async function setHotspotOffline(q: SqlQuery, address: string, atMs: number): Promise<void> {
  await q.query('UPDATE hotspots SET online = false, online_changed_at_ms = $2 WHERE address = $1', [address, atMs]);
}

/** At start: the connection states of a previous run are stale until devices reconnect. */
export async function markAllOffline(q: SqlQuery): Promise<void> {
  await q.query('UPDATE hotspots SET online = false WHERE online');
}

/** The verifier's per-hotspot history (runner.rs last_beacon / last_witness / last_beacon_reciprocity). */
export async function loadHistories(q: SqlQuery, addresses: readonly string[]): Promise<Map<string, HotspotHistory>> {
  const out = new Map<string, HotspotHistory>();
  if (addresses.length === 0) return out;
  const { rows } = await q.query(
    'SELECT address, last_beacon_at_ms, last_witness_at_ms, last_beacon_reciprocity_at_ms FROM hotspots WHERE address = ANY($1::text[])',
    [addresses],
  );
  for (const r of rows) {
    const h: HotspotHistory = {};
    if (r.last_beacon_at_ms !== null) h.lastBeaconAtMs = r.last_beacon_at_ms;
    if (r.last_witness_at_ms !== null) h.lastWitnessAtMs = r.last_witness_at_ms;
    if (r.last_beacon_reciprocity_at_ms !== null) h.lastBeaconReciprocityAtMs = r.last_beacon_reciprocity_at_ms;
    out.set(r.address, h);
  }
  return out;
}

/** What one chunk of rounds changes in `hotspots` (GREATEST semantics: history only moves forward). */
export interface HotspotOutcome {
  address: string;
  lastBeaconAtMs?: number;
  lastBeaconReciprocityAtMs?: number;
  lastWitnessAtMs?: number;
  lastPocStatus?: string;
  validWitnesses: number;
  bestRssiDbm?: number;
}

/**
 * The history columns and map aggregates a chunk of rounds changes, one statement, in the caller's
 * transaction (runner.rs last_beacon / last_witness / last_beacon_reciprocity; valid witness count, best RSSI).
 */
export async function applyHotspotOutcomes(q: SqlQuery, outcomes: readonly HotspotOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await q.query(
    `UPDATE hotspots h SET
       last_beacon_at_ms = GREATEST(h.last_beacon_at_ms, o.lb),
       last_beacon_reciprocity_at_ms = GREATEST(h.last_beacon_reciprocity_at_ms, o.lbr),
       last_witness_at_ms = GREATEST(h.last_witness_at_ms, o.lw),
       last_poc_status = COALESCE(o.st, h.last_poc_status),
       valid_witnesses = h.valid_witnesses + o.vw,
       best_rssi_dbm = GREATEST(h.best_rssi_dbm, o.rssi)
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::int[], $7::float8[]) AS o(address, lb, lbr, lw, st, vw, rssi)
     WHERE h.address = o.address`,
    [
      outcomes.map((o) => o.address),
      outcomes.map((o) => o.lastBeaconAtMs ?? null),
      outcomes.map((o) => o.lastBeaconReciprocityAtMs ?? null),
      outcomes.map((o) => o.lastWitnessAtMs ?? null),
      outcomes.map((o) => o.lastPocStatus ?? null),
      outcomes.map((o) => o.validWitnesses),
      outcomes.map((o) => o.bestRssiDbm ?? null),
    ],
  );
}

/** Last beacon-reciprocity time of every hotspot that has one (the density scaler's interactivity input). */
export async function loadReciprocityTimes(q: SqlQuery): Promise<Map<string, number>> {
  const { rows } = await q.query('SELECT address, last_beacon_reciprocity_at_ms FROM hotspots WHERE last_beacon_reciprocity_at_ms IS NOT NULL');
  return new Map<string, number>(rows.map((r) => [r.address, r.last_beacon_reciprocity_at_ms]));
}

/** Write the HIP-17 scales the density scaler changed (`addresses[i]` gets `scales[i]`), one statement. */
export async function setHexScales(q: SqlQuery, addresses: readonly string[], scales: readonly (string | null)[]): Promise<void> {
  await q.query(
    'UPDATE hotspots AS h SET hex_scale = v.s FROM (SELECT unnest($1::text[]) AS a, unnest($2::text[]) AS s) AS v WHERE h.address = v.a',
    [addresses, scales],
  );
}

/** The asserted region of a hotspot, null when it has none or is not onboarded. */
export async function hotspotRegion(q: SqlQuery, address: string): Promise<string | null> {
  const r = await q.query<{ region: string | null }>('SELECT region FROM hotspots WHERE address = $1', [address]);
  return r.rows[0]?.region ?? null;
}

/** One located hotspot's map aggregates (coverage hexes). */
export interface CoverageRow {
  location: string;
  valid_witnesses: number;
  best_rssi_dbm: number | null;
  hex_scale: string | null;
}

/** Every located hotspot's aggregates; the caller folds them into cells (order does not matter to a sum or a max). */
export async function loadCoverageRows(q: SqlQuery): Promise<CoverageRow[]> {
  const { rows } = await q.query<CoverageRow>('SELECT location, valid_witnesses, best_rssi_dbm, hex_scale FROM hotspots WHERE location IS NOT NULL');
  return rows;
}

/** A row of `GET /api/v1/hotspots` (snake_case columns as stored). */
export interface HotspotListRow {
  id: number;
  address: string;
  name: string;
  location: string | null;
  lat: number | null;
  lng: number | null;
  region: string | null;
  gain_dbi: number;
  elevation_m: number;
  full_hotspot: boolean;
  online: boolean;
  last_beacon_at_ms: number | null;
  last_poc_status: 'valid' | 'invalid' | null;
  hex_scale: string | null;
}

/** Hotspots in onboarding order (`id`), optionally inside a bounding box (w > e crosses the antimeridian). */
export async function listHotspots(q: SqlQuery, f: { bbox?: { w: number; s: number; e: number; n: number } | null; limit: number }): Promise<HotspotListRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bbox = f.bbox;
  if (bbox) {
    params.push(bbox.s, bbox.n);
    where.push(`lat BETWEEN $${params.length - 1} AND $${params.length}`);
    params.push(bbox.w, bbox.e);
    where.push(bbox.w <= bbox.e ? `lng BETWEEN $${params.length - 1} AND $${params.length}` : `(lng >= $${params.length - 1} OR lng <= $${params.length})`);
  }
  params.push(f.limit);
  const { rows } = await q.query<HotspotListRow>(
    `SELECT id, address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, online, last_beacon_at_ms, last_poc_status, hex_scale
       FROM hotspots ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** One hotspot's row for `GET /api/v1/hotspots/:address`, or null. */
export async function hotspotDetailRow(q: SqlQuery, address: string): Promise<Omit<HotspotListRow, 'id' | 'last_poc_status'> | null> {
  const { rows } = await q.query<Omit<HotspotListRow, 'id' | 'last_poc_status'>>(
    `SELECT address, name, location, lat, lng, region, gain_dbi, elevation_m, full_hotspot, online, hex_scale, last_beacon_at_ms
       FROM hotspots WHERE address = $1`,
    [address],
  );
  return rows[0] ?? null;
}

/**
 * Bulk insert of already-checked hotspot rows with their map aggregates (the 370,000-hotspot fixture,
 * docs/map.md): one `INSERT … SELECT FROM unnest(…)` per chunk, inside one transaction. Onboarding's
 * checks (signature, timestamp, region) are the caller's; existing addresses are left as they are.
 */
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

/** Rows per bulk INSERT statement. */
const BULK_CHUNK = 20_000;

/** Insert `rows` (at `nowMs`); returns how many were new. */
export async function insertHotspotsBulk(sql: Sql, rows: readonly BulkHotspotRow[], nowMs: number): Promise<number> {
  let inserted = 0;
  await sql.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += BULK_CHUNK) {
      const c = rows.slice(i, i + BULK_CHUNK);
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

/**
 * What the vector tiles read from the `hotspots` table (docs/api.md "Vector tiles"): every located
 * hotspot with the properties the map styles on and the coverage aggregates, ordered by id.
 */
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
