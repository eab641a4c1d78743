/**
 * Vector tiles at Helium's scale (issue 16, Targets): the 370,000-hotspot fixture loaded into a real
 * oracle (`startOracle`, the code of `oracle serve`, over HTTP on 127.0.0.1), then
 *  - the index build at start,
 *  - tile response p95 with the tile cache cold (emptied before each pass) and cached, for a world view and
 *    a city view, each next to GET /api/v1/health timed the same way in the same run;
 *  - the bytes of one city view's tiles (hotspots + coverage).
 * Targets: p95 ≤ 50 ms cold, ≤ 5 ms cached; a city view ≤ 1 MB (tiles + API).
 *
 * Views, for a 1400 × 900 window and MapLibre's 512-px vector tiles (a map zoom Z shows tiles of zoom
 * floor(Z); the window spans 1400 / 512 / 2^(Z − z) tiles across):
 *  - world: map zoom 1.5 → tiles of z 1; 1400 / 724 = 1.9 columns and 900 / 724 = 1.2 rows → all four z-1 tiles;
 *  - city: Shanghai (the fixture's largest city) at map zoom 12 → z-12 tiles within ±1400/1024 columns and
 *    ±900/1024 rows of the centre → 4 × 3 = 12 tiles.
 * The fixture is kept in test/output/ between runs (loading it takes about a minute).
 */
import { pino } from 'pino';
import { startOracle } from '../oracle/src/server.ts';
import { ensureHeliumPeak, HELIUM_PEAK_HOTSPOTS } from '../test/helpers/helium-peak.ts';
import { WORLD_CITIES } from '../oracle/src/fixtures/world-cities.ts';
import { mercatorX, mercatorY } from '../oracle/src/tiles/tile-math.ts';
import { row, type BenchRow } from './lib.ts';

const SUITE = 'tiles';
const PASSES = Number(process.env.HEXIUM_BENCH_TILE_PASSES ?? 8);
const LAYERS = ['hotspots', 'coverage'] as const;

type Tile = [z: number, x: number, y: number];

