/**
 * The report log in PostgreSQL (`DATABASE_URL`): what every oracle process ingests lands in one
 * partitioned table (`report_log`, migrations/003-report-log.sql), one partition per hour of receive
 * time, so the single verifier reads what all ingest processes wrote. A batch is one INSERT of arrays
 * (`unnest`), committed before ingest acknowledges; retiring drops whole partitions.
 */
import type { Sql } from '../sql.ts';
import { compareReports, type LoggedReport, type ReportLog } from './report-log.ts';

export const PARTITION_MS = 3_600_000;
const partitionStart = (ms: number) => Math.floor(ms / PARTITION_MS) * PARTITION_MS;
const partitionName = (start: number) => `report_log_p${start}`;

export function openPostgresLog(sql: Sql): ReportLog {
  const known = new Set<number>();

  async function ensurePartition(start: number): Promise<void> {
    if (known.has(start)) return;
    try {
      await sql.query(`CREATE TABLE IF NOT EXISTS ${partitionName(start)} PARTITION OF report_log FOR VALUES FROM (${start}) TO (${start + PARTITION_MS})`);
    } catch (err) {
      // another process created it between our check and our CREATE
      const exists = await sql.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [partitionName(start)]);
      if (!exists.rows[0].ok) throw err;
    }
    known.add(start);
  }

  return {
    kind: 'postgres',
    async append(reports) {
      if (reports.length === 0) return;
      for (const start of new Set(reports.map((r) => partitionStart(r.receivedAtMs)))) await ensurePartition(start);
      await sql.query(
        `INSERT INTO report_log (received_at_ms, kind, hotspot, data_hex, challenge_id, report)
         SELECT * FROM unnest($1::bigint[], $2::char(1)[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        [
          reports.map((r) => r.receivedAtMs),
          reports.map((r) => (r.kind === 'beacon' ? 'b' : 'w')),
          reports.map((r) => r.hotspot),
          reports.map((r) => r.dataHex),
          reports.map((r) => r.challengeId),
          reports.map((r) => r.raw),
        ],
      );
    },
    async read(fromMs, toMs) {
      const { rows } = await sql.query<{ received_at_ms: number; kind: string; hotspot: string; data_hex: string; challenge_id: string | null; report: string }>(
        'SELECT received_at_ms, kind, hotspot, data_hex, challenge_id, report FROM report_log WHERE received_at_ms >= $1 AND received_at_ms < $2',
        [fromMs, toMs],
      );
      return rows
        .map((r): LoggedReport => ({ kind: r.kind === 'b' ? 'beacon' : 'witness', receivedAtMs: r.received_at_ms, hotspot: r.hotspot, dataHex: r.data_hex, challengeId: r.challenge_id, raw: r.report }))
        .sort(compareReports);
    },
    async retire(beforeMs) {
      const { rows } = await sql.query<{ name: string }>(
        "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('report_log')",
      );
      let n = 0;
      for (const { name } of rows) {
        const start = Number(/^report_log_p(\d+)$/.exec(name)?.[1] ?? NaN);
        if (!Number.isFinite(start) || start + PARTITION_MS > beforeMs) continue;
        await sql.query(`DROP TABLE IF EXISTS ${name}`);
        known.delete(start);
        n++;
      }
      return n;
    },
    async close() {
      known.clear();
    },
  };
}
