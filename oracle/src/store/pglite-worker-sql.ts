/**
 * PGlite in a worker thread, behind the {@link Sql} port. PGlite runs each statement synchronously on the
 * thread that calls it, so in the oracle's own thread a burst of statements (a verifier chunk, an epoch
 * payment, a bulk onboarding) holds the event loop for as long as it runs: no socket is read, no report
 * stamped or acknowledged meanwhile. In a worker thread the statements run on the other core and the
 * oracle's event loop only waits for their answers (docs/architecture.md "What runs where").
 *
 * Same semantics as the in-thread adapter (pglite-sql.ts) and PGlite itself: statements run one at a time
 * in the order they were sent; a transaction holds off other transactions, not single statements (as in
 * PGlite, a statement sent outside the transaction while it is open runs inside it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { freshClusterTarball, pgliteWasmModule } from './pglite-template.ts';
import type { Sql, SqlQuery, SqlResult } from './sql.ts';
import { inProcessLocks } from './in-process-locks.ts';

interface Reply {
  id: number;
  rows?: unknown[];
  rowCount?: number;
  ok?: true;
  error?: { message: string; name?: string } & Record<string, unknown>;
}

/** The worker's error as an Error again, with PostgreSQL's fields (`code`, `constraint`…). */
function toError(e: NonNullable<Reply['error']>): Error {
  const err = new Error(e.message);
  for (const [k, v] of Object.entries(e)) if (k !== 'message') (err as unknown as Record<string, unknown>)[k] = v;
  return err;
}

export async function openPgliteWorker(dir: string): Promise<Sql> {
  const memory = dir === 'memory://';
  const fresh = memory || !existsSync(path.join(dir, 'PG_VERSION'));
  const template = fresh ? new Uint8Array(await (await freshClusterTarball()).arrayBuffer()) : null;
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: memory ? null : dir, wasm: await pgliteWasmModule(), template },
    transferList: template ? [template.buffer as ArrayBuffer] : [],
  });
  let seq = 0;
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let failed: Error | null = null;
  const fail = (e: Error) => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (r: Reply) => {
    const w = waiting.get(r.id);
    waiting.delete(r.id);
    if (!w) return;
    if (r.error) w.reject(toError(r.error));
    else w.resolve(r);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`PGlite worker exited (code ${code})`)));

  const request = (m: Record<string, unknown>, id = ++seq): Promise<Reply> =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.set(id, { resolve, reject });
      if (id !== 0) worker.postMessage({ ...m, id });
    });
  try {
    await request({}, 0); // opened, or the reason it could not open
  } catch (err) {
    worker.removeAllListeners('exit');
    await worker.terminate();
    throw err;
  }

  const run = async <T>(text: string, params?: unknown[]): Promise<SqlResult<T>> => {
    const r = await request({ text, params });
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  };
  const statement: SqlQuery = { query: run };

  let transactions: Promise<unknown> = Promise.resolve();
  const locks = inProcessLocks();
  return {
    kind: 'pglite',
    query: run,
    transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T> {
      const t = transactions.then(async () => {
        await run('BEGIN');
        let value: T;
        try {
          value = await fn(statement);
        } catch (err) {
          await run('ROLLBACK').catch(() => undefined);
          throw err;
        }
        await run('COMMIT');
        return value;
      });
      transactions = t.catch(() => undefined);
      return t;
    },
    withAdvisoryLock: locks.withAdvisoryLock,
    lease: locks.lease,
    async close() {
      await locks.settled();
      await transactions;
      if (!failed) await request({ op: 'close' }).catch(() => undefined);
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
