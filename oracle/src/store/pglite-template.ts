/**
 * A fresh PGlite cluster without the initdb. Opening an empty data directory runs PostgreSQL's initdb in
 * WebAssembly (2–4 s on a quiet machine, specs/stack.md; minutes on a loaded one), and every oracle start
 * in memory, every test and every simulator fast run pays it. The cluster initdb writes is the same every
 * time for one PGlite build, so it is made once, dumped with `dumpDataDir`, and later clusters load that
 * tarball (`loadDataDir`, the same path PGlite's own `clone()` takes). The dump is kept in the process
 * and in the system's temporary directory, keyed by the PGlite version and a hash of its WebAssembly, so
 * the next process skips initdb too. The compiled WebAssembly module is shared within a process.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const require = createRequire(import.meta.url);

const readWasm = () => readFile(require.resolve('@electric-sql/pglite/pglite.wasm'));
let bytes: ReturnType<typeof readWasm> | undefined;
let wasm: Promise<WebAssembly.Module> | undefined;
let template: Promise<Blob> | undefined;

/** PGlite's WebAssembly file, read once per process (compiled below, hashed for the template's key). */
function wasmBytes(): ReturnType<typeof readWasm> {
  bytes ??= readWasm();
  return bytes;
}

/** PGlite's WebAssembly, compiled once per process. */
export function pgliteWasmModule(): Promise<WebAssembly.Module> {
  wasm ??= wasmBytes().then((b) => WebAssembly.compile(b));
  return wasm;
}

/** Where the dumped fresh cluster of this PGlite build is kept between processes. */
async function templatePath(): Promise<string> {
  const pkgJson = path.join(path.dirname(require.resolve('@electric-sql/pglite/pglite.wasm')), '..', 'package.json');
  const version = JSON.parse(await readFile(pkgJson, 'utf8')).version as string;
  const key = createHash('sha256').update(version).update(await wasmBytes()).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `hexium-pglite-${version}-${key}.tar`);
}

async function makeTemplate(): Promise<Blob> {
  const file = await templatePath();
  try {
    return new Blob([new Uint8Array(await readFile(file))]);
  } catch {
    // not made yet on this machine: run initdb once
  }
  const db = await PGlite.create({ pgliteWasmModule: await pgliteWasmModule() });
  const dump = await db.dumpDataDir('none');
  await db.close();
  // write beside and rename: a process reading the file never sees half of it
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file);
  } catch {
    // a read-only temporary directory only costs the next process its initdb
  }
  return dump;
}

/** The dumped fresh cluster (made on first use, then shared). */
export function freshClusterTarball(): Promise<Blob> {
  template ??= makeTemplate().catch((err) => {
    template = undefined;
    throw err;
  });
  return template;
}
