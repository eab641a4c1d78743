/**
 * The map at Helium's size (issue 16, Targets): the 370,000-hotspot fixture (test/helpers/helium-peak.ts,
 * the data directory bench/tiles.bench.ts uses) loaded into a real oracle (`startOracle`, the code of
 * `oracle serve`, on 127.0.0.1) serving the built map (map-ui/dist) and its vector tiles and detailed
 * basemap, in headless Debian chromium with SwiftShader (test/helpers/browser.ts, specs/map-ui.md §1).
 * Next to it, in the same run, the bare MapLibre page of bench/map.bench.ts (specs/map-ui.md §5:
 * maplibre-gl + h3-js, every hotspot (read from the store: GET /api/v1/hotspots stops at 100,000) as one GeoJSON source of circles and every res-8 coverage cell of
 * the network, from GET /api/v1/coverage?res=8, as one GeoJSON fill), served by a small static server.
 *
 * Views (1400 × 900, the issue's window):
 *  - world: lng 0, lat 20, zoom 1.5;
 *  - city: Shanghai (the fixture's largest city, oracle/src/fixtures/world-cities.ts) at zoom 12.
 * Figures:
 *  - first `idle` after navigation with the data drawn (`body[data-first-idle-ms]`, performance.now()
 *    of the page), each page in a fresh browser; the bare page is given HEXIUM_BENCH_SCALE_CAP_S
 *    (default 240 s) and recorded as not finishing beyond it; targets ≤ 2.5 s, ≤ 0.3× bare;
 *  - bytes of one city view in a fresh browser (no cache): the sizes of the responses as sent (encoded
 *    body + headers, playwright `request.sizes()` on `requestfinished`) of tiles, API and basemap, until
 *    the first idle; target ≤ 1 MB; the app's own files (HTML, JS, CSS) are reported apart;
 *  - pan frame time median at the city view (requestAnimationFrame during scripted pans, synchronised
 *    with the GPU, bench/map.bench.ts `motionFrameTimes`); target ≤ 1.0× bare;
 *  - production JS gzip (main + worker) ÷ bare maplibre-gl + h3-js; target ≤ 1.15.
 * `HEXIUM_BENCH_SCALE_REPS` (default 1) repeats the page loads; medians are reported.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page, Request } from 'playwright-core';
import { median, row, type BenchRow } from './lib.ts';
import { BARE_DIR, buildBare, jsGzipBytes, motionFrameTimes, withTimeout } from './map.bench.ts';
import { ensureMapBuilt, launchBrowser, MAP_DIST, newMapPage } from '../test/helpers/browser.ts';
import { ensureHeliumPeak, HELIUM_PEAK_HOTSPOTS } from '../test/helpers/helium-peak.ts';
import { startOracle } from '../oracle/src/server.ts';
import { WORLD_CITIES } from '../oracle/src/fixtures/world-cities.ts';

const SUITE = 'map-scale';
const REPS = Number(process.env.HEXIUM_BENCH_SCALE_REPS ?? 1);
const CAP_MS = Number(process.env.HEXIUM_BENCH_SCALE_CAP_S ?? 240) * 1000;
const VIEWPORT = { width: 1400, height: 900 };
const [, shanghai, , cityLat, cityLng] = WORLD_CITIES[0];
const VIEWS = { world: { lng: 0, lat: 20, z: 1.5 }, city: { lng: cityLng, lat: cityLat, z: 12 } } as const;
type ViewName = keyof typeof VIEWS;
type Which = 'app' | 'bare';

const progress = (s: string) => process.stderr.write(`  map-scale: ${s}\n`);
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** The bare page at /bare/ and its data at /bare-data.json (the same hotspots and cells the oracle has). */
async function startBareServer(data: string): Promise<{ url: string; close: () => Promise<void> }> {
  const dist = join(BARE_DIR, 'dist');
  const server: Server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/bare-data.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(data);
      return;
    }
    if (!p.startsWith('/bare/')) return void res.writeHead(404).end();
    const rel = normalize(decodeURIComponent(p.slice('/bare/'.length) || 'index.html')).replace(/^(\.\.[/\\])+/, '');
    readFile(join(dist, rel || 'index.html')).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

