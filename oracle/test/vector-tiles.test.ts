/**
 * Vector tiles (docs/api.md "Vector tiles") through a real oracle (PGlite in memory): tiles decoded
 * with @mapbox/vector-tile + pbf, TileJSON, z/x/y checks, ETag/304 and cache invalidation on live changes.
 * Tile coordinates are worked by hand (OSM slippy-map formulas) in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { cellToParent } from 'h3-js';
import { cellFromLatLng } from '@hexium/shared/geo/index';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { applyHotspotOutcomes } from '../src/store/hotspot-store.ts';
import { REBUILD_DEBOUNCE_MS } from '../src/tiles/tile-service.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { hotspotKey, onboardingBody } from './helpers/devices.ts';
import { T0 } from './helpers/pipeline-scenario.ts';

const clock = new ManualClock(T0);
let oracle: OracleHandle;
const paris = [hotspotKey('tiles-paris-1'), hotspotKey('tiles-paris-2'), hotspotKey('tiles-paris-3')];
const PARIS_AT = [[48.85, 2.35], [48.851, 2.351], [48.852, 2.349]] as const;
const berlin = hotspotKey('tiles-berlin');

async function onboard(key: ReturnType<typeof hotspotKey>, lat: number, lng: number) {
  const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(key, lat, lng, clock.now()) });
  expect(r.statusCode, r.body).toBeLessThan(300);
}

async function get(url: string, headers: Record<string, string> = {}) {
  return oracle.app.inject({ url, headers: { host: '127.0.0.1:8080', ...headers } });
}

function decode(body: Buffer, layer: string) {
  const t = new VectorTile(new PbfReader(body));
  const l = t.layers[layer];
  if (!l) return [];
  return Array.from({ length: l.length }, (_, i) => l.feature(i));
}

/** Let a debounced rebuild run and finish. */
async function rebuilt() {
  do {
    await oracle.app.tiles.idle();
    await clock.advance(REBUILD_DEBOUNCE_MS + 60_000);
    await oracle.app.tiles.idle();
  } while (oracle.app.tiles.busy);
}

beforeAll(async () => {
  oracle = await startOracle(
    { dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', adminToken: 'admin' },
    { clock, tileTimers: clock, logger: pino({ level: 'silent' }) },
  );
  // three hotspots within ~250 m in Paris, one in Berlin
  for (const [i, [lat, lng]] of PARIS_AT.entries()) await onboard(paris[i], lat, lng);
  await onboard(berlin, 52.52, 13.405);
  // the listening oracle built its (empty) indexes at start; the onboardings are in after one rebuild
  await rebuilt();
});
afterAll(() => oracle?.stop());

describe('hotspots tiles', () => {
  it('serve each hotspot at its place with the GET /api/v1/hotspots properties at a street zoom', async () => {
    // 48.85° N, 2.35° E at z 10: x = (2.35 + 180) / 360 × 1024 = 518.684 → tile 518, 0.684 × 4096 = 2803;
    // y = (1 − ln(tan φ + sec φ) / π) / 2 × 1024 = 352.314 → tile 352, 0.314 × 4096 = 1285.
    // (The location is the res-12 cell's centre, within ~10 m: < 1 tile unit at z 10, 1 unit = 9.5 m there.)
    const r = await get('/api/v1/tiles/hotspots/10/518/352.mvt');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const fs = decode(r.rawPayload, 'hotspots');
    expect(fs).toHaveLength(3);
    const f = fs.find((x) => x.properties.address === paris[0].address)!;
    const [[p]] = f.loadGeometry();
    expect(Math.abs(p.x - 2803)).toBeLessThanOrEqual(2);
    expect(Math.abs(p.y - 1285)).toBeLessThanOrEqual(2);
    expect(f.type).toBe(1);
    expect(f.properties).toEqual({ address: paris[0].address, name: paris[0].name, online: false });
    expect(f.properties).not.toHaveProperty('cluster');
    // Berlin (52.52° N, 13.405° E) is tile 550/335 at z 10, far from this one
    expect(fs.map((x) => x.properties.address)).not.toContain(berlin.address);
  });

  it('cluster at a low zoom: point_count sums to the number of hotspots', async () => {
    // z 0 is the whole world in one tile: Paris's three hotspots ~250 m apart are one cluster (radius
    // 40/512 of a tile ≈ 3,000 km at z 0); Berlin is ~880 km away, also within it: all four in clusters.
    const fs = decode((await get('/api/v1/tiles/hotspots/0/0/0.mvt')).rawPayload, 'hotspots');
    const total = fs.reduce((n, f) => n + (f.properties.cluster === true ? Number(f.properties.point_count) : 1), 0);
    expect(total).toBe(4);
    const clusters = fs.filter((f) => f.properties.cluster === true);
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) {
      expect(c.properties).toHaveProperty('point_count_abbreviated');
      expect(c.properties.online).toBe(0);
    }
  });

  it('answer an empty tile with a 200 and an empty body (a tile with no layers)', async () => {
    // z 10 tile 0/0 is the Bering Sea corner of the world (~85° N, 180° W): no hotspots there
    const r = await get('/api/v1/tiles/hotspots/10/0/0.mvt');
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.length).toBe(0);
    expect(r.headers.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  });
});

