/**
 * The basemap cache, service and routes on the hand-made fixture (fixtures/basemap-tiny: countries AAA
 * [0,2]×[0,2] and BBB [2,4]×[0,2], island CCC [10,11]×[10,11] with a lake; tile addresses worked out in
 * oracle/src/basemap/basemap-tiles.test.ts). Builds run the same code path as the 10 m build — in this
 * process (buildBasemap) or in the child process the oracle starts (build-main.ts) — on a temporary cache
 * directory; the 10 m pyramid is checked in test/system/basemap-real.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { BUILDER_VERSION, acquireBuildLock, bucketFile, cacheVersion, openCache, readSourceInfo, releaseBuildLock, type Manifest } from '../src/basemap/basemap-cache.ts';
import { buildBasemap } from '../src/basemap/build-basemap.ts';
import { BasemapService } from '../src/basemap/basemap-service.ts';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { decodeTile, insideLayer } from './helpers/mvt.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/basemap-tiny/map.geo.json', import.meta.url));
const source = readSourceInfo(FIXTURE);
const version = cacheVersion(source);
const tmpDirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'hexium-basemap-'));
  tmpDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

/** The pid of a process that has exited (a builder killed mid-build). */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => p.on('exit', r));
  return p.pid!;
}

const service = (dir: string, build: 'start' | 'request' | 'off') => new BasemapService({ dir, sourceFile: FIXTURE, fallbackFile: FIXTURE, build });

describe('cache versions', () => {
  it('names the source package, its version and size, and the builder version', () => {
    // package.json beside the fixture: hexium-basemap-tiny-fixture 1.0.0
    expect(version).toBe(`hexium-basemap-tiny-fixture-1.0.0-${source.bytes}-b${BUILDER_VERSION}`);
    expect(cacheVersion({ ...source, version: '1.0.1' })).not.toBe(version);
    expect(cacheVersion({ ...source, bytes: source.bytes + 1 })).not.toBe(version);
  });

  it('builds once, then finds the cache; a cache of another version is removed by the next build', () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, 'old-version'));
    writeFileSync(path.join(dir, 'old-version', 'manifest.json'), '{}');
    expect(buildBasemap(dir, source).outcome).toBe('built');
    expect(buildBasemap(dir, source).outcome).toBe('exists');
    expect(readdirSync(dir).sort()).toEqual([version]);
    const manifest = JSON.parse(readFileSync(path.join(dir, version, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({ format: 1, version, builderVersion: BUILDER_VERSION, bucketZoom: 7, maxZoom: 14, source: { name: 'hexium-basemap-tiny-fixture', version: '1.0.0' } });
    // CCC at z7: x = 190/360·128 = 67.56 and 191/360·128 = 67.91 → bucket column 67 only
    expect(Object.keys(manifest.files).some((f) => f.startsWith('b/67-'))).toBe(true);
  });

  it('does not take a cache written by another builder version', () => {
    const dir = freshDir();
    buildBasemap(dir, source);
    const file = path.join(dir, version, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    writeFileSync(file, JSON.stringify({ ...m, builderVersion: BUILDER_VERSION + 1 }));
    expect(openCache(dir, version)).toBeNull();
  });
});

describe('atomic writes and the build lock', () => {
  it('leaves no cache when a build is killed before its rename, and the next build cleans up and completes', async () => {
    const dir = freshDir();
    const pid = await deadPid();
    // what a builder killed mid-build leaves: its temporary directory without a manifest, and its lock
    mkdirSync(path.join(dir, `.tmp-${version}-${pid}-0badc0de`, 'b'), { recursive: true });
    writeFileSync(path.join(dir, `${version}.lock`), JSON.stringify({ pid }));
    expect(openCache(dir, version)).toBeNull();
    expect(buildBasemap(dir, source).outcome).toBe('built');
    expect(readdirSync(dir).sort()).toEqual([version]);
  });

  it('waits while a live process holds the lock', () => {
    const dir = freshDir();
    expect(acquireBuildLock(dir, version)).toBe(true); // this test process holds it
    expect(buildBasemap(dir, source).outcome).toBe('busy');
    releaseBuildLock(dir, version);
    expect(buildBasemap(dir, source).outcome).toBe('built');
  });

  it('two builder processes started together leave one whole cache', async () => {
    const dir = freshDir();
    const main = fileURLToPath(new URL('../src/basemap/build-main.ts', import.meta.url));
    const run = () => new Promise<number | null>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', main, '--source', FIXTURE, '--dir', dir], { stdio: 'ignore' });
      p.on('exit', (code) => resolve(code));
    });
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);
    expect(readdirSync(dir).sort()).toEqual([version]);
    expect(openCache(dir, version)).not.toBeNull();
  });

  it('finds a truncated file and a missing manifest', () => {
    const dir = freshDir();
    buildBasemap(dir, source);
    const cache = openCache(dir, version)!;
    const rel = Object.keys(cache.manifest.files).find((f) => f.startsWith('b/'))!;
    writeFileSync(path.join(dir, version, rel), readFileSync(path.join(dir, version, rel)).subarray(0, 10));
    expect(openCache(dir, version)).toBeNull();
    rmSync(path.join(dir, version, 'manifest.json'));
    expect(openCache(dir, version)).toBeNull();
    // a build puts a whole cache in place of the broken one
    expect(buildBasemap(dir, source).outcome).toBe('built');
    expect(openCache(dir, version)).not.toBeNull();
  });
});

