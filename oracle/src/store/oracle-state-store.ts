/**
 * The oracle's small service state, one function per statement: the network's oracle identity
 * (`meta.oracle_address`, pinned by the first process), minted entropy (`entropy`, written by the entropy
 * minter, read by the verifier), challenges issued on demand (`challenges`) and the verifier's checkpoint
 * (`verifier_state`: every report received before it is settled, and which process wrote it).
 */
import type { EntropyRecord } from '../poc/index.ts';
import type { SqlQuery } from './sql.ts';

/** Record `address` as the network's oracle unless one is recorded; returns the recorded one. */
export async function pinOracleAddress(q: SqlQuery, address: string): Promise<string> {
  await q.query("INSERT INTO meta (key, value) VALUES ('oracle_address', $1) ON CONFLICT (key) DO NOTHING", [address]);
  const { rows } = await q.query<{ value: string }>("SELECT value FROM meta WHERE key = 'oracle_address'");
  return rows[0].value;
}

/** Store minted entropy (keyed by its data: the same value twice is stored once). */
export async function insertEntropy(q: SqlQuery, e: EntropyRecord): Promise<void> {
  await q.query('INSERT INTO entropy (data_hex, timestamp_s, version) VALUES ($1, $2, $3) ON CONFLICT (data_hex) DO NOTHING', [e.dataHex, e.timestampS, e.version]);
}

/** The stored entropy among these values (unknown ones are absent), keyed by data. */
export async function readEntropy(q: SqlQuery, dataHex: readonly string[]): Promise<Map<string, EntropyRecord>> {
  const { rows } = await q.query<{ data_hex: string; timestamp_s: number; version: number }>(
    'SELECT data_hex, timestamp_s, version FROM entropy WHERE data_hex = ANY($1::text[])',
    [dataHex],
  );
  return new Map(rows.map((r) => [r.data_hex, { dataHex: r.data_hex, timestampS: r.timestamp_s, version: r.version }]));
}

/** A challenge sent to a hotspot (`POST /api/v1/challenges`). */
export async function insertChallenge(q: SqlQuery, c: { challengeId: string; hotspot: string; issuedAtMs: number }): Promise<void> {
  await q.query('INSERT INTO challenges (challenge_id, hotspot, issued_at_ms) VALUES ($1, $2, $3)', [c.challengeId, c.hotspot, c.issuedAtMs]);
}

/**
 * The verifier's checkpoint (every report received before it is settled), the process that wrote it, and
 * its beacon horizon (every beacon received before it has its round and shares stored; null when never
 * recorded); null before the first checkpoint.
 */
export async function readVerifierCheckpoint(q: SqlQuery): Promise<{ checkpointMs: number; owner: string; beaconsSettledMs: number | null } | null> {
  const { rows } = await q.query<{ checkpoint_ms: number; owner: string; beacons_settled_ms: number | null }>(
    'SELECT checkpoint_ms, owner, beacons_settled_ms FROM verifier_state WHERE id = 1',
  );
  return rows[0] ? { checkpointMs: rows[0].checkpoint_ms, owner: rows[0].owner, beaconsSettledMs: rows[0].beacons_settled_ms } : null;
}

/**
 * The verifier's beacon horizon as the rewarder reads it: the recorded horizon, else (a row written before
 * it was recorded) the checkpoint; null when the verifier never ran.
 */
export async function verifierBeaconHorizonMs(q: SqlQuery): Promise<number | null> {
  const { rows } = await q.query<{ ms: string | number | null }>(
    'SELECT COALESCE(beacons_settled_ms, checkpoint_ms) AS ms FROM verifier_state WHERE id = 1',
  );
  return rows.length && rows[0].ms !== null ? Number(rows[0].ms) : null;
}

/** Record the verifier's checkpoint and beacon horizon as written by `owner` (one row). */
export async function writeVerifierCheckpoint(q: SqlQuery, c: { checkpointMs: number; owner: string; beaconsSettledMs: number }): Promise<void> {
  await q.query(
    `INSERT INTO verifier_state (id, checkpoint_ms, owner, beacons_settled_ms) VALUES (1, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET checkpoint_ms = $1, owner = $2, beacons_settled_ms = $3`,
    [c.checkpointMs, c.owner, c.beaconsSettledMs],
  );
}
