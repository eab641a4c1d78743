/**
 * PGlite in a worker thread: a PostgreSQL error keeps its fields across the thread boundary, a failed
 * transaction leaves nothing behind, and a data directory that cannot be opened is an error (its worker
 * stopped), not a hang. The contract suites cover the rest (oracle/test/helpers/contract-stores.ts).
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPgliteWorker } from './pglite-worker-sql.ts';

describe('PGlite in a worker thread', () => {
  it('passes PostgreSQL errors with their SQLSTATE and rolls a failed transaction back', async () => {
    const sql = await openPgliteWorker('memory://');
    try {
      await sql.query('CREATE TABLE t (k text PRIMARY KEY)');
      await sql.query('INSERT INTO t VALUES ($1)', ['a']);
      // 23505 = unique_violation (PostgreSQL Appendix A, error codes)
      await expect(sql.query('INSERT INTO t VALUES ($1)', ['a'])).rejects.toMatchObject({ code: '23505' });
      await expect(
        sql.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES ($1)', ['b']);
          throw new Error('abandon');
        }),
      ).rejects.toThrow('abandon');
      const r = await sql.query<{ k: string }>('SELECT k FROM t ORDER BY k');
      expect(r.rows.map((x) => x.k)).toEqual(['a']); // 'b' was rolled back
    } finally {
      await sql.close();
    }
  });

  it('refuses a data directory that is not a PostgreSQL cluster', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hexium-pglite-worker-'));
    try {
      // PG_VERSION present (so no fresh cluster is loaded) but nothing else: PGlite cannot start on it
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'PG_VERSION'), 'not a version\n');
      await expect(openPgliteWorker(dir)).rejects.toBeInstanceOf(Error);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
