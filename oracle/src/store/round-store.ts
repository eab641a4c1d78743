/**
 * Rounds and shares (DESIGN.md "Storage"): the verified `PocResult`s (`rounds`), who took part
 * (`round_participants`) and the PoC reward shares (`poc_shares`). The verifier writes a chunk of rounds
 * with one statement per table (arrays through `unnest`), in the caller's transaction; the API reads
 * rounds newest first. This module is the only one that writes these tables.
 */
import type { PocResult } from '@hexium/shared/protocol/index';
import type { RewardShare } from '../poc/types.ts';
import type { SqlQuery } from './sql.ts';
import { lastPaidEndS } from './epoch-store.ts';

export interface RoundRecord {
  result: PocResult;
  shares?: { beacon?: RewardShare; witnesses: RewardShare[] };
}

export interface RoundQuery {
  hotspot?: string;
  status?: 'valid' | 'invalid';
  before?: number;
  limit: number;
}

export function createRoundStore() {
  return {
    /**
     * Store rounds (a round already stored — the same beacon twice — is skipped with its shares);
     * returns the ids stored now. A share whose reward time falls in an epoch already paid (the rewarder
     * waits for the verifier, so only a fault gets here) is moved to the next unpaid epoch — reward time
     * 1 ms after the last paid epoch's end — and counted through `onLate`, never lost
     * (docs/architecture.md "Paying an epoch").
     */
    async insertRounds(q: SqlQuery, rounds: readonly RoundRecord[], onLate?: (shares: number) => void): Promise<Set<string>> {
      if (rounds.length === 0) return new Set();
      const { rows } = await q.query<{ poc_id: string }>(
        `INSERT INTO rounds (poc_id, beaconer, status, received_at_ms, verified_at_ms, challenge_id, result)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::jsonb[])
         ON CONFLICT (poc_id) DO NOTHING RETURNING poc_id`,
        [
          rounds.map((r) => r.result.pocId),
          rounds.map((r) => r.result.beaconer),
          rounds.map((r) => r.result.beacon.status),
          rounds.map((r) => r.result.receivedAtMs),
          rounds.map((r) => r.result.verifiedAtMs),
          rounds.map((r) => r.result.challengeId ?? null),
          rounds.map((r) => JSON.stringify(r.result)),
        ],
      );
      const stored = new Set(rows.map((r) => r.poc_id));
      const part: [string, string, string, number][] = [];
      const share: [string, string, string, string, number][] = [];
      for (const { result, shares } of rounds) {
        if (!stored.has(result.pocId)) continue;
        const seen = new Set<string>();
        for (const [hotspot, role] of [[result.beaconer, 'beaconer'], ...result.witnesses.map((w) => [w.hotspot, 'witness'])]) {
          if (seen.has(`${hotspot}|${role}`)) continue;
          seen.add(`${hotspot}|${role}`);
          part.push([result.pocId, hotspot, role, result.receivedAtMs]);
        }
        if (shares?.beacon) share.push([result.pocId, shares.beacon.hotspot, 'beacon', shares.beacon.share, result.receivedAtMs]);
        for (const s of shares?.witnesses ?? []) share.push([result.pocId, s.hotspot, 'witness', s.share, result.receivedAtMs]);
      }
      if (part.length > 0) {
        await q.query(
          `INSERT INTO round_participants (poc_id, hotspot, role, received_at_ms)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
          [part.map((p) => p[0]), part.map((p) => p[1]), part.map((p) => p[2]), part.map((p) => p[3])],
        );
      }
      if (share.length > 0) {
        const paidEndS = await lastPaidEndS(q);
        if (paidEndS !== null) {
          const paidEndMs = paidEndS * 1000;
          let late = 0;
          for (const s of share) {
            if (s[4] > paidEndMs) continue;
            s[4] = paidEndMs + 1; // epoch shares: start < reward_at_ms ≤ end
            late++;
          }
          if (late > 0) onLate?.(late);
        }
        await q.query(
          `INSERT INTO poc_shares (poc_id, hotspot, kind, share, reward_at_ms)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) ON CONFLICT DO NOTHING`,
          [share.map((s) => s[0]), share.map((s) => s[1]), share.map((s) => s[2]), share.map((s) => s[3]), share.map((s) => s[4])],
        );
      }
      return stored;
    },

    /** Which of these round ids are stored. */
    async storedIds(q: SqlQuery, pocIds: readonly string[]): Promise<Set<string>> {
      if (pocIds.length === 0) return new Set();
      const { rows } = await q.query<{ poc_id: string }>('SELECT poc_id FROM rounds WHERE poc_id = ANY($1::text[])', [pocIds]);
      return new Set(rows.map((r) => r.poc_id));
    },

    /** Rounds newest first (receive time, then id), optionally one hotspot's (as beaconer or witness). */
    async list(q: SqlQuery, f: RoundQuery): Promise<PocResult[]> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.hotspot) {
        params.push(f.hotspot);
        where.push(`r.poc_id IN (SELECT poc_id FROM round_participants WHERE hotspot = $${params.length})`);
      }
      if (f.status) {
        params.push(f.status);
        where.push(`r.status = $${params.length}`);
      }
      if (f.before !== undefined) {
        params.push(f.before);
        where.push(`r.received_at_ms < $${params.length}`);
      }
      params.push(f.limit);
      const cond = where.length ? ` WHERE ${where.join(' AND ')}` : '';
      const { rows } = await q.query<{ result: PocResult }>(
        `SELECT r.result FROM rounds r${cond} ORDER BY r.received_at_ms DESC, r.poc_id LIMIT $${params.length}`,
        params,
      );
      return rows.map((r) => r.result);
    },

    /** Witness reports in rounds received after `sinceMs`: how many, and how many were valid. */
    async countWitnessVerdictsSince(q: SqlQuery, sinceMs: number): Promise<{ valid: number; n: number }> {
      const { rows } = await q.query<{ valid: number; n: number }>(
        `SELECT count(*) FILTER (WHERE w->>'status' = 'valid')::int AS valid, count(*)::int AS n
           FROM rounds, jsonb_array_elements(result->'witnesses') AS w WHERE received_at_ms > $1`,
        [sinceMs],
      );
      return rows[0];
    },

    /**
     * A hotspot's most recent rounds (as beaconer or witness), newest first by receive time, then id;
     * each round once.
     */
    async recentOf(q: SqlQuery, hotspot: string, limit: number): Promise<PocResult[]> {
      const { rows } = await q.query<{ result: PocResult }>(
        `SELECT r.result FROM round_participants p JOIN rounds r ON r.poc_id = p.poc_id
          WHERE p.hotspot = $1 ORDER BY p.received_at_ms DESC, p.poc_id, p.role LIMIT $2`,
        [hotspot, limit],
      );
      const seen = new Set<string>();
      return rows.map((r) => r.result).filter((r) => !seen.has(r.pocId) && seen.add(r.pocId));
    },

    async get(q: SqlQuery, pocId: string): Promise<PocResult | null> {
      const { rows } = await q.query<{ result: PocResult }>('SELECT result FROM rounds WHERE poc_id = $1', [pocId]);
      return rows[0]?.result ?? null;
    },

    /** Beacons and witness reports in rounds received after `sinceMs` (network totals). */
    async countReportsSince(q: SqlQuery, sinceMs: number): Promise<{ beacons: number; witnesses: number }> {
      const { rows } = await q.query<{ beacons: number; witnesses: number }>(
        `SELECT count(*) FILTER (WHERE role = 'beaconer')::int AS beacons, count(*) FILTER (WHERE role = 'witness')::int AS witnesses
           FROM round_participants WHERE received_at_ms > $1`,
        [sinceMs],
      );
      return rows[0] ?? { beacons: 0, witnesses: 0 };
    },
  };
}

export type RoundStore = ReturnType<typeof createRoundStore>;
