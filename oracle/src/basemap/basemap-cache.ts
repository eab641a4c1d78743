/**
 * The basemap's cache on disk: one directory per version, shared by every oracle on the machine (not per
 * `--data-dir`: each test's fresh data directory must not rebuild it).
 *
 *   <dir>/<version>/manifest.json   format, source package, builder, zooms, every file with size and SHA-256
 *   <dir>/<version>/t/<z>-<x>-<y>.mvt  the encoded low-zoom tiles
 *   <dir>/<version>/b/<x>-<y>.json.gz  the buckets the deeper tiles are cut from (basemap-tiles.ts `Bucket`, gzip JSON)
 *   <dir>/<version>.lock             the build in progress: `{ pid }` of the process building it
 *
 * `<version>` names the source package, its version, the source file's size and the builder version, so a
 * new package or a changed builder is a new directory and the stale one is removed after the build. A
 * build writes into `<dir>/.tmp-<version>-<pid>-<random>/`, writes the manifest last and renames the
 * directory into place (rename(2) is atomic): a reader sees a whole cache or none, a kill mid-build leaves
 * only a temporary directory (removed by the next build). A file whose size or hash differs from the
 * manifest is a corrupt cache: the reader says so and the caller rebuilds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASEMAP_MAX_ZOOM, BUCKET_ZOOM } from './basemap-tiles.ts';

/** Bump when the builder's output changes: caches of other builder versions are rebuilt. */
export const BUILDER_VERSION = 3;
const MANIFEST_FORMAT = 1;

export interface SourceInfo {
  /** The GeoJSON file of land polygons. */
  file: string;
  /** npm package name and version it came from. */
  name: string;
  version: string;
  bytes: number;
}

export interface FileEntry {
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: number;
  version: string;
  source: { name: string; version: string; bytes: number };
  builderVersion: number;
  bucketZoom: number;
  maxZoom: number;
  /** Relative path → size and hash, sorted by path. */
  files: Record<string, FileEntry>;
  /** How the build went on the machine that built it. */
  build: { wallMs: number; cpuMs: number; peakRssBytes: number };
}

/** The source package of a GeoJSON file inside `node_modules/<name>/` (its package.json beside it). */
export function readSourceInfo(file: string): SourceInfo {
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(file), 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string') throw new Error(`${file}: the package.json beside it has no name or version`);
  return { file, name: pkg.name, version: pkg.version, bytes: statSync(file).size };
}

/** The cache directory name of a source: package, version, size and builder version. */
export function cacheVersion(source: SourceInfo): string {
  return `${source.name.replace(/^@/, '').replace(/[^a-zA-Z0-9.-]+/g, '-')}-${source.version}-${source.bytes}-b${BUILDER_VERSION}`;
}

export const tileFile = (z: number, x: number, y: number) => `t/${z}-${x}-${y}.mvt`;
export const bucketFile = (x: number, y: number) => `b/${x}-${y}.json.gz`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes one cache version into a temporary directory, then renames it into place. */
export class CacheWriter {
  readonly tmpDir: string;
  private readonly files: Record<string, FileEntry> = {};

  constructor(
    readonly dir: string,
    readonly source: SourceInfo,
  ) {
    mkdirSync(dir, { recursive: true });
    this.tmpDir = path.join(dir, `.tmp-${cacheVersion(source)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(path.join(this.tmpDir, 't'), { recursive: true });
    mkdirSync(path.join(this.tmpDir, 'b'), { recursive: true });
  }

  add(rel: string, bytes: Uint8Array): void {
    writeFileSync(path.join(this.tmpDir, rel), bytes);
    this.files[rel] = { bytes: bytes.length, sha256: sha256(bytes) };
  }

  /** Writes the manifest and renames the directory into place; false when another process got there first. */
  commit(build: Manifest['build']): boolean {
    const version = cacheVersion(this.source);
    const files = Object.fromEntries(Object.entries(this.files).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version,
      source: { name: this.source.name, version: this.source.version, bytes: this.source.bytes },
      builderVersion: BUILDER_VERSION,
      bucketZoom: BUCKET_ZOOM,
      maxZoom: BASEMAP_MAX_ZOOM,
      files,
      build,
    };
    writeFileSync(path.join(this.tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    const final = path.join(this.dir, version);
    // A directory left there without a valid manifest is a corrupt cache: out of the way first.
    if (existsSync(final) && !openCache(this.dir, version)) rmSync(final, { recursive: true, force: true });
    try {
      renameSync(this.tmpDir, final);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      this.abort();
      return false;
    }
    return true;
  }

  abort(): void {
    rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

/** A cache file whose size or hash is not the manifest's. */
export class CorruptCacheError extends Error {
  override name = 'CorruptCacheError';
}

/** A complete cache version, read file by file; every file checked against its manifest entry when read. */
export class CacheReader {
  constructor(
    readonly root: string,
    readonly manifest: Manifest,
  ) {}

  has(rel: string): boolean {
    return Object.hasOwn(this.manifest.files, rel);
  }

  /** The file's bytes; CorruptCacheError when they are not what the manifest says. */
  read(rel: string): Buffer {
    const entry = this.manifest.files[rel];
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(this.root, rel));
    } catch (e) {
      throw new CorruptCacheError(`${rel}: ${(e as Error).message}`);
    }
    if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) throw new CorruptCacheError(`${rel}: size or SHA-256 differs from the manifest`);
    return bytes;
  }
}

/** The cache version in `dir` when it is complete (manifest valid, every file present at its size), else null. */
export function openCache(dir: string, version: string): CacheReader | null {
  const root = path.join(dir, version);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
  if (manifest?.format !== MANIFEST_FORMAT || manifest.version !== version || manifest.builderVersion !== BUILDER_VERSION) return null;
  if (manifest.bucketZoom !== BUCKET_ZOOM || manifest.maxZoom !== BASEMAP_MAX_ZOOM || typeof manifest.files !== 'object' || manifest.files === null) return null;
  for (const [rel, entry] of Object.entries(manifest.files)) {
    try {
      if (statSync(path.join(root, rel)).size !== entry.bytes) return null;
    } catch {
      return null;
    }
  }
  return new CacheReader(root, manifest);
}

/** Removes a cache version (found corrupt) so the next build replaces it. */
export function removeCache(dir: string, version: string): void {
  rmSync(path.join(dir, version), { recursive: true, force: true });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the build lock of a version (an exclusively created file naming this process). True: this process
 * builds. False: a live process holds it. A lock whose process is gone (killed mid-build) is taken over.
 */
export function acquireBuildLock(dir: string, version: string): boolean {
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, `${version}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: number | null = null;
    try {
      const pid = (JSON.parse(readFileSync(lock, 'utf8')) as { pid?: unknown }).pid;
      if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) holder = pid;
    } catch {
      // unreadable: a writer killed between create and write, or garbage; stale either way
    }
    if (holder !== null && pidAlive(holder)) return false;
    rmSync(lock, { force: true });
  }
  return false;
}

export function releaseBuildLock(dir: string, version: string): void {
  rmSync(path.join(dir, `${version}.lock`), { force: true });
}

/** Removes temporary directories of builds whose process is gone, and other versions' caches. */
export function removeStale(dir: string, keepVersion: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names.sort()) {
    const tmp = /^\.tmp-.*-(\d+)-[0-9a-f]{8}$/.exec(name);
    if (tmp) {
      if (!pidAlive(Number(tmp[1]))) rmSync(path.join(dir, name), { recursive: true, force: true });
    } else if (name !== keepVersion && !name.endsWith('.lock') && existsSync(path.join(dir, name, 'manifest.json'))) {
      rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  }
}
