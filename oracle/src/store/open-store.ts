/** Open the configured store (PostgreSQL when a URL is given, else PGlite) and bring its schema up to date. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { migrate } from './migrate.ts';
import type { Sql } from './sql.ts';

export interface StoreConfig {
  /** `postgres://…` to use PostgreSQL; null for embedded PGlite. */
  databaseUrl: string | null;
  /** Data directory (PGlite lives in `<dataDir>/pglite`), or `memory://`. */
  dataDir: string;
}

/**
 * `pgliteThread: 'worker'` runs PGlite in a worker thread (pglite-worker-sql.ts): live servers, so
 * statements never hold the event loop. `'main'` (default) runs it on this thread, where its answers come
 * back as microtasks: on a virtual clock (fast mode, harness) no socket callback can land between two
 * statements, so where the I/O falls never depends on timing.
 */
export async function openStore(cfg: StoreConfig, opts: { pgliteThread?: 'main' | 'worker' } = {}): Promise<Sql> {
  let sql: Sql;
  if (cfg.databaseUrl) {
    const { openPostgres } = await import('./postgres-sql.ts');
    sql = await openPostgres(cfg.databaseUrl);
  } else {
    let dir = 'memory://';
    if (cfg.dataDir !== 'memory://') {
      dir = path.join(cfg.dataDir, 'pglite');
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
    if (opts.pgliteThread === 'worker') {
      const { openPgliteWorker } = await import('./pglite-worker-sql.ts');
      sql = await openPgliteWorker(dir);
    } else {
      const { openPglite } = await import('./pglite-sql.ts');
      sql = await openPglite(dir);
    }
  }
  await migrate(sql);
  return sql;
}
