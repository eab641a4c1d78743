/**
 * Epochs and manifests (DESIGN.md "Storage"): the paid epochs with their signed, chained manifests
 * (`epochs`), each hotspot's payout per epoch (`epoch_rewards`), and the rewarder's bookkeeping in `meta`
 * (epoch length and first epoch pinned at the first start, the last manifest the broker acknowledged).
 * Also the sums the rewarder pays from (`poc_shares` per hotspot and kind over an epoch). The callers:
 * the rewarder (`workers/rewarder.ts`) and the HTTP API (epochs, a hotspot's rewards, the network summary).
 * This module is the only one that writes `epochs` and `epoch_rewards`; the `epochs` primary key makes
 * paying an epoch twice impossible.
 */
import type { RewardManifest } from '@hexium/shared/protocol/index';
import type { Sql, SqlQuery } from './sql.ts';

/** meta key: the last epoch whose manifest the broker acknowledged (retained, QoS 1). */
const PUBLISHED_KEY = 'manifest_published_epoch';

/**
 * Store `epochLengthS` at the first start (never replaced) and return the stored one: epoch numbers are
 * `floor(t / epochLengthS)`, so the caller refuses to run with another length.
 */
export async function pinEpochLength(q: SqlQuery, epochLengthS: number): Promise<number> {
  await q.query("INSERT INTO meta (key, value) VALUES ('epoch_length_s', $1) ON CONFLICT (key) DO NOTHING", [String(epochLengthS)]);
  const stored = await q.query("SELECT value FROM meta WHERE key = 'epoch_length_s'");
  return Number(stored.rows[0].value);
}

/** Store `epoch` as the oracle's first epoch unless one is stored (restarts never move it); returns the stored one. */
export async function pinFirstEpoch(q: SqlQuery, epoch: number): Promise<number> {
  await q.query("INSERT INTO meta (key, value) VALUES ('first_epoch', $1) ON CONFLICT (key) DO NOTHING", [String(epoch)]);
  const { rows } = await q.query("SELECT value FROM meta WHERE key = 'first_epoch'");
  return Number(rows[0].value);
}

/** PoC shares summed per hotspot and kind over reward times in (startMs, endMs], exact decimal strings. */
export async function sumPocShares(q: SqlQuery, startMs: number, endMs: number): Promise<{ hotspot: string; kind: 'beacon' | 'witness'; total: string }[]> {
  const { rows } = await q.query<{ hotspot: string; kind: 'beacon' | 'witness'; total: string }>(
    `SELECT hotspot, kind, sum(share::numeric)::text AS total FROM poc_shares
      WHERE reward_at_ms > $1 AND reward_at_ms <= $2 GROUP BY hotspot, kind ORDER BY hotspot, kind`,
    [startMs, endMs],
  );
  return rows;
}

/** Store one epoch and its payouts in one transaction; false (nothing written) when it was already paid. */
export async function insertEpoch(sql: Sql, m: RewardManifest, totalBones: string): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const ins = await tx.query(
      `INSERT INTO epochs (epoch, start_s, end_s, hash, prev_hash, hotspots, total_bones, manifest)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb) ON CONFLICT (epoch) DO NOTHING`,
      [m.epoch, m.startS, m.endS, m.hash, m.prevHash, m.rewards.length, totalBones, JSON.stringify(m)],
    );
    if (ins.rowCount === 0) return false;
    for (const r of m.rewards) {
      const total = BigInt(r.beaconAmount) + BigInt(r.witnessAmount) + BigInt(r.dcTransferAmount);
      await tx.query(
        'INSERT INTO epoch_rewards (epoch, hotspot, beacon_amount, witness_amount, dc_transfer_amount, total) VALUES ($1,$2,$3,$4,$5,$6)',
        [m.epoch, r.hotspot, r.beaconAmount, r.witnessAmount, r.dcTransferAmount, total.toString()],
      );
    }
    return true;
  });
}

