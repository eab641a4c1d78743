/**
 * `npm run map-screenshots`: regenerates the screenshots in docs/map.md from the default `npm start`
 * (300 hotspots in San Francisco), so the docs show what a newcomer sees.
 *
 *   1. starts `npm start` (scripts/start.mjs) on free ports with a fresh temporary data directory,
 *   2. waits until the oracle answers, then `--wait-s` seconds more (so PoC rounds and live events exist) and
 *      until the oracle serves the detailed basemap (its one-time build, docs/map.md "Basemap"),
 *   3. opens the map in headless chromium (test/helpers/browser.ts) at three zooms — the city (the
 *      default view, which fits the network), a neighbourhood (z 13) and a street (z 15.5, one hotspot
 *      selected with its witness paths) — in light and dark, at desktop (1400 × 900) and phone
 *      (390 × 844) size, and writes docs/img/map-<zoom>-<theme>-<device>.jpg,
 *   4. stops `npm start` (SIGINT, as Ctrl-C; SIGKILL after 30 s) and removes the data directory.
 *
 * Flags: --wait-s N (default 150), --out DIR (default docs/img), --quality Q (JPEG, default 72).
 * JPEG keeps each image small; an image over MAX_BYTES (200 kB) is taken again at a lower quality, down to
 * MIN_QUALITY.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser, newMapPage, waitForMapIdle } from '../test/helpers/browser.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const { values: flags } = parseArgs({
  options: {
    'wait-s': { type: 'string', default: '150' },
    out: { type: 'string', default: join(ROOT, 'docs/img') },
    quality: { type: 'string', default: '72' },
  },
  strict: true,
});
const waitS = Number(flags['wait-s']);
const quality = Number(flags.quality);
if (!(waitS >= 0) || !Number.isInteger(quality) || quality < 1 || quality > 100) {
  console.error('map-screenshots: --wait-s must be ≥ 0 and --quality an integer 1–100');
  process.exit(2);
}
const outDir = resolve(flags.out);

/** A free loopback port (the OS picks one, we release it at once). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** Largest screenshot kept in the repository (docs stay light to clone). */
const MAX_BYTES = 200_000;
const MIN_QUALITY = 40;
const LIVE_WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`map-screenshots: ${s}\n`);

