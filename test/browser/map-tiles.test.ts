/**
 * The map on the oracle's vector tiles (issue 16), in headless chromium (test/helpers/browser.ts)
 * against a real oracle (`startOracle`) with a small network in San Francisco seeded over HTTP and MQTT
 * (seed-network.ts):
 * - hotspots, hexes and the basemap come from `/api/v1/tiles/…` (never the GeoJSON endpoints) and render,
 *   de-duplicated by `address` / `cell` (a feature on a tile border comes back once per tile);
 * - the detailed basemap at z 13: a hotspot on land is drawn over land, and Ocean Beach is where it is
 *   (the oracle builds its basemap from fixtures/basemap-sf: the 10 m land polygons clipped to the city,
 *   the same data where the test looks, built in seconds instead of minutes);
 * - clicks: hotspot → its panel, hex → its panel, cluster → zoom in;
 * - the live view draws at most LIVE_MAX_ROUNDS rounds however many arrive, and holds still under
 *   `prefers-reduced-motion`;
 * - the phone layout (390 × 844): the collapsed sheet and legend leave the map visible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellToBoundary, cellToLatLng, cellToParent, getResolution } from 'h3-js';
import type { Browser, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { startOracle, type OracleHandle } from '@hexium/oracle/server';
import { BasemapService } from '@hexium/oracle/basemap/basemap-service';
import { collectErrors, ensureMapBuilt, launchBrowser, MAP_DIST, newMapPage, renderedUnique, waitForIdle, waitForMapIdle } from '../helpers/browser.ts';
import { onboard, SeedDevice, seedHotspots, type SeedHotspot } from './seed-network.ts';

// Twin Peaks / Castro / Haight: a 5 × 5 grid 1 km apart spans ≈ 4 km, all of it well inside the city's land.
const SF = { lat: 37.76, lng: -122.44 };
const BASEMAP_SF = fileURLToPath(new URL('./fixtures/basemap-sf/map.geo.json', import.meta.url));
const HOTSPOTS = 25;
/** Ocean Beach runs along ≈ −122.510° at 37.76° N (OpenStreetMap): 1 km inland is land, 1 km out is sea. */
const OCEAN_BEACH = { lat: 37.76, inlandLng: -122.499, seaLng: -122.521 };
/** map-ui/src/live/live-rounds.ts LIVE_MAX_ROUNDS (issue 16: "at most a few at once", ≤ 5). */
const LIVE_MAX_ROUNDS = 5;
/** Beaconers in the live test: more rounds than the map may draw at once. */
const BEACONERS = LIVE_MAX_ROUNDS + 2;

let oracle: OracleHandle;
let dataDir: string;
let browser: Browser;
let page: Page;
let errors: string[];
let hotspots: SeedHotspot[];
let devices: SeedDevice[];
const requested: string[] = [];

/** Client pixel of a lng/lat on the map. */
function pixelOf(p: Page, lng: number, lat: number): Promise<{ x: number; y: number }> {
  return p.evaluate(([lng, lat]) => {
    const map = window.hexiumMap;
    const pt = map.project([lng, lat]);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + pt.x, y: r.top + pt.y };
  }, [lng, lat] as const);
}

/** Rendered features of `layers` at a lng/lat. */
function layersAt(p: Page, lng: number, lat: number, layers: string[]): Promise<string[]> {
  return p.evaluate(([lng, lat, layers]) => window.hexiumMap.queryRenderedFeatures(window.hexiumMap.project([lng, lat]), { layers }).map((f) => f.layer.id), [lng, lat, layers] as const);
}

/**
 * Wait until the oracle serves the detailed basemap (docs/map.md "Basemap": the one-time build runs on
 * the first basemap request and the coarse 10 km land is served meanwhile; header `x-hexium-basemap`).
 */