interface Bytes { tiles: number; basemap: number; api: number; app: number; requests: number }

/** Sizes as sent (encoded body + headers) of every response the page finished, by kind. */
function countBytes(page: Page): { done: () => Promise<Bytes> } {
  const pending: Promise<void>[] = [];
  const b: Bytes = { tiles: 0, basemap: 0, api: 0, app: 0, requests: 0 };
  page.on('requestfinished', (r: Request) => {
    pending.push(
      r.sizes().then((s) => {
        const n = s.responseBodySize + s.responseHeadersSize;
        const p = new URL(r.url()).pathname;
        b.requests++;
        if (p.startsWith('/api/v1/tiles/basemap')) b.basemap += n;
        else if (p.startsWith('/api/v1/tiles/')) b.tiles += n;
        else if (p.startsWith('/api/')) b.api += n;
        else b.app += n;
      }),
    );
  });
  return { done: async () => (await Promise.all(pending), b) };
}

/** Navigate and wait for the page's first idle with data; null when it does not come within `capMs`. */
async function firstIdle(page: Page, url: string, capMs: number): Promise<number | null> {
  await page.goto(url, { waitUntil: 'commit' });
  try {
    await page.waitForFunction(() => document.body.dataset.firstIdleMs !== undefined, undefined, { timeout: capMs, polling: 200 });
  } catch {
    return null;
  }
  return Number(await page.evaluate(() => document.body.dataset.firstIdleMs));
}