const DEVICES = {
  desktop: { width: 1400, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

interface View {
  name: 'city' | 'neighbourhood' | 'street';
  /** Query string of the view (without theme); empty = the default view that fits the network. */
  query: string;
}

async function pickViews(httpUrl: string): Promise<View[]> {
  // The busiest hotspot near the middle of the network: centre of the neighbourhood and street views.
  const fc = (await (await fetch(`${httpUrl}/api/v1/hotspots`)).json()) as { features: { geometry: { coordinates: [number, number] } | null; properties: { address: string; online: boolean } }[] };
  const placed = fc.features.filter((f) => f.geometry && f.properties.online);
  if (placed.length === 0) throw new Error('no online hotspot with a location');
  const mean = (i: 0 | 1) => placed.reduce((s, f) => s + f.geometry!.coordinates[i], 0) / placed.length;
  const [cx, cy] = [mean(0), mean(1)];
  // Nearest to the centroid; ties by address (explicit order).
  const byDist = placed
    .map((f) => ({ f, d: (f.geometry!.coordinates[0] - cx) ** 2 + (f.geometry!.coordinates[1] - cy) ** 2 }))
    .sort((a, b) => a.d - b.d || (a.f.properties.address < b.f.properties.address ? -1 : 1));
  const centre = byDist[0].f;
  const [lng, lat] = centre.geometry!.coordinates;
  const at = (z: number) => `lng=${lng.toFixed(5)}&lat=${lat.toFixed(5)}&z=${z}`;
  return [
    { name: 'city', query: '' },
    { name: 'neighbourhood', query: at(13) },
    { name: 'street', query: `${at(15.5)}&hotspot=${centre.properties.address}` },
  ];
}

async function shoot(browser: Browser, httpUrl: string, views: View[]): Promise<string[]> {
  const files: string[] = [];
  for (const [device, viewport] of Object.entries(DEVICES)) {
    for (const theme of ['light', 'dark'] as const) {
      for (const v of views) {
        const page = await newMapPage(browser, viewport);
        try {
          const search = [v.query, `theme=${theme}`].filter(Boolean).join('&');
          await page.goto(`${httpUrl}/?${search}`);
          await waitForMapIdle(page, 300_000);
          // Let live rounds arrive and the selected hotspot's panel load, then settle. Where live rounds are
          // drawn (zoom ≥ 11), wait up to LIVE_WAIT_MS for one whose witnesses have reported (lines drawn).
          await sleep(4000);
          await page
            .waitForFunction(() => window.hexiumMap.getZoom() < 11 || window.hexiumMap.queryRenderedFeatures({ layers: ['live-paths'] }).length >= 5, undefined, { timeout: LIVE_WAIT_MS, polling: 250 })
            .catch(() => log(`${v.name} ${theme} ${device}: no live witness lines within ${LIVE_WAIT_MS / 1000} s`));
          await waitForMapIdle(page, 300_000);
          const file = join(outDir, `map-${v.name}-${theme}-${device}.jpg`);
          let q = quality;
          let jpeg = await page.screenshot({ type: 'jpeg', quality: q });
          while (jpeg.length > MAX_BYTES && q > MIN_QUALITY) {
            q = Math.max(MIN_QUALITY, q - 10);
            jpeg = await page.screenshot({ type: 'jpeg', quality: q });
          }
          await writeFile(file, jpeg);
          files.push(file);
          log(`${file} (${Math.round(jpeg.length / 1000)} kB, quality ${q})`);
        } finally {
          await page.close();
        }
      }
    }
  }
  return files;
}

/** Poll a basemap tile until the oracle serves it from the detailed cache (header `x-hexium-basemap`). */
async function waitForDetailedBasemap(httpUrl: string, deadlineMs: number): Promise<void> {
  for (;;) {
    const res = await fetch(`${httpUrl}/api/v1/tiles/basemap/0/0/0.mvt`);
    await res.arrayBuffer();
    if (res.headers.get('x-hexium-basemap') === 'detailed') return;
    if (Date.now() > deadlineMs) throw new Error('the oracle did not build the detailed basemap in time');
    await sleep(2000);
  }
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'hexium-screenshots-'));
  const [http, mqtt, ws] = [await freePort(), await freePort(), await freePort()];
  const httpUrl = `http://127.0.0.1:${http}`;
  log(`npm start on ${httpUrl}, data in ${dataDir}`);
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--http-port', String(http), '--mqtt-port', String(mqtt), '--ws-port', String(ws), '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let browser: Browser | undefined;
  try {
    const deadline = Date.now() + 1_800_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode})`);
      const n = await fetch(`${httpUrl}/api/v1/network`).then((r) => (r.ok ? (r.json() as Promise<{ hotspots: number }>) : null), () => null);
      if (n && n.hotspots > 0) break;
      if (Date.now() > deadline) throw new Error('the oracle did not come up with hotspots in time');
      await sleep(1000);
    }
    log(`oracle up; waiting ${waitS} s for PoC rounds and for the detailed basemap`);
    await Promise.all([sleep(waitS * 1000), waitForDetailedBasemap(httpUrl, deadline)]);
    const views = await pickViews(httpUrl);
    browser = await launchBrowser();
    const files = await shoot(browser, httpUrl, views);
    log(`${files.length} screenshots in ${outDir}`);
  } finally {
    await browser?.close().catch(() => {});
    if (child.exitCode === null) {
      child.kill('SIGINT');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`map-screenshots: ${(e as Error).message}`);
  process.exitCode = 1;
});
