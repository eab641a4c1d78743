/**
 * A fixture of the oracle HTTP API (docs/api.md shapes) for the map BENCHMARK and for developing the map
 * without an oracle: N hotspots and a disk of res-8 coverage hexes around a centre, synthetic rounds,
 * epochs and an SSE stream of synthetic beacons. It serves a static directory (the built map) with the
 * oracle's strict CSP. NOT a test of the real oracle — the browser tests run against `startOracle`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { cellToLatLng, cellToParent, gridDisk, latLngToCell } from 'h3-js';
import { createRng } from '@hexium/shared/random/rng';
import { keyPairFromSeed } from '@hexium/shared/identity/index';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export interface FixtureOptions {
  hotspots: number;
  /** k of the res-8 grid disk: 3k²+3k+1 hexes (k = 129 → 50,311). */
  diskK: number;
  center: [number, number];
  seed?: number;
  /** Emit a synthetic beacon round on the SSE stream every this many ms (0 = never). */
  liveEveryMs?: number;
  staticDir?: string;
  /** Served at /bare/: the benchmark's bare MapLibre page, which reads /bare-data.json. */
  bareDir?: string;
}

interface Hotspot { id: number; address: string; name: string; cell: string; lat: number; lng: number; online: boolean; status: 'valid' | 'invalid' | null; scale: string }
interface Hex { cell: string; hotspots: number; witnesses: number; bestRssiDbm: number | null; scale: string | null; lat: number; lng: number }

const REASONS = ['max_distance_exceeded', 'below_min_distance', 'too_late', 'bad_rssi', 'invalid_frequency', 'duplicate'];
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

export function buildFixture(o: FixtureOptions) {
  const rng = createRng(o.seed ?? 7);
  const centre = latLngToCell(o.center[1], o.center[0], 8);
  const disk = gridDisk(centre, o.diskK);
  const hotspots: Hotspot[] = [];
  for (let i = 0; i < o.hotspots; i++) {
    // Address by a cheap deterministic key: derivation of 10,000 ed25519 keys takes < 1 s.
    const kp = keyPairFromSeed(rng.bytes(32));
    const parent = disk[Math.floor(Math.pow(rng.next(), 1.6) * disk.length)];
    // A random res-12 cell within ≈ 300 m of the parent's centre (a res-8 edge is ≈ 461 m).
    const [pLat, pLng] = cellToLatLng(parent);
    const cell = latLngToCell(pLat + (rng.next() - 0.5) * 0.005, pLng + (rng.next() - 0.5) * 0.007, 12);
    const [lat, lng] = cellToLatLng(cell);
    hotspots.push({ id: i + 1, address: kp.address, name: kp.name, cell, lat, lng, online: rng.next() < 0.8, status: rng.next() < 0.15 ? 'invalid' : rng.next() < 0.9 ? 'valid' : null, scale: (0.25 + Math.floor(rng.next() * 4) * 0.25).toFixed(2) });
  }
  const perCell = new Map<string, Hotspot[]>();
  for (const h of hotspots) {
    const c = cellToParent(h.cell, 8);
    (perCell.get(c) ?? perCell.set(c, []).get(c)!).push(h);
  }
  const res8: Hex[] = disk.map((cell) => {
    const hs = perCell.get(cell) ?? [];
    const [lat, lng] = cellToLatLng(cell);
    return { cell, hotspots: hs.length, witnesses: rng.int(0, 60) + hs.length * 20, bestRssiDbm: Math.round((-130 + rng.next() * 60) * 10) / 10, scale: hs.length ? hs[0].scale : null, lat, lng };
  });
  const byRes = new Map<number, Hex[]>([[8, res8]]);
  for (const res of [4, 5, 6, 7]) {
    const agg = new Map<string, Hex>();
    for (const h of res8) {
      const p = cellToParent(h.cell, res);
      const a = agg.get(p);
      if (!a) {
        const [lat, lng] = cellToLatLng(p);
        agg.set(p, { ...h, cell: p, lat, lng });
      } else {
        a.hotspots += h.hotspots;
        a.witnesses += h.witnesses;
        a.bestRssiDbm = Math.max(a.bestRssiDbm ?? -200, h.bestRssiDbm ?? -200);
        a.scale ??= h.scale;
      }
    }
    byRes.set(res, [...agg.values()]);
  }
  for (const res of [9, 10]) {
    const agg = new Map<string, Hex>();
    for (const h of hotspots) {
      const c = cellToParent(h.cell, res);
      const a = agg.get(c);
      if (a) a.hotspots++;
      else {
        const [lat, lng] = cellToLatLng(c);
        agg.set(c, { cell: c, hotspots: 1, witnesses: 10, bestRssiDbm: -90, scale: h.scale, lat, lng });
      }
    }
    byRes.set(res, [...agg.values()]);
  }
  return { hotspots, byRes, res8, rng };
}

