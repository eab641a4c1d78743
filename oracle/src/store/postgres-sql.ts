/** PostgreSQL adapter of the {@link Sql} port (`pg` pool), used when `DATABASE_URL` is set. */
import pg from 'pg';
import type { Lease, Sql, SqlQuery, SqlResult } from './sql.ts';

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export async function openPostgres(url: string, poolSize = 10): Promise<Sql> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', () => undefined); // idle client errors surface on the next query
  const run = async <T>(c: pg.Pool | pg.PoolClient, text: string, params?: unknown[]): Promise<SqlResult<T>> => {
    const r = await c.query(text, params as any[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  };
  await run(pool, 'SELECT 1');
  const leases = new Set<Lease>();
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: SqlQuery = { query: (text, params) => run(client, text, params) };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async withAdvisoryLock(key, fn) {
      const client = await pool.connect();
      try {
        const r = await client.query('SELECT pg_try_advisory_lock($1) AS ok', [key]);
        if (!r.rows[0].ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
        }
      } finally {
        client.release();
      }
    },
    lease: (key) => postgresLease(url, key, leases),
    close: async () => {
      await Promise.all([...leases].map((l) => l.release()));
      await pool.end();
    },
  };
}

/**
 * A session advisory lock on a connection of its own (not the pool's: a pooled connection goes back to
 * the pool and its lock with it). PostgreSQL releases a session lock when its connection ends, so a
 * process that dies or loses its connection gives the role up and another takes it on its next try.
 */
function postgresLease(url: string, key: number, leases: Set<Lease>): Lease {
  let client: pg.Client | null = null;
  let held = false;
  const drop = () => {
    held = false;
    const c = client;
    client = null;
    c?.end().catch(() => undefined);
  };
  const lease: Lease = {
    get held() {
      return held;
    },
    async tryAcquire() {
      if (held && client) return true;
      try {
        if (!client) {
          const c = new pg.Client({ connectionString: url });
          c.on('error', drop);
          c.on('end', () => {
            if (client === c) drop();
          });
          await c.connect();
          client = c;
        }
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
        held = r.rows[0].ok;
        return held;
      } catch {
        drop();
        return false;
      }
    },
    async release() {
      leases.delete(lease);
      const c = client;
      held = false;
      client = null;
      if (c) await c.end().catch(() => undefined); // ending the session releases its locks
    },
  };
  leases.add(lease);
  return lease;
}