describe('the service', () => {
  it('serves the coarse basemap while the child process builds, then the detailed one', async () => {
    const dir = freshDir();
    const s = service(dir, 'request');
    expect(s.state()).toBe('fallback');
    const first = s.tile(13, 4118, 4073);
    expect(first.detailed).toBe(false);
    expect(s.state()).toBe('building');
    await s.whenBuilt();
    expect(s.state()).toBe('ready');
    const t = s.tile(13, 4118, 4073);
    expect(t.detailed).toBe(true);
    expect(t.etag).toBe(`"${version}/13/4118/4073"`);
    expect(insideLayer(decodeTile(t.bytes), 'land', { x: 3094.8, y: 996.5 })).toBe(true);
    await s.close();
  });

  it('finds a corrupt bucket when it reads it, serves the coarse basemap and rebuilds', async () => {
    const dir = freshDir();
    buildBasemap(dir, source);
    // the bucket of tile 13/4118/4073: 4118 >> 6 = 64, 4073 >> 6 = 63
    const file = path.join(dir, version, bucketFile(64, 63));
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 1; // same size, other content
    writeFileSync(file, bytes);
    const s = service(dir, 'request');
    expect(s.state()).toBe('ready'); // sizes match: found only when read
    expect(s.tile(13, 4118, 4073).detailed).toBe(false);
    await s.whenBuilt();
    expect(s.tile(13, 4118, 4073).detailed).toBe(true);
    await s.close();
  });

  it('with build "off" serves the coarse basemap and starts nothing', async () => {
    const s = service(freshDir(), 'off');
    expect(s.tile(0, 0, 0).detailed).toBe(false);
    expect(s.state()).toBe('fallback');
    await s.close();
  });
});

describe('routes', () => {
  let oracle: OracleHandle;
  let basemap: BasemapService;
  beforeAll(async () => {
    const dir = freshDir();
    buildBasemap(dir, source);
    basemap = service(dir, 'off');
    oracle = await startOracle({ dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', allowedHosts: 'maps.example' }, { logger: pino({ level: 'silent' }), basemap });
  });
  afterAll(() => oracle?.stop());
  const inject = (url: string, headers: Record<string, string> = {}) => oracle.app.inject({ url, headers });

  it('serves a tile as MVT with an ETag, and 304 when the ETag matches', async () => {
    const r = await inject('/api/v1/tiles/basemap/13/4118/4050.mvt');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(r.headers['cache-control']).toBe('public, max-age=86400');
    expect(r.headers.etag).toBe(`"${version}/13/4118/4050"`);
    const t = decodeTile(r.rawPayload);
    expect(t.layers).toEqual(['coastline', 'land']);
    const again = await inject('/api/v1/tiles/basemap/13/4118/4050.mvt', { 'if-none-match': r.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect((await inject('/api/v1/tiles/basemap/13/4118/4050.mvt', { 'if-none-match': '"other"' })).statusCode).toBe(200);
  });

  it('sends open sea as an empty 200 tile', async () => {
    const r = await inject('/api/v1/tiles/basemap/13/4118/3982.mvt');
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.length).toBe(0);
  });

  it('refuses tile addresses outside the pyramid with BAD_TILE and counts them', async () => {
    // z 15 > maxzoom 14; x = 2 at z 1 (columns 0–1); a negative and a fractional number; no number at all
    for (const url of ['/api/v1/tiles/basemap/15/0/0.mvt', '/api/v1/tiles/basemap/1/2/0.mvt', '/api/v1/tiles/basemap/1/-1/0.mvt', '/api/v1/tiles/basemap/1/0.5/0.mvt', '/api/v1/tiles/basemap/a/0/0.mvt']) {
      const r = await inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().code, url).toBe('BAD_TILE');
    }
    const metrics = (await inject('/metrics')).body;
    expect(metrics).toContain('hexium_http_errors_total{route="/api/v1/tiles/basemap/:z/:x/:y.mvt",status="400",code="BAD_TILE"} 5');
  });

  it('describes the pyramid as TileJSON 3.0.0 with absolute tile URLs for the requested host', async () => {
    const r = await inject('/api/v1/tiles/basemap.json', { host: 'maps.example:8080' });
    expect(r.statusCode).toBe(200);
    const tj = r.json();
    expect(tj).toMatchObject({
      tilejson: '3.0.0',
      tiles: ['http://maps.example:8080/api/v1/tiles/basemap/{z}/{x}/{y}.mvt'],
      minzoom: 0,
      maxzoom: 14,
      // Web Mercator's square: ±atan(sinh π) = ±85.0511287798066°
      bounds: [-180, -85.0511287798066, 180, 85.0511287798066],
    });
    expect(tj.vector_layers.map((l: { id: string }) => l.id)).toEqual(['land', 'coastline']);
    expect((await inject('/api/v1/tiles/basemap.json', { host: 'evil.example' })).statusCode).toBe(421);
  });
});

