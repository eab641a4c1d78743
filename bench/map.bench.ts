/**
 * The map at scale (issue 8, Benchmarks): 10,000 hotspots and 50,311 res-8 hexes (a k = 129 grid disk)
 * behind a fixture of the API (test/browser/fixture-api.ts), in headless chromium with SwiftShader.
 * Every figure sits next to a bare MapLibre page drawing the same hexes and points as plain GeoJSON,
 * measured in the same run (specs/map-ui.md §5: software rendering is slow and noisy — use ratios).
 *
 * Targets: first idle ≤ 0.5× bare; pan frame-time median ≤ bare; production JS (main + worker) gzip
 * ≤ 1.15× a bare maplibre-gl + h3-js build (basemap data not counted).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { median, row, type BenchRow } from './lib.ts';
import { launchBrowser, newMapPage, newestMtimeMs } from '../test/helpers/browser.ts';
import { startFixtureApi } from '../test/browser/fixture-api.ts';

const SUITE = 'map';
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MAP_DIR = join(ROOT, 'map-ui');
export const BARE_DIR = join(ROOT, 'test/output/bench-bare');
const CENTER: [number, number] = [8.5417, 47.3769];
// The 50,311 hexes span ≈ 2 × 129 × 0.8 km ≈ 200 km: zoom 7 shows them all in 1280 × 800.
const VIEW = { lng: CENTER[0], lat: CENTER[1], z: 7 };
const REPS = Number(process.env.HEXIUM_BENCH_MAP_REPS ?? 2);

const BARE_HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bare</title>
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div><script type="module" src="./main.js"></script></body></html>`;

// The baseline: maplibre-gl + h3-js, every hex and point uploaded as GeoJSON at once.
const BARE_MAIN = `import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { cellToBoundary } from 'h3-js';
maplibregl.setWorkerUrl(workerUrl);
const q = new URLSearchParams(location.search);
const data = await (await fetch('/bare-data.json')).json();
const hexes = { type: 'FeatureCollection', features: data.cells.map((cell) => ({ type: 'Feature', properties: { cell }, geometry: { type: 'Polygon', coordinates: [cellToBoundary(cell, true)] } })) };
const points = { type: 'FeatureCollection', features: data.points.map((c, i) => ({ type: 'Feature', id: i, properties: {}, geometry: { type: 'Point', coordinates: c } })) };
const map = new maplibregl.Map({
  container: 'map', center: [Number(q.get('lng')), Number(q.get('lat'))], zoom: Number(q.get('z')),
  style: { version: 8, sources: { hexes: { type: 'geojson', data: hexes }, points: { type: 'geojson', data: points } }, layers: [
    { id: 'background', type: 'background', paint: { 'background-color': '#cfe3ef' } },
    { id: 'hexes', type: 'fill', source: 'hexes', paint: { 'fill-color': '#ec6d3a', 'fill-opacity': 0.6 } },
    { id: 'points', type: 'circle', source: 'points', paint: { 'circle-color': '#0f9d58', 'circle-radius': 4 } } ] },
});
window.hexiumMap = map;
map.once('idle', () => { document.body.dataset.ready = 'true'; document.body.dataset.firstIdleMs = String(Math.round(performance.now())); });
`;

export async function buildIfStale(root: string, configFile: string | false, outDir: string, stampOf: string): Promise<void> {
  const built = existsSync(stampOf) ? statSync(stampOf).mtimeMs : 0;
  if (built >= newestMtimeMs(root, (n) => n === 'node_modules' || n === 'dist' || n.endsWith('.test.ts'))) return;
  const { build } = await import('vite');
  await build({ root, configFile, base: './', logLevel: 'warn', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 } });
}

export async function buildBare(): Promise<void> {
  await mkdir(join(BARE_DIR, 'src'), { recursive: true });
  const html = join(BARE_DIR, 'src/index.html');
  const main = join(BARE_DIR, 'src/main.js');
  if (!existsSync(html) || (await readFile(main, 'utf8').catch(() => '')) !== BARE_MAIN) {
    await writeFile(html, BARE_HTML);
    await writeFile(main, BARE_MAIN);
  }
  await buildIfStale(join(BARE_DIR, 'src'), false, join(BARE_DIR, 'dist'), join(BARE_DIR, 'dist/index.html'));
}

/** gzip bytes of the JS a page loads: the entry bundle(s) and MapLibre's worker. */
export async function jsGzipBytes(distDir: string): Promise<number> {
  const assets = join(distDir, 'assets');
  let total = 0;
  for (const f of await readdir(assets)) if (/\.m?js$/.test(f)) total += gzipSync(await readFile(join(assets, f))).length;
  return total;
}

async function firstIdleMs(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.body.dataset.firstIdleMs !== undefined, undefined, { timeout: 180_000, polling: 100 });
  return Number(await page.evaluate(() => document.body.dataset.firstIdleMs));
}

/**
 * Frame times (ms between animation frames) while the map pans, then while it zooms in and out.
 * After each map render the page waits for the GPU (`gl.finish()`): with SwiftShader the GPU process
 * otherwise queues frames the main thread already "finished", and frame times would measure only the
 * submission of work, not its drawing (and leave a backlog that stalls the next page).
 */
