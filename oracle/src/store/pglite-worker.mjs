// PGlite in a worker thread (pglite-worker-sql.ts is the other end). Plain ESM with no project imports,
// so it needs no TypeScript loader. Requests run one at a time in arrival order; each is answered with
// its id. workerData: { dataDir (null = memory), wasm (compiled module), template (a fresh cluster's
// tarball bytes, or null to open an existing directory) }.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';

const { dataDir, wasm, template } = workerData;
let db;
const opened = PGlite.create({
  dataDir: dataDir ?? undefined,
  // int8 as a JS number (ms timestamps fit in 2^53), as the in-thread adapter does
  parsers: { [types.INT8]: (v) => Number(v) },
  pgliteWasmModule: wasm,
  loadDataDir: template ? new Blob([template]) : undefined,
}).then(
  (d) => {
    db = d;
    parentPort.postMessage({ id: 0, ok: true });
  },
  (err) => parentPort.postMessage({ id: 0, error: describe(err) }),
);

/** An error as plain data (PostgreSQL's fields kept: code, detail, constraint…). */
function describe(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const out = { message: e.message, name: e.name };
  for (const k of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'severity', 'position']) if (e[k] !== undefined) out[k] = e[k];
  return out;
}

let chain = opened;
parentPort.on('message', (m) => {
  chain = chain.then(async () => {
    if (m.op === 'close') {
      await db?.close();
      parentPort.postMessage({ id: m.id, ok: true });
      return;
    }
    try {
      const r = await db.query(m.text, m.params);
      parentPort.postMessage({ id: m.id, rows: r.rows, rowCount: r.affectedRows ?? 0 });
    } catch (err) {
      parentPort.postMessage({ id: m.id, error: describe(err) });
    }
  });
});
