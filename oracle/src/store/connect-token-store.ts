/**
 * Replay memory of connect tokens (docs/protocol.md "Authentication"): the newest token timestamp accepted
 * per hotspot. A token is accepted only if it is strictly newer than the one remembered, and it is
 * remembered durably before the CONNACK, so neither a restart nor a second oracle process on the same
 * PostgreSQL accepts it again. A row older than the token lifetime (±authSkewMs) no longer guards anything
 * (such a token is refused as stale) and is pruned at start.
 */
import type { SqlQuery } from './sql.ts';

export interface ConnectTokenStore {
  /** Remember `tokenMs` for `address` if it is newer than the one remembered; false = a replay. */
  claim(address: string, tokenMs: number): Promise<boolean>;
}

/** In memory (tests; `memory://` stores forget everything on restart anyway). */
export function memoryTokenStore(): ConnectTokenStore {
  const last = new Map<string, number>();
  return {
    claim(address, tokenMs) {
      if (tokenMs <= (last.get(address) ?? -1)) return Promise.resolve(false);
      last.set(address, tokenMs);
      return Promise.resolve(true);
    },
  };
}

/**
 * In the `connect_tokens` table. The conditional upsert is the whole check: under concurrent connects
 * (in one process or several) exactly one claim of a timestamp returns its row.
 */
export async function sqlTokenStore(sql: SqlQuery, opts: { nowMs: number; authSkewMs: number }): Promise<ConnectTokenStore> {
  await sql.query('DELETE FROM connect_tokens WHERE last_token_ms < $1', [opts.nowMs - opts.authSkewMs]);
  return {
    async claim(address, tokenMs) {
      const r = await sql.query(
        `INSERT INTO connect_tokens (address, last_token_ms) VALUES ($1, $2)
         ON CONFLICT (address) DO UPDATE SET last_token_ms = EXCLUDED.last_token_ms
         WHERE connect_tokens.last_token_ms < EXCLUDED.last_token_ms RETURNING address`,
        [address, tokenMs],
      );
      return r.rows.length === 1;
    },
  };
}
