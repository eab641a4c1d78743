/**
 * Numbered migrations: every `migrations/NNN-name.sql` not yet recorded in `schema_migrations` is
 * applied in name order, each in its own transaction, under the migrate advisory lock (several oracle
 * processes on one PostgreSQL may start together).
 */
import { readdir, readFile } from 'node:fs/promises';
import { LOCKS, type Sql } from './sql.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Split a migration file into statements (no dollar-quoted bodies in our migrations). */
function statements(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Apply pending migrations; returns the names applied now. */
export async function migrate(sql: Sql, dir: URL = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+-.*\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const r = await sql.withAdvisoryLock(LOCKS.migrate, async () => {
      await sql.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY)');
      const done = new Set((await sql.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      for (const f of files) {
        if (done.has(f)) continue;
        const text = await readFile(new URL(f, dir), 'utf8');
        await sql.transaction(async (tx) => {
          for (const s of statements(text)) await tx.query(s);
          await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [f]);
        });
        applied.push(f);
      }
    });
    if (r.acquired) return applied;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('could not take the migration lock');
}
