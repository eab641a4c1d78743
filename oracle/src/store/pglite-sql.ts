/** PGlite adapter of the {@link Sql} port: PostgreSQL in WebAssembly, a data directory or memory. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { freshClusterTarball, pgliteWasmModule } from './pglite-template.ts';
import type { Sql, SqlQuery, SqlResult } from './sql.ts';
import { inProcessLocks } from './in-process-locks.ts';

const parsers = { [types.INT8]: (v: string) => Number(v) };

/**
 * Open PGlite at `dir` (a path, or `memory://`). A new cluster (memory, or a directory without one) is
 * loaded from the dumped fresh cluster instead of running initdb (pglite-template.ts).
 */
export async function openPglite(dir: string): Promise<Sql> {
  const memory = dir === 'memory://';
  const fresh = memory || !existsSync(path.join(dir, 'PG_VERSION'));
  const db = await PGlite.create({
    dataDir: memory ? undefined : dir,
    parsers,
    pgliteWasmModule: await pgliteWasmModule(),
    loadDataDir: fresh ? await freshClusterTarball() : undefined,
  });
  const locks = inProcessLocks();
  const run = async <T>(q: { query: PGlite['query'] }, text: string, params?: unknown[]): Promise<SqlResult<T>> => {
    const r = await q.query<T>(text, params as any[]);
    return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
  };
  return {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => run(tx as unknown as { query: PGlite['query'] }, text, params) } as SqlQuery)),
    withAdvisoryLock: locks.withAdvisoryLock,
    lease: locks.lease,
    async close() {
      await locks.settled();
      await db.close();
    },
  };
}