describe('coverage tiles', () => {
  it('serve the res-8 cells at z 10 with the GET /api/v1/coverage metrics', async () => {
    // resForTileZoom(10) = 8 (map rule: res 8 from zoom 9.5). The three Paris hotspots fall in one or more
    // res-8 cells (≈ 0.74 km²): the tile's cells add up to 3 hotspots and match GET /api/v1/coverage.
    const fs = decode((await get('/api/v1/tiles/coverage/10/518/352.mvt')).rawPayload, 'coverage');
    const cov = (await get('/api/v1/coverage?res=8')).json() as { hexes: { cell: string; hotspots: number; witnesses: number }[] };
    const expected = new Set(PARIS_AT.map(([lat, lng]) => cellToParent(cellFromLatLng(lat, lng, 12), 8)));
    const cells = new Map(fs.map((f) => [f.properties.cell as string, f]));
    for (const c of expected) expect(cells.has(c)).toBe(true);
    expect([...expected].reduce((n, c) => n + Number(cells.get(c)!.properties.hotspots), 0)).toBe(3);
    for (const f of cells.values()) {
      expect(f.type).toBe(3);
      const api = cov.hexes.find((h) => h.cell === f.properties.cell)!;
      expect(f.properties.hotspots).toBe(api.hotspots);
      expect(f.properties.witnesses).toBe(api.witnesses);
    }
  });
});

describe('tile requests', () => {
  it.each([
    ['/api/v1/tiles/hotspots/23/0/0.mvt', 400, 'BAD_TILE'],
    ['/api/v1/tiles/hotspots/2/4/0.mvt', 400, 'BAD_TILE'], // x < 2^2 = 4
    ['/api/v1/tiles/hotspots/2/0/4.mvt', 400, 'BAD_TILE'],
    ['/api/v1/tiles/hotspots/1.5/0/0.mvt', 400, 'BAD_TILE'],
    ['/api/v1/tiles/hotspots/-1/0/0.mvt', 400, 'BAD_TILE'],
    ['/api/v1/tiles/hotspots/01/0/0.mvt', 400, 'BAD_TILE'],
    ['/api/v1/tiles/roads/0/0/0.mvt', 404, 'UNKNOWN_LAYER'],
    ['/api/v1/tiles/roads.json', 404, 'UNKNOWN_LAYER'],
  ])('%s → %i %s, counted', async (url, status, code) => {
    const before = oracle.counters();
    const r = await get(url);
    expect(r.statusCode).toBe(status);
    expect(r.json()).toMatchObject({ code });
    const after = oracle.counters();
    const route = url.endsWith('.json') ? '/api/v1/tiles/:layer.json' : '/api/v1/tiles/:layer/:z/:x/:y.mvt';
    const key = `httpErrors.${route}.${status}.${code}`;
    expect((after[key] ?? 0) - (before[key] ?? 0)).toBe(1);
  });

  it('serve a TileJSON 3.0.0 per layer with absolute tile URLs from the Host', async () => {
    for (const layer of ['hotspots', 'coverage']) {
      const r = await get(`/api/v1/tiles/${layer}.json`, { host: 'localhost:8080' });
      expect(r.statusCode).toBe(200);
      const tj = r.json();
      expect(tj).toMatchObject({ tilejson: '3.0.0', scheme: 'xyz', minzoom: 0, maxzoom: 14, tiles: [`http://localhost:8080/api/v1/tiles/${layer}/{z}/{x}/{y}.mvt`] });
      expect(tj.bounds).toEqual([-180, -85.0511287798066, 180, 85.0511287798066]);
      expect(tj.vector_layers).toHaveLength(1);
      expect(tj.vector_layers[0].id).toBe(layer);
      expect(Object.keys(tj.vector_layers[0].fields)).toContain(layer === 'hotspots' ? 'address' : 'cell');
    }
  });

  it('refuse a Host outside the allow-list before answering a TileJSON (421)', async () => {
    const r = await get('/api/v1/tiles/hotspots.json', { host: 'evil.example:8080' });
    expect(r.statusCode).toBe(421);
  });

  it('answer If-None-Match with the current ETag by 304, and a stale one by the tile', async () => {
    const first = await get('/api/v1/tiles/hotspots/10/518/352.mvt');
    const etag = first.headers.etag as string;
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['content-encoding']).toBeUndefined();
    const again = await get('/api/v1/tiles/hotspots/10/518/352.mvt', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect((await get('/api/v1/tiles/hotspots/10/518/352.mvt', { 'if-none-match': '"other"' })).statusCode).toBe(200);
  });

  it('send a gzipped tile, with its own ETag, to a client that accepts gzip', async () => {
    const plain = await get('/api/v1/tiles/hotspots/0/0/0.mvt');
    const gz = await get('/api/v1/tiles/hotspots/0/0/0.mvt', { 'accept-encoding': 'gzip, deflate' });
    if (plain.rawPayload.length >= 512) {
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(gz.headers.etag).not.toBe(plain.headers.etag);
    } else {
      // under 512 bytes a tile is sent as it is (tile-cache.ts GZIP_MIN_BYTES)
      expect(gz.headers['content-encoding']).toBeUndefined();
    }
    expect(gz.headers.vary).toMatch(/accept-encoding/);
  });
});

