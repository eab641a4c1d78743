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

/** `yieldEachStatement`: PGlite gives the event loop a turn before each statement (live servers only). */
export async function openStore(cfg: StoreConfig, opts: { yieldEachStatement?: boolean } = {}): Promise<Sql> {
  let sql: Sql;
  if (cfg.databaseUrl) {
    const { openPostgres } = await import('./postgres-sql.ts');
    sql = await openPostgres(cfg.databaseUrl);
  } else {
    const { openPglite } = await import('./pglite-sql.ts');
    let dir = 'memory://';
    if (cfg.dataDir !== 'memory://') {
      dir = path.join(cfg.dataDir, 'pglite');
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
    sql = await openPglite(dir, opts);
  }
  await migrate(sql);
  return sql;
}