/** The newest paid epoch (highest number), or null before the first. */
export async function latestEpoch(q: SqlQuery): Promise<{ epoch: number; hash: string; totalBones: string } | null> {
  const { rows } = await q.query<{ epoch: number; hash: string; total: string }>('SELECT epoch, hash, total_bones::text AS total FROM epochs ORDER BY epoch DESC LIMIT 1');
  return rows.length ? { epoch: rows[0].epoch, hash: rows[0].hash, totalBones: rows[0].total } : null;
}

/** End (Unix s) of the newest paid epoch, or null before the first: a share dated before it is late. */
export async function lastPaidEndS(q: SqlQuery): Promise<number | null> {
  const paid = await q.query<{ end_s: number }>('SELECT end_s FROM epochs ORDER BY epoch DESC LIMIT 1');
  return paid.rows.length ? Number(paid.rows[0].end_s) : null;
}

/** The hash of a paid epoch, or null. */
export async function epochHash(q: SqlQuery, epoch: number): Promise<string | null> {
  const { rows } = await q.query<{ hash: string }>('SELECT hash FROM epochs WHERE epoch = $1', [epoch]);
  return rows[0]?.hash ?? null;
}

/** A paid epoch's manifest, or null. */
export async function loadManifest(q: SqlQuery, epoch: number): Promise<RewardManifest | null> {
  const { rows } = await q.query<{ manifest: RewardManifest }>('SELECT manifest FROM epochs WHERE epoch = $1', [epoch]);
  return rows[0]?.manifest ?? null;
}

/** Manifests of the epochs after `epoch`, oldest first (re-publishing). */
export async function manifestsAfter(q: SqlQuery, epoch: number): Promise<RewardManifest[]> {
  const { rows } = await q.query<{ manifest: RewardManifest }>('SELECT manifest FROM epochs WHERE epoch > $1 ORDER BY epoch ASC', [epoch]);
  return rows.map((r) => r.manifest);
}

/** The newest `limit` paid epochs, newest first. */
export async function listEpochs(q: SqlQuery, limit: number): Promise<{ epoch: number; manifest: RewardManifest; hotspots: number; totalBones: string }[]> {
  const { rows } = await q.query<{ epoch: number; manifest: RewardManifest; hotspots: number; total: string }>(
    'SELECT epoch, manifest, hotspots, total_bones::text AS total FROM epochs ORDER BY epoch DESC LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({ epoch: r.epoch, manifest: r.manifest, hotspots: r.hotspots, totalBones: r.total }));
}

/** The last epoch recorded as published, or null when none was recorded. */
export async function publishedEpoch(q: SqlQuery): Promise<number | null> {
  const p = await q.query('SELECT value FROM meta WHERE key = $1', [PUBLISHED_KEY]);
  return p.rows.length ? Number(p.rows[0].value) : null;
}

/** Record that the broker acknowledged the manifest of `epoch`. */
export async function setPublishedEpoch(q: SqlQuery, epoch: number): Promise<void> {
  await q.query(
    `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [PUBLISHED_KEY, String(epoch)],
  );
}

export interface HotspotEpochReward {
  epoch: number;
  beaconAmount: string;
  witnessAmount: string;
  dcTransferAmount: string;
  total: string;
}

/** A hotspot's payouts, newest epoch first (bones as decimal strings). */
export async function hotspotRewards(q: SqlQuery, address: string, limit: number): Promise<HotspotEpochReward[]> {
  const { rows } = await q.query(
    `SELECT epoch, beacon_amount::text AS b, witness_amount::text AS w, dc_transfer_amount::text AS d, total::text AS t
       FROM epoch_rewards WHERE hotspot = $1 ORDER BY epoch DESC LIMIT $2`,
    [address, limit],
  );
  return rows.map((r) => ({ epoch: r.epoch, beaconAmount: r.b, witnessAmount: r.w, dcTransferAmount: r.d, total: r.t }));
}