function viewTiles(lat: number, lng: number, zoom: number, width = 1400, height = 900): Tile[] {
  const z = Math.floor(zoom);
  const n = 2 ** z;
  const scale = 512 * 2 ** (zoom - z);
  const cx = mercatorX(lng) * n;
  const cy = mercatorY(lat) * n;
  const tiles: Tile[] = [];
  for (let x = Math.floor(cx - width / 2 / scale); x <= Math.floor(cx + width / 2 / scale); x++) {
    for (let y = Math.max(0, Math.floor(cy - height / 2 / scale)); y <= Math.min(n - 1, Math.floor(cy + height / 2 / scale)); y++) tiles.push([z, ((x % n) + n) % n, y]);
  }
  return tiles;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { dataDir: DATA_DIR, loaded } = await ensureHeliumPeak();
  if (loaded) {
    rows.push(row(SUITE, `fixture load, ${loaded.hotspots} hotspots (generate + HIP-17 + bulk insert, PGlite)`, loaded.ms / 1000, 's', { target: '≤ 60 s', pass: ({ value }) => value <= 60 }));
  }
  const oracle = await startOracle(
    // helium params: the fixture's hotspots stay interactive for 60 h, so the density scaler keeps their scales
    { dataDir: DATA_DIR, httpPort: 0, mqttPort: 0, wsPort: 0, params: 'helium' },
    { logger: pino({ level: 'silent' }) },
  );
  try {
    const base = oracle.httpUrl;
    const time = async (path: string) => {
      const t = performance.now();
      const r = await fetch(base + path, { headers: { 'accept-encoding': 'identity' } });
      const body = new Uint8Array(await r.arrayBuffer());
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      return { ms: performance.now() - t, bytes: body.byteLength, body };
    };
    const url = (layer: string, [z, x, y]: Tile) => `/api/v1/tiles/${layer}/${z}/${x}/${y}.mvt`;

    // the listening oracle started building the indexes at once (tile-routes.ts onListen)
    await oracle.app.tiles.prepare();
    rows.push(row(SUITE, `tile index build at start, ${HELIUM_PEAK_HOTSPOTS} hotspots (read + supercluster + coverage)`, oracle.app.tiles.lastBuildMs, 'ms', { target: 'once at start' }));

    const [, , , lat, lng] = WORLD_CITIES[0];
    const views = { world: viewTiles(20, 0, 1.5), city: viewTiles(lat, lng, 12) };
    const health: number[] = [];
    for (const [name, tiles] of Object.entries(views)) {
      const cold: number[] = [];
      const cached: number[] = [];
      const perView = tiles.length * LAYERS.length;
      for (let pass = 0; pass < PASSES; pass++) {
        oracle.app.tiles.cache.deleteWhere(() => true);
        for (const layer of LAYERS) for (const t of tiles) cold.push((await time(url(layer, t))).ms);
        for (const layer of LAYERS) for (const t of tiles) cached.push((await time(url(layer, t))).ms);
        for (let i = 0; i < perView * 2; i++) health.push((await time('/api/v1/health')).ms);
      }
      const baseline = { name: 'GET /api/v1/health p95, same run', value: p95(health) };
      rows.push(row(SUITE, `tile p95, ${name} view (${perView} tiles), cache cold`, p95(cold), 'ms', { baseline, target: '≤ 50 ms', pass: ({ value }) => value <= 50 }));
      rows.push(row(SUITE, `tile p95, ${name} view (${perView} tiles), cached`, p95(cached), 'ms', { baseline, target: '≤ 5 ms', pass: ({ value }) => value <= 5 }));
    }

    // bytes as a browser receives them (it sends Accept-Encoding: gzip), and uncompressed
    let raw = 0;
    let sent = 0;
    for (const layer of LAYERS) {
      for (const t of views.city) {
        raw += (await time(url(layer, t))).bytes;
        const r = await fetch(base + url(layer, t), { headers: { 'accept-encoding': 'gzip' } });
        sent += Number(r.headers.get('content-length') ?? NaN);
        await r.arrayBuffer();
      }
    }
    // a verified round touching 30 hotspots in the city: the incremental rebuild's duration, and health's
    // p95 while it runs (the rebuild shares the event loop: supercluster's load is one synchronous call)
    const { rows: touched } = await oracle.sql.query('SELECT address FROM hotspots ORDER BY id LIMIT 30');
    await oracle.sql.query('UPDATE hotspots SET valid_witnesses = valid_witnesses + 1 WHERE address = ANY($1)', [touched.map((r) => r.address)]);
    const builds = oracle.app.tiles.builds;
    oracle.events.emit('poc', { beaconer: touched[0].address, witnesses: touched.slice(1).map((r) => ({ hotspot: r.address })) } as never);
    const during: number[] = [];
    while (oracle.app.tiles.builds === builds) {
      during.push((await time('/api/v1/health')).ms);
      await new Promise((r) => setTimeout(r, 20));
    }
    rows.push(row(SUITE, 'incremental rebuild after a round touching 30 hotspots', oracle.app.tiles.lastBuildMs, 'ms', { target: 'spaced ≥ 3× its duration' }));
    rows.push(row(SUITE, 'GET /api/v1/health p95 while changes wait for and run a rebuild', p95(during), 'ms', { baseline: { name: 'GET /api/v1/health p95, quiet', value: p95(health) } }));

    const coverageBytes = (await time('/api/v1/coverage?res=9')).bytes;
    rows.push(row(SUITE, `bytes of one city view's tiles (${views.city.length * 2}: hotspots + coverage, gzip as sent to a browser)`, sent / 1024, 'kB', {
      baseline: { name: 'GET /api/v1/coverage?res=9 (whole network, the GeoJSON-era API)', value: coverageBytes / 1024 },
      target: '≤ 1024 kB',
      pass: ({ value }) => value <= 1024,
    }));
    rows.push(row(SUITE, "bytes of one city view's tiles, uncompressed", raw / 1024, 'kB'));
  } finally {
    await oracle.stop();
  }
  return rows;
}