export async function startFixtureApi(o: FixtureOptions): Promise<{ url: string; server: Server; fixture: ReturnType<typeof buildFixture>; close: () => Promise<void> }> {
  const fx = buildFixture(o);
  const byAddress = new Map(fx.hotspots.map((h) => [h.address, h]));
  const feature = (h: Hotspot) => ({
    type: 'Feature', id: h.id, geometry: { type: 'Point', coordinates: [h.lng, h.lat] },
    properties: { address: h.address, name: h.name, location: h.cell, region: 'EU868', gainDbi: 1.2, elevationM: 5, fullHotspot: true, online: h.online, lastBeaconAtMs: Date.now() - 60_000, lastPocStatus: h.status, hexScale: h.scale },
  });
  const hotspotsJson = JSON.stringify({ type: 'FeatureCollection', features: fx.hotspots.map(feature) });
  const round = (b: Hotspot, t: number, k: number) => {
    const ws = Array.from({ length: 3 + (k % 5) }, (_, i) => fx.hotspots[(b.id * 7 + i * 13 + k) % fx.hotspots.length]).filter((w) => w !== b);
    return {
      v: 1, pocId: `poc-${b.id}-${k}`, dataHex: (b.id * 1000 + k).toString(16).padStart(102, '0'), beaconer: b.address, receivedAtMs: t, verifiedAtMs: t + 3000,
      beacon: { status: 'valid', reason: null, location: b.cell, hexScale: b.scale, rewardUnit: '1', frequencyHz: 867_100_000, dataRate: 'SF9BW125', txPowerDbm: 16 },
      witnesses: ws.map((w, i) => ({ hotspot: w.address, receivedAtMs: t + 50 + i * 10, status: i % 3 === 2 ? 'invalid' : 'valid', reason: i % 3 === 2 ? REASONS[(k + i) % REASONS.length] : null, selected: i % 3 !== 2, location: w.cell, hexScale: w.scale, rewardUnit: '0.5', rssiDbm: -80 - i * 7, snrDb: 5 - i, distanceM: 1200 + i * 800 })),
    };
  };
  const sse = new Set<ServerResponse>();
  const send = (type: string, data: unknown) => {
    for (const r of sse) r.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let k = 0;
  const liveTimer = o.liveEveryMs
    ? setInterval(() => {
        const b = fx.hotspots[(k * 31) % fx.hotspots.length];
        const r = round(b, Date.now(), k++);
        const key = (k * 1234567).toString(16).padStart(102, '0');
        send('beacon', { beaconer: b.address, key, receivedAtMs: r.receivedAtMs, frequencyHz: 867_100_000, dataRate: 'SF9BW125', lat: b.lat, lng: b.lng });
        r.witnesses.forEach((w, i) => setTimeout(() => {
          const h = byAddress.get(w.hotspot)!;
          send('witness', { witness: w.hotspot, key, receivedAtMs: w.receivedAtMs, rssiDbm: w.rssiDbm, snrDb: w.snrDb, lat: h.lat, lng: h.lng });
        }, 300 + i * 250));
        setTimeout(() => send('poc', r), 3500);
      }, o.liveEveryMs)
    : undefined;
  const epochs = [1, 2, 3].map((e) => ({ epoch: e, startS: 1764000000 + e * 300, endS: 1764000300 + e * 300, hash: 'ab'.repeat(32), prevHash: e === 1 ? null : 'cd'.repeat(32), hotspots: 12, totalBones: String(1234567890 * e), verified: true }));

  let bareJson: string | undefined;
  const json = (res: ServerResponse, body: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const p = u.pathname;
    if (p === '/api/v1/hotspots') return json(res, hotspotsJson);
    if (p.startsWith('/api/v1/hotspots/')) {
      const h = byAddress.get(decodeURIComponent(p.slice('/api/v1/hotspots/'.length)));
      if (!h) return json(res, { code: 'NOT_FOUND', message: 'unknown hotspot' }, 404);
      const now = Date.now();
      return json(res, { ...feature(h).properties, lat: h.lat, lng: h.lng, recentRounds: [0, 1, 2].map((i) => round(h, now - i * 90_000, h.id + i)), rewards: [1, 2, 3, 4, 5, 6].map((e) => ({ epoch: e, beaconAmount: String(1e6 * e), witnessAmount: String(3e6 + 5e5 * (e % 3)), dcTransferAmount: String(2e5 * e), total: String(1e6 * e + 3e6 + 5e5 * (e % 3) + 2e5 * e) })) });
    }
    if (p === '/api/v1/coverage') {
      const res_ = Number(u.searchParams.get('res') ?? 8);
      const [w, s, e, n] = (u.searchParams.get('bbox') ?? '-180,-90,180,90').split(',').map(Number);
      const hexes = (fx.byRes.get(res_) ?? []).filter((h) => h.lng >= w && h.lng <= e && h.lat >= s && h.lat <= n).map(({ cell, hotspots, witnesses, bestRssiDbm, scale }) => ({ cell, hotspots, witnesses, bestRssiDbm, scale }));
      return json(res, { res: res_, hexes });
    }
    if (p === '/api/v1/network') return json(res, { hotspots: fx.hotspots.length, online: fx.hotspots.filter((h) => h.online).length, beaconsLastHour: 4210, witnessesLastHour: 18833, validWitnessShare: 0.83, dcSpent: 1200, latestEpoch: { epoch: 3, hash: 'ab'.repeat(32), totalBones: '3703703670' } });
    if (p === '/api/v1/epochs') return json(res, { epochs });
    if (/^\/api\/v1\/epochs\/\d+$/.test(p)) {
      const e = epochs.find((x) => x.epoch === Number(p.split('/').pop()));
      if (!e) return json(res, { code: 'NOT_FOUND', message: 'no epoch' }, 404);
      return json(res, { epoch: e.epoch, startS: e.startS, endS: e.endS, hash: e.hash, operations: '70000000', oracles: '70000000', unallocatedPoc: '0', rewards: fx.hotspots.slice(0, 12).map((h, i) => ({ hotspot: h.address, name: h.name, beaconAmount: String(1e6 * (i + 1)), witnessAmount: String(2e6), dcTransferAmount: '0', total: String(1e6 * (i + 1) + 2e6) })) });
    }
    if (/^\/api\/v1\/epochs\/\d+\/manifest$/.test(p)) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-hexium-manifest-verified': 'true' });
      return res.end('{}');
    }
    if (p === '/api/v1/challenges' && req.method === 'POST') {
      let body = '';
      for await (const c of req) body += c;
      const h = byAddress.get((JSON.parse(body) as { hotspot: string }).hotspot);
      if (!h) return json(res, { code: 'NOT_FOUND', message: 'unknown' }, 404);
      return json(res, { challengeId: `c${Date.now()}`, hotspot: h.address, issuedAtMs: Date.now() }, 202);
    }
    if (p === '/api/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': hello\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    if (p.startsWith('/api/')) return json(res, { code: 'NOT_FOUND', message: p }, 404);
    if (p === '/bare-data.json') return json(res, bareJson ??= JSON.stringify({ cells: fx.res8.map((h) => h.cell), points: fx.hotspots.map((h) => [h.lng, h.lat]) }));
    const bare = p.startsWith('/bare/') && o.bareDir;
    const dir = bare ? o.bareDir : o.staticDir;
    if (!dir) return json(res, { code: 'NOT_FOUND', message: p }, 404);
    const rel = normalize(decodeURIComponent(bare ? p.slice('/bare'.length) : p)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, rel.endsWith('/') ? `${rel}index.html` : rel);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  };
  const server = createServer((req, res) => void handle(req, res).catch((e) => json(res, { code: 'INTERNAL', message: String(e) }, 500)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    fixture: fx,
    close: async () => {
      clearInterval(liveTimer);
      for (const r of sse) r.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