async function waitForDetailedBasemap(httpUrl: string, timeoutMs = 900_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${httpUrl}/api/v1/tiles/basemap/0/0/0.mvt`);
    await res.arrayBuffer();
    if (res.headers.get('x-hexium-basemap') === 'detailed') return;
    if (Date.now() > end) throw new Error('the detailed basemap was not built in time');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function jumpTo(p: Page, lng: number, lat: number, zoom: number): Promise<void> {
  await p.evaluate(([lng, lat, zoom]) => window.hexiumMap.jumpTo({ center: [lng, lat], zoom }), [lng, lat, zoom] as const);
  await waitForIdle(p);
}

describe('map UI on vector tiles, against a real oracle', () => {
  beforeAll(async () => {
    await ensureMapBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'hexium-map-tiles-'));
    const basemap = new BasemapService({ dir: join(dataDir, 'basemap-cache'), sourceFile: BASEMAP_SF, build: 'start' });
    oracle = await startOracle({ httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', dataDir, mapDir: MAP_DIST, logLevel: 'silent' }, { basemap });
    hotspots = seedHotspots(HOTSPOTS, SF, 1, 16, 'US915');
    await onboard(oracle.httpUrl, hotspots);
    devices = await Promise.all(hotspots.slice(0, BEACONERS + 1).map((h) => SeedDevice.connect(oracle.mqttUrl, h)));
    await waitForDetailedBasemap(oracle.httpUrl);
    browser = await launchBrowser();
    page = await newMapPage(browser, { width: 1280, height: 800 });
    errors = collectErrors(page);
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all((devices ?? []).map((d) => d.close().catch(() => {})));
    await oracle?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('reads hotspots, hexes and the basemap from vector tiles and draws every hotspot and its hex', async () => {
    await page.goto(`${oracle.httpUrl}/?lng=${SF.lng}&lat=${SF.lat}&z=13`);
    await waitForMapIdle(page);
    expect(await page.evaluate(() => document.body.dataset.tiles)).toBe('hotspots coverage basemap');
    expect(await page.evaluate(() => ['hotspots', 'coverage', 'basemap'].map((s) => window.hexiumMap.getSource(s)?.type))).toEqual(['vector', 'vector', 'vector']);
    for (const layer of ['hotspots', 'coverage', 'basemap']) expect(requested.some((p) => new RegExp(`^/api/v1/tiles/${layer}/\\d+/\\d+/\\d+\\.mvt$`).test(p))).toBe(true);
    // Nothing is loaded whole: no GeoJSON of every hotspot, no coverage cell sets.
    expect(requested.filter((p) => p === '/api/v1/hotspots' || p === '/api/v1/coverage')).toEqual([]);

    const shown = await renderedUnique(page, 'hotspots', 'address');
    expect(new Set(shown)).toEqual(new Set(hotspots.map((h) => h.key.address)));
    const cells = await renderedUnique(page, 'coverage-hexes', 'cell');
    const res = getResolution(cells[0]);
    expect(cells.every((c) => getResolution(c) === res)).toBe(true);
    // Each hotspot counts in the hex containing its res-12 location (docs/api.md Coverage): all 25 grid
    // points are ≥ 0.5 km apart, so at a res ≥ 7 each hex holds at most a few; every one is drawn.
    for (const h of hotspots) expect(cells).toContain(cellToParent(h.location, res));
    expect(errors).toEqual([]);
  });

  it('draws the detailed basemap at z 13: hotspots over land, Ocean Beach where it is', async () => {
    for (const h of hotspots) expect(await layersAt(page, h.lng, h.lat, ['land'])).toEqual(['land']);
    await jumpTo(page, (OCEAN_BEACH.inlandLng + OCEAN_BEACH.seaLng) / 2, OCEAN_BEACH.lat, 13);
    expect(await layersAt(page, OCEAN_BEACH.inlandLng, OCEAN_BEACH.lat, ['land'])).toEqual(['land']);
    expect(await layersAt(page, OCEAN_BEACH.seaLng, OCEAN_BEACH.lat, ['land'])).toEqual([]);
    expect((await renderedUnique(page, 'coastline', 'id')).length).toBeGreaterThan(0);
    await jumpTo(page, SF.lng, SF.lat, 13);
  });

  it('opens the hotspot panel on a hotspot and the hex panel on a hex', async () => {
    const target = hotspots[12]; // the middle of the grid
    const api = (await (await fetch(`${oracle.httpUrl}/api/v1/hotspots/${target.key.address}`)).json()) as { name: string };
    const at = await pixelOf(page, target.lng, target.lat);
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((name) => document.querySelector('#panel-body .panel-title')?.textContent === name, api.name);
    expect(new URL(page.url()).searchParams.get('hotspot')).toBe(target.key.address);

    // A point inside the target's hex, 70 % of the way to the vertex farthest from the hotspot.
    const res = getResolution((await renderedUnique(page, 'coverage-hexes', 'cell'))[0]);
    const cell = cellToParent(target.location, res);
    const [cLat, cLng] = cellToLatLng(cell);
    const far = cellToBoundary(cell).sort((a, b) => Math.hypot(b[0] - target.lat, b[1] - target.lng) - Math.hypot(a[0] - target.lat, a[1] - target.lng))[0];
    const inHex = { lat: cLat + 0.7 * (far[0] - cLat), lng: cLng + 0.7 * (far[1] - cLng) };
    expect(await layersAt(page, inHex.lng, inHex.lat, ['hotspots', 'coverage-hexes'])).toEqual(['coverage-hexes']);
    const hexAt = await pixelOf(page, inHex.lng, inHex.lat);
    await page.mouse.click(hexAt.x, hexAt.y);
    await page.waitForFunction((c) => document.querySelector('#panel-body .panel-title')?.textContent === `Hex ${c}`, cell);
    expect(new URL(page.url()).searchParams.get('hex')).toBe(cell);
    // The hex panel lists the hotspots of the hex from the loaded tiles (the tiles carry no location: the
    // map recovers the res-12 cell from the point).
    expect(await page.locator('#panel-body .hotspot-list').innerText()).toContain(api.name);
  });

  it('clusters the hotspots when zoomed out and zooms in on a cluster click', async () => {
    await jumpTo(page, SF.lng, SF.lat, 8);
    const { clusters, singles } = await page.evaluate(() => {
      const map = window.hexiumMap;
      // One entry per tile a cluster touches: de-duplicate by position and count.
      const seen = new Map<string, number>();
      for (const f of map.queryRenderedFeatures({ layers: ['hotspot-clusters'] })) {
        const [x, y] = (f.geometry as GeoJSON.Point).coordinates;
        seen.set(`${x.toFixed(5)},${y.toFixed(5)}`, Number(f.properties.point_count));
      }
      const singles = new Set(map.queryRenderedFeatures({ layers: ['hotspots'] }).map((f) => f.properties.address)).size;
      return { clusters: [...seen.values()], singles };
    });
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.reduce((a, b) => a + b, 0) + singles).toBe(HOTSPOTS);
    const zoomBefore = await page.evaluate(() => window.hexiumMap.getZoom());
    const c = await page.evaluate(() => {
      const f = window.hexiumMap.queryRenderedFeatures({ layers: ['hotspot-clusters'] })[0];
      const pt = window.hexiumMap.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
      const r = window.hexiumMap.getContainer().getBoundingClientRect();
      return { x: r.left + pt.x, y: r.top + pt.y };
    });
    await page.mouse.click(c.x, c.y);
    await page.waitForFunction((z) => window.hexiumMap.getZoom() > z + 1 && !window.hexiumMap.isMoving(), zoomBefore);
    await jumpTo(page, SF.lng, SF.lat, 13);
  });

  it(`draws at most ${LIVE_MAX_ROUNDS} live rounds at once, however many arrive`, async () => {
    // Watch the rendered live layers from now on; remember the most rounds ever drawn at once.
    await page.evaluate(() => {
      const w = window as unknown as { liveMax: number; liveNow: number };
      w.liveMax = 0;
      w.liveNow = 0;
      window.hexiumMap.on('render', () => {
        const keys = new Set(window.hexiumMap.queryRenderedFeatures({ layers: ['live-beacons', 'live-paths'] }).map((f) => f.properties.key));
        w.liveNow = keys.size;
        w.liveMax = Math.max(w.liveMax, keys.size);
      });
    });
    const beaconers = devices.slice(0, BEACONERS);
    const listeners = devices.slice(BEACONERS);
    for (const d of beaconers) {
      const b = await d.beacon();
      for (const w of [...listeners, ...beaconers.filter((x) => x !== d)].slice(0, 3)) await w.witness(b, d.hotspot);
    }
    // All BEACONERS rounds are open within seconds (the demo witness window is longer), so the cap binds.
    await page.waitForFunction((n) => (window as unknown as { liveNow: number }).liveNow === n, LIVE_MAX_ROUNDS, { polling: 100 });
    expect(await page.evaluate(() => (window as unknown as { liveMax: number }).liveMax)).toBe(LIVE_MAX_ROUNDS);
    // At most LIVE_MAX_ROUNDS pulses too.
    expect(await page.locator('.pulse').count()).toBeLessThanOrEqual(LIVE_MAX_ROUNDS);
  });

  it('with prefers-reduced-motion: no pulse, and rounds are drawn at full strength (no fade steps)', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    // Pulses already running end within their 1.4 s.
    await page.waitForFunction(() => document.querySelectorAll('.pulse').length === 0);
    const d = devices[BEACONERS];
    const b = await d.beacon();
    await devices[0].witness(b, d.hotspot);
    await page.waitForFunction((addr) => window.hexiumMap.queryRenderedFeatures({ layers: ['live-beacons'] }).some((f) => f.properties.beaconer === addr), d.hotspot.key.address, { polling: 100 });
    expect(await page.locator('.pulse').count()).toBe(0);
    const fades = await page.evaluate(() => [...new Set(window.hexiumMap.queryRenderedFeatures({ layers: ['live-beacons', 'live-paths'] }).map((f) => f.properties.fade))]);
    expect(fades).toEqual([1]);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('on a phone (390 × 844) the collapsed sheet and legend leave the map visible; the handle opens the sheet', async () => {
    const phone = await newMapPage(browser, { width: 390, height: 844 });
    try {
      await phone.goto(`${oracle.httpUrl}/?lng=${SF.lng}&lat=${SF.lat}&z=12`);
      await waitForMapIdle(phone);
      const share = () =>
        phone.evaluate(() => {
          const map = document.querySelector('#map')!.getBoundingClientRect();
          const cover = (sel: string) => {
            const r = document.querySelector(sel)!.getBoundingClientRect();
            return Math.max(0, Math.min(r.bottom, map.bottom) - Math.max(r.top, map.top)) / map.height;
          };
          return { sheet: cover('#panel'), legend: cover('#legend') };
        });
      const collapsed = await share();
      expect(collapsed.sheet).toBeLessThan(0.35);
      expect(collapsed.legend).toBeLessThan(0.15);
      expect(await phone.getAttribute('#panel-toggle', 'aria-expanded')).toBe('false');
      await phone.click('#panel-handle');
      expect(await phone.getAttribute('#panel-toggle', 'aria-expanded')).toBe('true');
      expect((await share()).sheet).toBeGreaterThan(0.35);
    } finally {
      await phone.close();
    }
  });
});