export default async function mapScaleBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await ensureMapBuilt();
  await buildBare();
  const { dataDir, loaded } = await ensureHeliumPeak();
  if (loaded) rows.push(row(SUITE, `fixture load, ${loaded.hotspots} hotspots`, loaded.ms / 1000, 's'));
  progress(`fixture in ${dataDir}`);
  // helium params: the fixture's hotspots stay interactive for 60 h, so the density scaler keeps their scales
  const oracle = await startOracle({ dataDir, httpPort: 0, mqttPort: 0, wsPort: 0, params: 'helium', mapDir: MAP_DIST, logLevel: 'silent' });
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  const idle: Record<Which, Record<ViewName, (number | null)[]>> = { app: { world: [], city: [] }, bare: { world: [], city: [] } };
  const pan: Record<Which, number[]> = { app: [], bare: [] };
  const bytes: Bytes[] = [];
  let bareCells = 0;
  try {
    await oracle.app.tiles.prepare();
    progress(`oracle ready at ${oracle.httpUrl} (tile indexes built in ${Math.round(oracle.app.tiles.lastBuildMs)} ms)`);
    // GET /api/v1/hotspots answers at most 100,000 features: the points come from the store itself.
    const { rows: located } = await oracle.sql.query<{ lng: number; lat: number }>('SELECT lng, lat FROM hotspots WHERE lat IS NOT NULL AND lng IS NOT NULL ORDER BY id');
    const coverage = (await (await fetch(`${oracle.httpUrl}/api/v1/coverage?res=8`)).json()) as { hexes: { cell: string }[] };
    const points = located.map((h) => [h.lng, h.lat]);
    bareCells = coverage.hexes.length;
    bare = await startBareServer(JSON.stringify({ cells: coverage.hexes.map((h) => h.cell), points }));
    progress(`bare data: ${points.length} points, ${bareCells} res-8 cells`);

    for (let rep = 0; rep < REPS; rep++) {
      for (const which of ['app', 'bare'] as const) {
        for (const view of ['world', 'city'] as const) {
          const v = VIEWS[view];
          const q = `?lng=${v.lng}&lat=${v.lat}&z=${v.z}`;
          const url = which === 'app' ? `${oracle.httpUrl}/${q}` : `${bare.url}/bare/${q}`;
          // A fresh browser per page: SwiftShader's GPU process can still be busy with the previous page.
          const browser = await launchBrowser();
          try {
            const page = await newMapPage(browser, VIEWPORT);
            const counter = which === 'app' && view === 'city' ? countBytes(page) : null;
            const t0 = Date.now();
            const ms = await firstIdle(page, url, which === 'bare' ? CAP_MS : 300_000);
            idle[which][view].push(ms);
            progress(`${which} ${view} rep ${rep + 1}: first idle ${ms ?? `none within ${CAP_MS} ms`} (wall ${Date.now() - t0} ms)`);
            if (counter) bytes.push(await counter.done());
            if (view === 'city' && ms !== null) {
              const m = await withTimeout(motionFrameTimes(page), 300_000, 'pan');
              pan[which].push(...m.pan);
              progress(`${which} ${view} rep ${rep + 1}: ${m.pan.length} pan frames, median ${median(m.pan).toFixed(0)} ms`);
            }
          } finally {
            await withTimeout(browser.close(), 30_000, 'browser close').catch(() => {});
          }
        }
      }
    }
  } finally {
    await bare?.close();
    await oracle.stop();
  }

  const n = HELIUM_PEAK_HOTSPOTS.toLocaleString('en-US');
  const bareName = `bare MapLibre (${n} GeoJSON points + ${bareCells.toLocaleString('en-US')} res-8 cells)`;
  for (const view of ['world', 'city'] as const) {
    const app = idle.app[view].filter((x) => x !== null);
    const b = idle.bare[view];
    const bareDone = b.length > 0 && b.every((x) => x !== null);
    const label = view === 'world' ? 'world view (z 1.5)' : `city view (${shanghai}, z 12)`;
    const value = app.length === idle.app[view].length ? median(app) : NaN;
    rows.push(
      row(SUITE, `first idle, ${n} hotspots, ${label}`, value, 'ms', {
        baseline: bareDone ? { name: `${bareName}: first idle`, value: median(b as number[]) } : undefined,
        target: bareDone ? '≤ 2,500 ms and ratio ≤ 0.3' : '≤ 2,500 ms',
        pass: ({ value: v, ratio }) => v <= 2500 && (ratio === undefined || ratio <= 0.3),
      }),
    );
    if (!bareDone) rows.push(row(SUITE, `${bareName}: first idle, ${label}: no idle within the cap`, CAP_MS, 'ms (cap)'));
  }
  const by = (k: keyof Bytes) => median(bytes.map((b) => b[k]));
  const sent = by('tiles') + by('basemap') + by('api');
  rows.push(row(SUITE, `bytes of one city view (tiles + API + basemap, as sent, fresh browser)`, sent / 1024, 'kB', { target: '≤ 1,024 kB', pass: ({ value }) => value <= 1024 }));
  rows.push(row(SUITE, '… of which hotspot + coverage tiles', by('tiles') / 1024, 'kB'));
  rows.push(row(SUITE, '… of which basemap tiles', by('basemap') / 1024, 'kB'));
  rows.push(row(SUITE, '… of which API (TileJSON, network, …)', by('api') / 1024, 'kB'));
  rows.push(row(SUITE, "the app's own files (HTML, JS, CSS; cached after the first visit)", by('app') / 1024, 'kB'));
  rows.push(row(SUITE, 'requests of one city view', by('requests'), 'requests'));
  if (pan.app.length) {
    const baseline = pan.bare.length ? { name: `${bareName}: pan frame time median`, value: median(pan.bare) } : undefined;
    rows.push(row(SUITE, `pan frame time median, city view`, median(pan.app), 'ms', { baseline, target: 'ratio ≤ 1', pass: baseline ? ({ ratio }) => ratio! <= 1 : undefined }));
    rows.push(row(SUITE, `pan frame time p95, city view`, p95(pan.app), 'ms', { baseline: pan.bare.length ? { name: `${bareName}: pan frame time p95`, value: p95(pan.bare) } : undefined }));
  }
  const appJs = await jsGzipBytes(MAP_DIST);
  const bareJs = await jsGzipBytes(join(BARE_DIR, 'dist'));
  rows.push(row(SUITE, 'production JS gzip (main + worker)', appJs / 1000, 'kB', { baseline: { name: 'bare maplibre-gl + h3-js', value: bareJs / 1000 }, target: 'ratio ≤ 1.15', pass: ({ ratio }) => ratio! <= 1.15 }));
  return rows;
}