export async function motionFrameTimes(page: Page): Promise<{ pan: number[]; zoom: number[] }> {
  return page.evaluate(async () => {
    const map = window.hexiumMap;
    const gl = map.getCanvas().getContext('webgl2')!;
    const px = new Uint8Array(4);
    // readPixels is a synchronous round trip to the GPU process (gl.finish() is not, in Chromium).
    const sync = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    map.on('render', sync);
    const record = async (run: () => Promise<void>) => {
      const frames: number[] = [];
      let last = performance.now();
      let on = true;
      const tick = (t: number) => {
        frames.push(t - last);
        last = t;
        if (on) requestAnimationFrame(tick);
      };
      requestAnimationFrame((t) => {
        last = t;
        requestAnimationFrame(tick);
      });
      await run();
      on = false;
      return frames;
    };
    const moved = (fn: () => void) => new Promise<void>((r) => {
      map.once('moveend', () => r());
      fn();
    });
    const idle = () => new Promise<void>((r) => {
      map.once('idle', () => r());
      map.triggerRepaint();
    });
    await idle();
    const pan = await record(async () => {
      for (const d of [[300, 0], [0, 200], [-300, 0], [0, -200]] as [number, number][]) await moved(() => map.panBy(d, { duration: 1000 }));
    });
    await idle();
    const zoom = await record(async () => {
      await moved(() => map.easeTo({ zoom: map.getZoom() + 1.5, duration: 1500 }));
      await moved(() => map.easeTo({ zoom: map.getZoom() - 1.5, duration: 1500 }));
    });
    await idle();
    map.off('render', sync);
    return { pan, zoom };
  });
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result in ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

const progress = (s: string) => process.stderr.write(`  map: ${s}\n`);
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

export default async function mapBench(): Promise<BenchRow[]> {
  await buildIfStale(MAP_DIR, join(MAP_DIR, 'vite.config.ts'), join(MAP_DIR, 'dist'), join(MAP_DIR, 'dist/index.html'));
  await buildBare();
  progress('builds ready');
  const api = await startFixtureApi({ hotspots: 10_000, diskK: 129, center: CENTER, staticDir: join(MAP_DIR, 'dist'), bareDir: join(BARE_DIR, 'dist') });
  progress('fixture API ready');
  const q = `?lng=${VIEW.lng}&lat=${VIEW.lat}&z=${VIEW.z}`;
  const runs = { app: { idle: [] as number[], pan: [] as number[], zoom: [] as number[] }, bare: { idle: [] as number[], pan: [] as number[], zoom: [] as number[] } };
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const which of ['bare', 'app'] as const) {
        // A fresh browser per page: SwiftShader's GPU process can still be busy with the previous page.
        const browser = await launchBrowser();
        try {
          const page = await newMapPage(browser, { width: 1280, height: 800 });
          const url = which === 'app' ? `${api.url}/${q}` : `${api.url}/bare/${q}`;
          const t0 = Date.now();
          progress(`${which} rep ${rep + 1}: opening ${url}`);
          runs[which].idle.push(await withTimeout(firstIdleMs(page, url), 240_000, 'first idle'));
          progress(`${which} rep ${rep + 1}: first idle ${runs[which].idle.at(-1)} ms (wall ${Date.now() - t0} ms)`);
          const m = await withTimeout(motionFrameTimes(page), 240_000, 'pan/zoom');
          progress(`${which} rep ${rep + 1}: ${m.pan.length} pan frames, ${m.zoom.length} zoom frames (wall ${Date.now() - t0} ms)`);
          runs[which].pan.push(...m.pan);
          runs[which].zoom.push(...m.zoom);
        } finally {
          await withTimeout(browser.close(), 30_000, 'browser close').catch(() => {});
        }
      }
    }
  } finally {
    await api.close();
  }
  const rows: BenchRow[] = [];
  const cmp = (name: string, app: number, bare: number, unit: string, target?: string, pass?: (r: number) => boolean) =>
    rows.push(row(SUITE, name, app, unit, { baseline: { name: `bare MapLibre: ${name}`, value: bare }, target, pass: pass && ((r) => pass(r.ratio!)) }));
  cmp('first idle (10k hotspots, 50k hexes)', median(runs.app.idle), median(runs.bare.idle), 'ms', 'ratio ≤ 0.5', (r) => r <= 0.5);
  cmp('pan frame time median', median(runs.app.pan), median(runs.bare.pan), 'ms', 'ratio ≤ 1', (r) => r <= 1);
  cmp('pan frame time p95', p95(runs.app.pan), p95(runs.bare.pan), 'ms');
  cmp('zoom frame time median', median(runs.app.zoom), median(runs.bare.zoom), 'ms');
  cmp('zoom frame time p95', p95(runs.app.zoom), p95(runs.bare.zoom), 'ms');
  const appJs = await jsGzipBytes(join(MAP_DIR, 'dist'));
  const bareJs = await jsGzipBytes(join(BARE_DIR, 'dist'));
  cmp('production JS gzip (main + worker)', appJs / 1000, bareJs / 1000, 'kB', 'ratio ≤ 1.15', (r) => r <= 1.15);
  return rows;
}
