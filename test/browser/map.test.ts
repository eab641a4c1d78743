/**
 * The map in a real browser against a real oracle (issue 8, Browser tests): headless chromium with
 * SwiftShader WebGL (test/helpers/browser.ts), `startOracle` serving the built map under its strict CSP,
 * a small network seeded over the public HTTP and MQTT interfaces (seed-network.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cellToParent, getResolution } from 'h3-js';
import type { Browser, Page } from 'playwright-core';
import { startOracle, type OracleHandle } from '@hexium/oracle/server';
import { collectErrors, ensureMapBuilt, launchBrowser, MAP_DIST as DIST, newMapPage, renderedUnique, waitForIdle, waitForMapIdle } from '../helpers/browser.ts';
import { onboard, SeedDevice, seedHotspots, type SeedHotspot } from './seed-network.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'test/output');
const ZURICH = { lat: 47.3769, lng: 8.5417 };
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

let oracle: OracleHandle;
let dataDir: string;
let browser: Browser;
let page: Page;
let errors: string[];
let hotspots: SeedHotspot[];
let devices: SeedDevice[];

/** Client pixel of a lng/lat on the map (the map canvas sits below the top bar). */
async function pixelOf(p: Page, lng: number, lat: number): Promise<{ x: number; y: number }> {
  return p.evaluate(([lng, lat]) => {
    const map = window.hexiumMap;
    const pt = map.project([lng, lat]);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + pt.x, y: r.top + pt.y };
  }, [lng, lat] as const);
}

describe('map UI in headless chromium against a real oracle', () => {
  beforeAll(async () => {
    await ensureMapBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'hexium-map-test-'));
    oracle = await startOracle({ httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', dataDir, mapDir: DIST, logLevel: 'silent' });
    hotspots = seedHotspots(20, ZURICH);
    await onboard(oracle.httpUrl, hotspots);
    devices = await Promise.all(hotspots.slice(0, 5).map((h) => SeedDevice.connect(oracle.mqttUrl, h)));
    // One round before the page opens: hotspot 0 beacons, four others witness it.
    const b = await devices[0].beacon();
    for (const d of devices.slice(1)) await d.witness(b, devices[0].hotspot);
    await oracle.idle();
    browser = await launchBrowser();
    page = await newMapPage(browser, { width: 1280, height: 800 });
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all((devices ?? []).map((d) => d.close().catch(() => {})));
    await oracle?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('loads under the strict CSP, with no console error, and the map reaches idle', async () => {
    const res = await page.goto(`${oracle.httpUrl}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toBe(CSP);
    await waitForMapIdle(page, 300_000);
    expect(await page.evaluate(() => window.hexiumMap.loaded())).toBe(true);
    expect(errors).toEqual([]);
  });

  it('draws every hotspot and the coverage hex of each at the zoom\'s resolution', async () => {
    const shown = await renderedUnique(page, 'hotspots', 'address');
    // The view fits all 20 seeded hotspots (≈ 8 km × 6 km) at zoom > 9: none is clustered.
    expect(new Set(shown)).toEqual(new Set(hotspots.map((h) => h.key.address)));
    const cells = await renderedUnique(page, 'coverage-hexes', 'cell');
    const res = getResolution(cells[0]);
    expect(cells.every((c) => getResolution(c) === res)).toBe(true);
    // Each onboarded hotspot counts in the hex that contains its res-12 location (docs/api.md Coverage).
    const expected = new Set(hotspots.map((h) => cellToParent(h.location, res)));
    for (const c of expected) expect(cells).toContain(c);
  });

  it('opens a hotspot\'s panel with its real data from the API when clicked', async () => {
    const target = hotspots[0];
    const api = (await (await fetch(`${oracle.httpUrl}/api/v1/hotspots/${target.key.address}`)).json()) as { name: string; address: string; location: string; recentRounds: unknown[] };
    const { x, y } = await pixelOf(page, target.lng, target.lat);
    await page.mouse.click(x, y);
    await page.waitForFunction((name) => document.querySelector('#panel-body .panel-title')?.textContent === name, api.name, { timeout: 300_000 });
    const panel = await page.locator('#panel-body').innerText();
    expect(panel).toContain(api.address);
    expect(panel).toContain(api.location);
    expect(api.name).toBe(target.key.name);
    expect(await page.getAttribute('#tab-hotspot', 'aria-selected')).toBe('true');
    expect(new URL(page.url()).searchParams.get('hotspot')).toBe(target.key.address);
  });

  it('shows a live challenge: pulse at the beaconer, lines to its witnesses as they report', async () => {
    const beaconer = devices[1];
    const res = await fetch(`${oracle.httpUrl}/api/v1/challenges`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hotspot: beaconer.hotspot.key.address }) });
    expect(res.status).toBe(202);
    const { challengeId } = (await res.json()) as { challengeId: string };
    // The device does what firmware does on a challenge command: beacon at once, neighbours witness it.
    const cmd = await beaconer.waitFor(() => beaconer.challenges.find((c) => c.challengeId === challengeId), 'challenge command');
    expect(cmd.hotspot).toBe(beaconer.hotspot.key.address);
    const b = await beaconer.beacon();
    const witnesses = devices.filter((d) => d !== beaconer);
    for (const d of witnesses) await d.witness(b, beaconer.hotspot);
    await page.waitForFunction(
      ([addr, n]) => {
        const map = window.hexiumMap;
        const beacons = map.queryRenderedFeatures({ layers: ['live-beacons'] }).filter((f) => f.properties.beaconer === addr);
        const lines = new Set(map.queryRenderedFeatures({ layers: ['live-paths'] }).filter((f) => f.properties.beaconer === addr).map((f) => f.properties.witness));
        return beacons.length > 0 && lines.size === n;
      },
      [beaconer.hotspot.key.address, witnesses.length] as const,
      { timeout: 300_000, polling: 250 },
    );
  });

  it('writes a screenshot of the live map', async () => {
    await waitForIdle(page, 300_000);
    await mkdir(OUT, { recursive: true });
    const file = join(OUT, 'map.png');
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(20_000);
  });
});
