/** Open the report log that goes with the store: PostgreSQL's when a URL is given, else files or memory. */
import path from 'node:path';
import type { Sql } from '../sql.ts';
import type { LogDamage, ReportLog } from './report-log.ts';
import { openFileLog } from './file-log.ts';
import { openMemoryLog } from './memory-log.ts';
import { openPostgresLog } from './postgres-log.ts';

export async function openReportLog(o: { sql: Sql; dataDir: string; onDamage?: (d: LogDamage) => void }): Promise<ReportLog> {
  if (o.sql.kind === 'postgres') return openPostgresLog(o.sql);
  if (o.dataDir === 'memory://') return openMemoryLog();
  return openFileLog({ dir: path.join(o.dataDir, 'reports'), onDamage: o.onDamage });
}
