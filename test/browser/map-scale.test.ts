/**
 * The map at Helium's size (issue 16): the 370,000-hotspot fixture (test/helpers/helium-peak.ts, loaded
 * once into test/output/ and shared with the benchmarks) in a real oracle serving the built map, in
 * headless chromium (test/helpers/browser.ts). Every view stays usable:
 * - the world view becomes idle and its clusters, read from the hotspot tiles, add up to every hotspot
 *   of the fixture (at map zoom 0.5 the whole world, 512 × 2^0.5 ≈ 724 px square, lies inside the
 *   1400 × 900 window, and the z-0 tile clusters every hotspot);
 * - a city view (Shanghai, the fixture's largest city, at zoom 12, beyond the clustering's last zoom 9)
 *   becomes idle and draws, one by one, exactly the fixture hotspots the store has in view;
 * - a click on a hotspot opens its panel.
 * Nothing here is timed (bench/map-scale.bench.ts measures the speed). System tier: starting an oracle
 * on 370,000 hotspots and drawing them takes minutes on a shared 2-core machine (longer on the first run,
 * which loads the fixture).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startOracle, type OracleHandle } from '@hexium/oracle/server';
import { WORLD_CITIES } from '@hexium/oracle/fixtures/world-cities';
import { collectErrors, ensureMapBuilt, launchBrowser, MAP_DIST, newMapPage, renderedUnique, waitForIdle, waitForMapIdle } from '../helpers/browser.ts';
import { ensureHeliumPeak, HELIUM_PEAK_HOTSPOTS } from '../helpers/helium-peak.ts';

const [, , , CITY_LAT, CITY_LNG] = WORLD_CITIES[0]; // Shanghai
/** Hotspot circles are at most a few px across at zoom 12 (map-ui/src/style/build-style.ts): a point this far inside the window is drawn in it, one this far outside is not. */
const EDGE_PX = 24;

let oracle: OracleHandle;
let browser: Browser;
let page: Page;
let errors: string[];
const requested: string[] = [];

/** The lng/lat box of the window's pixels grown (or shrunk, when negative) by `px` on each side. */
function boundsOf(p: Page, px: number): Promise<{ west: number; east: number; south: number; north: number }> {
  return p.evaluate((px) => {
    const map = window.hexiumMap;
    const { width, height } = map.getContainer().getBoundingClientRect();
    const nw = map.unproject([-px, -px]);
    const se = map.unproject([width + px, height + px]);
    return { west: nw.lng, east: se.lng, south: se.lat, north: nw.lat };
  }, px);
}

async function storeAddressesIn(b: { west: number; east: number; south: number; north: number }): Promise<Set<string>> {
  const { rows } = await oracle.sql.query<{ address: string }>(
    'SELECT address FROM hotspots WHERE lng BETWEEN $1 AND $2 AND lat BETWEEN $3 AND $4',
    [b.west, b.east, b.south, b.north],
  );
  return new Set(rows.map((r) => r.address));
}

