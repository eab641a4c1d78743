/**
 * The report-log contract (STYLE.md §6): the same suite on the memory log, the segment-file log and —
 * when TEST_DATABASE_URL is set (CI) — the PostgreSQL log in a schema of its own. Then what only files
 * face: a damaged record and a record cut short by a crash, found with file and offset and skipped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, appendFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore } from '../src/store/open-store.ts';
import type { Sql } from '../src/store/sql.ts';
import { openMemoryLog } from '../src/store/report-log/memory-log.ts';
import { openFileLog } from '../src/store/report-log/file-log.ts';
import { openPostgresLog } from '../src/store/report-log/postgres-log.ts';
import type { LogDamage, LoggedReport, ReportLog } from '../src/store/report-log/report-log.ts';

const T = 1_700_000_000_000; // a whole minute and a whole hour: segment and partition boundaries fall on T + k·60 000 / 3 600 000
const report = (kind: 'beacon' | 'witness', atMs: number, hotspot: string, dataHex = 'aa'): LoggedReport => ({
  kind, receivedAtMs: atMs, hotspot, dataHex, challengeId: kind === 'beacon' && hotspot === 'h1' ? 'c-1' : null,
  raw: JSON.stringify({ v: 1, hotspot, dataHex, note: 'tab\there, newline\nthere, "HXR1" inside' }),
});

interface Adapter {
  name: string;
  open(): Promise<{ log: ReportLog; reopen: (() => Promise<ReportLog>) | null; cleanup: () => Promise<void> }>;
}
const tmpDirs: string[] = [];
const adapters: Adapter[] = [
  { name: 'memory', open: async () => ({ log: openMemoryLog(), reopen: null, cleanup: async () => undefined }) },
  {
    name: 'files',
    open: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'hexium-log-'));
      tmpDirs.push(dir);
      return { log: await openFileLog({ dir }), reopen: () => openFileLog({ dir }), cleanup: async () => undefined };
    },
  },
];
const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  adapters.push({
    name: 'postgres',
    open: async () => {
      const schema = `log_contract_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(pgUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const sqls: Sql[] = [await openStore({ databaseUrl: url.toString(), dataDir: 'memory://' })];
      return {
        log: openPostgresLog(sqls[0]),
        reopen: async () => {
          sqls.push(await openStore({ databaseUrl: url.toString(), dataDir: 'memory://' }));
          return openPostgresLog(sqls[sqls.length - 1]);
        },
        cleanup: async () => {
          for (const s of sqls) await s.close();
          await admin.query(`DROP SCHEMA ${schema} CASCADE`);
          await admin.end();
        },
      };
    },
  });
}
afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

describe.each(adapters)('report log contract ($name)', (adapter) => {
  it('reads a receive-time window back in report order, across segments and partitions', async () => {
    const { log, cleanup } = await adapter.open();
    try {
      // appended out of order, in two batches, spanning a minute and an hour boundary
      await log.append([report('witness', T + 3_600_000 + 5, 'h3'), report('witness', T + 10, 'h2'), report('beacon', T + 10, 'h9')]);
      await log.append([report('beacon', T + 10, 'h1'), report('witness', T + 59_999, 'h1'), report('witness', T + 60_000, 'h1'), report('witness', T - 1, 'h0')]);
      const all = await log.read(T, T + 3_600_006);
      // by hand: receive time, then beacons before witnesses, then hotspot
      expect(all.map((r) => `${r.receivedAtMs - T}:${r.kind}:${r.hotspot}`)).toEqual([
        '10:beacon:h1', '10:beacon:h9', '10:witness:h2', '59999:witness:h1', '60000:witness:h1', '3600005:witness:h3',
      ]);
      expect(all[0]).toEqual(report('beacon', T + 10, 'h1'));
      expect((await log.read(T + 11, T + 60_000)).map((r) => r.receivedAtMs - T)).toEqual([59_999]);
      expect(await log.read(T + 60_001, T + 3_600_005)).toEqual([]);
    } finally {
      await log.close();
      await cleanup();
    }
  });

  it('retires only whole segments before the given time', async () => {
    const { log, cleanup } = await adapter.open();
    try {
      await log.append([report('beacon', T - 3_600_000, 'old'), report('beacon', T + 1, 'a'), report('beacon', T + 7_200_000, 'b')]);
      const dropped = await log.retire(T + 1);
      expect(dropped).toBeGreaterThanOrEqual(1);
      const left = await log.read(0, Number.MAX_SAFE_INTEGER);
      // the segment holding T + 1 is not wholly before T + 1: it stays
      expect(left.map((r) => r.hotspot)).toEqual(['a', 'b']);
    } finally {
      await log.close();
      await cleanup();
    }
  });

  it('keeps what was appended across a reopen (durable logs)', async () => {
    const { log, reopen, cleanup } = await adapter.open();
    try {
      await log.append([report('beacon', T + 5, 'h1'), report('witness', T + 6, 'h2')]);
      await log.close();
      if (!reopen) return; // the memory log keeps nothing by design
      const again = await reopen();
      expect((await again.read(T, T + 7)).map((r) => r.hotspot)).toEqual(['h1', 'h2']);
      await again.append([report('witness', T + 7, 'h3')]);
      expect((await again.read(T, T + 8)).map((r) => r.hotspot)).toEqual(['h1', 'h2', 'h3']);
      await again.close();
      // appending to a segment from before the reopen with no read first: the old records are still read
      const third = await reopen();
      await third.append([report('witness', T + 8, 'h4')]);
      expect((await third.read(T, T + 9)).map((r) => r.hotspot)).toEqual(['h1', 'h2', 'h3', 'h4']);
      await third.close();
    } finally {
      await cleanup();
    }
  });

  it('a read racing an append sees the batch whole or not at all, and never twice', async () => {
    const { log, cleanup } = await adapter.open();
    try {
      for (let i = 0; i < 20; i++) {
        const window = [T + 100 * i, T + 100 * i + 100] as const;
        const racing = log.read(...window);
        await log.append([report('witness', T + 100 * i + 50, `w${i}`), report('witness', T + 100 * i + 60, `x${i}`)]);
        expect([[], [`w${i}`, `x${i}`]]).toContainEqual((await racing).map((r) => r.hotspot));
        expect((await log.read(...window)).map((r) => r.hotspot)).toEqual([`w${i}`, `x${i}`]);
      }
      // a report stamped inside an earlier window, appended later: that window now holds it, in order
      await log.append([report('witness', T + 1_955, 'late')]);
      expect((await log.read(T + 1_900, T + 2_000)).map((r) => r.hotspot)).toEqual(['w19', 'late', 'x19']);
      expect((await log.read(T, T + 2_000)).length).toBe(41);
    } finally {
      await log.close();
      await cleanup();
    }
  });
});

describe('report log files: damage is found, reported with file and offset, and skipped', () => {
  it('a damaged record in the middle is skipped; the records around it are read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hexium-log-'));
    tmpDirs.push(dir);
    const log = await openFileLog({ dir });
    const rs = [report('witness', T + 1, 'h1'), report('witness', T + 2, 'h2'), report('witness', T + 3, 'h3')];
    await log.append(rs);
    await log.close();
    const [file] = (await readdir(dir)).map((f) => path.join(dir, f));
    const bytes = await readFile(file);
    // the second record starts after the first: 12 header bytes + its body
    const firstLen = bytes.readUInt32BE(4);
    const second = 12 + firstLen;
    bytes[second + 12 + 3] ^= 0xff; // flip a byte of the second record's body
    await writeFile(file, bytes);
    const damage: LogDamage[] = [];
    const again = await openFileLog({ dir, onDamage: (x) => damage.push(x) });
    const read = await again.read(T, T + 10);
    expect(read.map((r) => r.hotspot)).toEqual(['h1', 'h3']);
    expect(damage).toContainEqual({ where: file, offset: second, reason: 'bad_checksum' });
    await again.close();
  });

  it('a record cut short by a crash is reported as truncated, cut off, and appends continue', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hexium-log-'));
    tmpDirs.push(dir);
    const log = await openFileLog({ dir });
    await log.append([report('beacon', T + 1, 'h1')]);
    await log.close();
    const [file] = (await readdir(dir)).map((f) => path.join(dir, f));
    const whole = (await readFile(file)).length;
    await appendFile(file, Buffer.from('HXR1\u0000\u0000\u0001\u0000abc', 'latin1')); // a header promising 256 bytes, 3 written
    const damage: LogDamage[] = [];
    const again = await openFileLog({ dir, onDamage: (x) => damage.push(x) });
    expect(damage).toEqual([{ where: file, offset: whole, reason: 'truncated' }]);
    expect((await readFile(file)).length).toBe(whole);
    await again.append([report('witness', T + 2, 'h2')]);
    expect((await again.read(T, T + 3)).map((r) => r.hotspot)).toEqual(['h1', 'h2']);
    await again.close();
  });
});