describe('cache invalidation', () => {
  it('a hotspot onboarded, moved or gone online changes its tiles (new ETag and content); others keep theirs', async () => {
    const url = '/api/v1/tiles/hotspots/10/518/352.mvt';
    const berlinUrl = '/api/v1/tiles/hotspots/10/550/335.mvt';
    const before = await get(url);
    const berlinBefore = await get(berlinUrl);
    expect(decode(berlinBefore.rawPayload, 'hotspots')).toHaveLength(1);
    const fourth = hotspotKey('tiles-paris-4');
      await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(fourth, 48.853, 2.352, clock.now()) });
    await rebuilt();
    const after = await get(url);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(decode(after.rawPayload, 'hotspots').map((f) => f.properties.address)).toContain(fourth.address);
    expect((await get(berlinUrl, { 'if-none-match': berlinBefore.headers.etag as string })).statusCode).toBe(304);

    // online: the directory and the `hotspot` event, as ingest does on a connect (ingest.ts); coverage
    // does not show it, so the coverage tile keeps its ETag
    const coverageBefore = await get('/api/v1/tiles/coverage/10/518/352.mvt');
    await oracle.sql.query('UPDATE hotspots SET online = true WHERE address = $1', [paris[1].address]);
    oracle.events.emit('hotspot', { address: paris[1].address, online: true });
    await rebuilt();
    const online = await get(url, { 'if-none-match': after.headers.etag as string });
    expect(online.statusCode).toBe(200);
    const f = decode(online.rawPayload, 'hotspots').find((x) => x.properties.address === paris[1].address)!;
    expect(f.properties.online).toBe(true);
    expect((await get('/api/v1/tiles/coverage/10/518/352.mvt', { 'if-none-match': coverageBefore.headers.etag as string })).statusCode).toBe(304);

    // moved to Berlin by a newer onboarding body: gone from the Paris tile, now in the Berlin tile
      await clock.advance(1000);
    await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(fourth, 52.521, 13.406, clock.now()) });
    await rebuilt();
    expect(decode((await get(url)).rawPayload, 'hotspots').map((x) => x.properties.address)).not.toContain(fourth.address);
    expect(decode((await get(berlinUrl)).rawPayload, 'hotspots').map((x) => x.properties.address)).toContain(fourth.address);
  });

  it('a verified round changes the coverage metrics of its cells', async () => {
    const url = '/api/v1/tiles/coverage/10/518/352.mvt';
    const before = await get(url);
    const cell = cellToParent(cellFromLatLng(48.85, 2.35, 12), 8);
    const was = decode(before.rawPayload, 'coverage').find((f) => f.properties.cell === cell)!.properties.witnesses as number;
    // what the verifier writes for a round (hotspot-store applyHotspotOutcomes), then its `poc` event
    await applyHotspotOutcomes(oracle.sql, [{ address: paris[0].address, validWitnesses: 5, bestRssiDbm: -90 }]);
    // the tile layers read which hotspots a round touched: its beaconer and witnesses
    oracle.events.emit('poc', { beaconer: paris[0].address, witnesses: [] } as never);
    await rebuilt();
    const after = await get(url, { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    const f = decode(after.rawPayload, 'coverage').find((x) => x.properties.cell === cell)!;
    expect(f.properties.witnesses).toBe(was + 5);
    expect(f.properties.bestRssiDbm).toBe(-90);
  });
});