describe('the map with 370,000 hotspots, against a real oracle', () => {
  beforeAll(async () => {
    await ensureMapBuilt();
    const { dataDir } = await ensureHeliumPeak();
    // helium params: the fixture's hotspots stay interactive for 60 h (docs/map.md); basemap build off:
    // this test looks at hotspots, and a fresh clone would otherwise start the minutes-long 10 m build.
    oracle = await startOracle({ dataDir, httpPort: 0, mqttPort: 0, wsPort: 0, params: 'helium', mapDir: MAP_DIST, logLevel: 'silent', basemapBuild: 'off' });
    await oracle.app.tiles.prepare();
    browser = await launchBrowser();
    page = await newMapPage(browser, { width: 1400, height: 900 });
    errors = collectErrors(page);
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  });

  afterAll(async () => {
    await browser?.close();
    await oracle?.stop();
  });

  it('holds the whole fixture', async () => {
    const { rows } = await oracle.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM hotspots WHERE lat IS NOT NULL AND lng IS NOT NULL');
    expect(Number(rows[0].n)).toBe(HELIUM_PEAK_HOTSPOTS);
  });

  it('world view: idle, and the clusters from the tiles add up to all 370,000 hotspots', async () => {
    await page.goto(`${oracle.httpUrl}/?lng=0&lat=0&z=0.5`);
    await waitForMapIdle(page);
    expect(await page.evaluate(() => document.body.dataset.tiles?.split(' '))).toContain('hotspots');
    // Both world copies beside the main one show the same features: de-duplicate by cluster id / address.
    const counted = await page.evaluate(() => {
      const map = window.hexiumMap;
      const clusters = new Map<number, number>();
      for (const f of map.queryRenderedFeatures({ layers: ['hotspot-clusters'] })) clusters.set(Number(f.properties.cluster_id), Number(f.properties.point_count));
      const singles = new Set(map.queryRenderedFeatures({ layers: ['hotspots'] }).map((f) => String(f.properties.address)));
      return { clusters: clusters.size, inClusters: [...clusters.values()].reduce((a, b) => a + b, 0), singles: singles.size };
    });
    expect(counted.clusters).toBeGreaterThan(0);
    expect(counted.inClusters + counted.singles).toBe(HELIUM_PEAK_HOTSPOTS);
    expect(requested.some((p) => /^\/api\/v1\/tiles\/hotspots\/0\/0\/0\.mvt$/.test(p))).toBe(true);
    // Nothing is loaded whole: no GeoJSON of every hotspot, no coverage cell sets.
    expect(requested.filter((p) => p === '/api/v1/hotspots' || p === '/api/v1/coverage')).toEqual([]);
  });

  it('city view: idle, and every fixture hotspot in view is drawn, none from outside', async () => {
    await page.evaluate(([lng, lat]) => window.hexiumMap.jumpTo({ center: [lng, lat], zoom: 12 }), [CITY_LNG, CITY_LAT] as const);
    await waitForIdle(page);
    const drawn = new Set(await renderedUnique(page, 'hotspots', 'address'));
    expect(await page.evaluate(() => window.hexiumMap.queryRenderedFeatures({ layers: ['hotspot-clusters'] }).length)).toBe(0);
    const inside = await storeAddressesIn(await boundsOf(page, -EDGE_PX));
    const near = await storeAddressesIn(await boundsOf(page, EDGE_PX));
    // Shanghai's share of the fixture is thousands of hotspots within ±10 km (docs/map.md): the view is full.
    expect(inside.size).toBeGreaterThan(1000);
    for (const a of inside) expect(drawn.has(a)).toBe(true);
    for (const a of drawn) expect(near.has(a)).toBe(true);
    expect(requested.filter((p) => p === '/api/v1/hotspots' || p === '/api/v1/coverage')).toEqual([]);
  });

  it('a click on a hotspot opens its panel', async () => {
    // Zoom to street level on one hotspot so that it is alone under the pointer (hotspots here are
    // hundreds of metres apart; a pixel at zoom 17 is ≈ 1 m).
    const [first] = (await renderedUnique(page, 'hotspots', 'address')).sort();
    const { rows } = await oracle.sql.query<{ lat: number; lng: number }>('SELECT lat, lng FROM hotspots WHERE address = $1', [first]);
    await page.evaluate(([lng, lat]) => window.hexiumMap.jumpTo({ center: [lng, lat], zoom: 17 }), [rows[0].lng, rows[0].lat] as const);
    await waitForIdle(page);
    const at = await page.evaluate(() => {
      const map = window.hexiumMap;
      const c = map.project(map.getCenter());
      const r = map.getContainer().getBoundingClientRect();
      return { x: r.left + c.x, y: r.top + c.y, under: map.queryRenderedFeatures(c, { layers: ['hotspots'] }).map((f) => String(f.properties.address)) };
    });
    expect(at.under).toEqual([first]);
    const api = (await (await fetch(`${oracle.httpUrl}/api/v1/hotspots/${first}`)).json()) as { name: string };
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((name) => document.querySelector('#panel-body .panel-title')?.textContent === name, api.name);
    expect(new URL(page.url()).searchParams.get('hotspot')).toBe(first);
    expect(errors).toEqual([]);
  });
});
