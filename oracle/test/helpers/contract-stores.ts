/**
 * The SQL stores a store-module contract suite runs on (STYLE.md §6): PGlite always (`memory://`, from
 * the PGlite template, so start-up is cheap) on the test's thread and in a worker thread (as a live
 * oracle runs it), and PostgreSQL when TEST_DATABASE_URL is set (CI), in a
 * schema of its own that `cleanup` drops.
 */
import pg from 'pg';
import { openStore } from '../../src/store/open-store.ts';
import type { Sql } from '../../src/store/sql.ts';

export interface ContractStore {
  name: 'pglite' | 'pglite-worker' | 'postgres';
  open(): Promise<{ sql: Sql; cleanup: () => Promise<void> }>;
}

export function contractStores(prefix: string): ContractStore[] {
  const stores: ContractStore[] = [
    { name: 'pglite', open: async () => ({ sql: await openStore({ databaseUrl: null, dataDir: 'memory://' }), cleanup: async () => undefined }) },
    {
      name: 'pglite-worker',
      open: async () => ({ sql: await openStore({ databaseUrl: null, dataDir: 'memory://' }, { pgliteThread: 'worker' }), cleanup: async () => undefined }),
    },
  ];
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    stores.push({
      name: 'postgres',
      open: async () => {
        const schema = `${prefix}_${process.pid}_${Date.now()}`;
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        const url = new URL(pgUrl);
        url.searchParams.set('options', `-c search_path=${schema}`);
        const sql = await openStore({ databaseUrl: url.toString(), dataDir: 'memory://' });
        return {
          sql,
          cleanup: async () => {
            await admin.query(`DROP SCHEMA ${schema} CASCADE`);
            await admin.end();
          },
        };
      },
    });
  }
  return stores;
}
