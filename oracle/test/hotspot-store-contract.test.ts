/**
 * The hotspot store's contract (oracle/src/store/hotspot-store.ts), on PGlite and — with
 * TEST_DATABASE_URL — PostgreSQL: onboarding and its replay refusal, location and gain changes, online
 * status, the verifier's history (only forward), hex scales, regions, the API's reads; and the deny list
 * beside it (oracle/src/store/deny-list-store.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../src/store/sql.ts';
import {
  applyHotspotOutcomes, hotspotDetailRow, hotspotRegion, listHotspots, loadAllHotspots, loadCoverageRows, loadHistories, loadHotspot,
  loadReciprocityTimes, markAllOffline, insertHotspotsBulk, readTileHotspots, setHexScales, setHotspotOffline, setHotspotOnline, upsertOnboarding, upsertOnboardings, type OnboardingRow,
} from '../src/store/hotspot-store.ts';
import { loadDenyList, readDenyList, replaceDenyList } from '../src/store/deny-list-store.ts';
import { isDeniedEdge } from '../src/poc/index.ts';
import { contractStores } from './helpers/contract-stores.ts';

const T = 1_764_000_000_000;
const row = (address: string, over: Partial<OnboardingRow> = {}): OnboardingRow => ({
  address, name: `name-${address}`, location: '8c1f1a2b3c4d5ff', lat: 52.52, lng: 13.4, region: 'EU868', gainDbi: 1.2, elevationM: 30,
  fullHotspot: true, fleet: null, nowMs: T, timestampMs: T, ...over,
});

describe.each(contractStores('hotspot_store'))('hotspot store ($name)', ({ open }) => {
  let sql: Sql;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, cleanup } = await open());
    // three hotspots, onboarded in the order a, b, c (ids ascending)
    await upsertOnboarding(sql, row('a', { fleet: 'fleet-1' }));
    await upsertOnboarding(sql, row('b', { location: '8c2a1072b59a5ff', lat: 40.7, lng: -74.0, region: 'US915' }));
    await upsertOnboarding(sql, row('c', { location: null, lat: null, lng: null, region: null }));
  });
  afterAll(async () => {
    await sql?.close();
    await cleanup?.();
  });

  it('onboards a new hotspot offline, with what it asserted', async () => {
    const h = await loadHotspot(sql, 'a');
    expect(h).toMatchObject({ address: 'a', name: 'name-a', location: '8c1f1a2b3c4d5ff', lat: 52.52, lng: 13.4, region: 'EU868', gainDbi: 1.2,
      elevationM: 30, fullHotspot: true, fleet: 'fleet-1', online: false, hexScale: null });
    expect(await loadHotspot(sql, 'nobody')).toBeUndefined();
    expect((await loadAllHotspots(sql)).map((x) => x.address)).toEqual(['a', 'b', 'c']);
  });

  it('refuses an onboarding whose timestamp is not newer, and changes nothing', async () => {
    expect(await upsertOnboarding(sql, row('a', { timestampMs: T, gainDbi: 9 }))).toEqual({ replayed: true });
    expect(await upsertOnboarding(sql, row('a', { timestampMs: T - 1, gainDbi: 9 }))).toEqual({ replayed: true });
    expect((await loadHotspot(sql, 'a'))?.gainDbi).toBe(1.2);
  });

  it('records a location and gain change, keeping the fleet when none is given', async () => {
    const r = await upsertOnboarding(sql, row('a', { timestampMs: T + 1, nowMs: T + 5, location: '8c1f1a2b3c4d7ff', lat: 52.6, lng: 13.5, gainDbi: 5.8, fleet: null }));
    expect(r).toMatchObject({ replayed: false, created: false, hotspot: { address: 'a', location: '8c1f1a2b3c4d7ff', lat: 52.6, lng: 13.5, gainDbi: 5.8, fleet: 'fleet-1' } });
    const again = await upsertOnboarding(sql, row('d', { timestampMs: T + 1 }));
    expect(again).toMatchObject({ replayed: false, created: true });
  });

  it('records online status: one hotspot, a closed connection, every hotspot at start', async () => {
    await setHotspotOnline(sql, 'a', true, T + 10);
    await setHotspotOnline(sql, 'b', true, T + 10);
    expect((await loadHotspot(sql, 'a'))?.online).toBe(true);
    await setHotspotOffline(sql, 'a', T + 20);
    expect((await loadHotspot(sql, 'a'))?.online).toBe(false);
    expect((await loadHotspot(sql, 'b'))?.online).toBe(true);
    await markAllOffline(sql);
    expect((await loadAllHotspots(sql)).filter((h) => h.online)).toEqual([]);
  });

  it('moves round history only forward and sums the map aggregates', async () => {
    await applyHotspotOutcomes(sql, [
      { address: 'a', lastBeaconAtMs: T + 1000, lastBeaconReciprocityAtMs: T + 1000, lastPocStatus: 'valid', validWitnesses: 2, bestRssiDbm: -100 },
      { address: 'b', lastWitnessAtMs: T + 1000, validWitnesses: 0 },
    ]);
    await applyHotspotOutcomes(sql, [{ address: 'a', lastBeaconAtMs: T + 500, validWitnesses: 3, bestRssiDbm: -90 }]);
    // a: last beacon max(T+1000, T+500) = T+1000; witnesses 2 + 3 = 5; best RSSI max(-100, -90) = -90; status kept (no new one)
    expect(await loadHistories(sql, ['a', 'b', 'c', 'nobody'])).toEqual(
      new Map([
        ['a', { lastBeaconAtMs: T + 1000, lastBeaconReciprocityAtMs: T + 1000 }],
        ['b', { lastWitnessAtMs: T + 1000 }],
        ['c', {}],
      ]),
    );
    expect(await loadHistories(sql, [])).toEqual(new Map());
    expect(await loadReciprocityTimes(sql)).toEqual(new Map([['a', T + 1000]]));
    const list = await listHotspots(sql, { limit: 10 });
    expect(list.find((h) => h.address === 'a')).toMatchObject({ last_poc_status: 'valid', last_beacon_at_ms: T + 1000 });
    const cov = await loadCoverageRows(sql);
    // c has no location; a and d do, b too
    expect(cov.map((r) => r.location).sort()).toEqual(['8c1f1a2b3c4d5ff', '8c1f1a2b3c4d7ff', '8c2a1072b59a5ff']);
    expect(cov.find((r) => r.location === '8c1f1a2b3c4d7ff')).toEqual({ location: '8c1f1a2b3c4d7ff', valid_witnesses: 5, best_rssi_dbm: -90, hex_scale: null });
  });

  it('writes hex scales, null included', async () => {
    await setHexScales(sql, ['a', 'b'], ['0.5', '1']);
    await setHexScales(sql, ['b'], [null]);
    expect((await loadHotspot(sql, 'a'))?.hexScale).toBe('0.5');
    expect((await loadHotspot(sql, 'b'))?.hexScale).toBeNull();
  });

  it("gives a hotspot's asserted region, null without one", async () => {
    expect(await hotspotRegion(sql, 'b')).toBe('US915');
    expect(await hotspotRegion(sql, 'c')).toBeNull();
    expect(await hotspotRegion(sql, 'nobody')).toBeNull();
  });

  it('lists in onboarding order, inside a bounding box, across the antimeridian, up to a limit', async () => {
    expect((await listHotspots(sql, { limit: 10 })).map((h) => h.address)).toEqual(['a', 'b', 'c', 'd']);
    expect((await listHotspots(sql, { limit: 2 })).map((h) => h.address)).toEqual(['a', 'b']);
    // Berlin box: a (52.6, 13.5) and d (52.52, 13.4); not b (New York) nor c (no location)
    expect((await listHotspots(sql, { bbox: { w: 13, s: 52, e: 14, n: 53 }, limit: 10 })).map((h) => h.address)).toEqual(['a', 'd']);
    // w > e: longitudes ≥ 170 or ≤ −70 — only b (−74.0)
    expect((await listHotspots(sql, { bbox: { w: 170, s: -90, e: -70, n: 90 }, limit: 10 })).map((h) => h.address)).toEqual(['b']);
    expect(await hotspotDetailRow(sql, 'b')).toMatchObject({ address: 'b', region: 'US915', gain_dbi: 1.2, online: false, hex_scale: null });
    expect(await hotspotDetailRow(sql, 'nobody')).toBeNull();
  });

  it('replaces the deny list whole: addresses once, edges undirected and once, read back sorted', async () => {
    expect(await readDenyList(sql)).toEqual({ tag: '', addresses: [], edges: [] });
    const stored = await replaceDenyList(sql, { tag: 'v1', addresses: ['z', 'a', 'a'], edges: [['y', 'x'], ['x', 'y'], ['b', 'c']] });
    expect(stored).toEqual({ tag: 'v1', addresses: ['a', 'z'], edges: [['b', 'c'], ['x', 'y']] });
    const list = await loadDenyList(sql);
    expect([...list.addresses].sort()).toEqual(['a', 'z']);
    expect(isDeniedEdge(list, 'x', 'y') && isDeniedEdge(list, 'y', 'x') && isDeniedEdge(list, 'c', 'b')).toBe(true);
    expect(isDeniedEdge(list, 'a', 'z')).toBe(false);
    // a new list replaces the old one entirely
    expect(await replaceDenyList(sql, { addresses: ['q'], edges: [] })).toEqual({ tag: '', addresses: ['q'], edges: [] });
  });

  it('bulk-inserts new hotspots only, and reads located hotspots for the tiles by id', async () => {
    const bulk = (address: string) => ({
      address, name: `bulk-${address}`, location: '8c1f1a2b3c4d9ff', lat: 52.7, lng: 13.6, region: 'EU868', gainDbi: 3, elevationM: 10, fullHotspot: true,
      online: true, lastBeaconAtMs: T, lastBeaconReciprocityAtMs: null, lastPocStatus: 'valid' as const, validWitnesses: 4, bestRssiDbm: -80, hexScale: '0.25',
    });
    // 'a' exists: left as it is; 'e' is new
    expect(await insertHotspotsBulk(sql, [bulk('a'), bulk('e')], T + 50)).toBe(1);
    expect((await loadHotspot(sql, 'a'))?.name).toBe('name-a');
    // located hotspots by id (onboarding order a, b, c, d, then e); c has no location
    const tiles = await readTileHotspots(sql);
    expect(tiles.map((h) => h.address)).toEqual(['a', 'b', 'd', 'e']);
    expect(tiles[3]).toMatchObject({ address: 'e', name: 'bulk-e', location: '8c1f1a2b3c4d9ff', lat: 52.7, lng: 13.6, online: true, lastPocStatus: 'valid', hexScale: '0.25', validWitnesses: 4, bestRssiDbm: -80 });
    expect((await readTileHotspots(sql, ['e', 'c', 'nobody'])).map((h) => h.address)).toEqual(['e']);
  });

  it('stores many onboardings in their order, each as if stored alone, a repeated address included', async () => {
    // After the tests above: a (timestamp T+1), b (T), c (T), d (T+1), e (bulk, T+50) exist.
    const out = await upsertOnboardings(sql, [
      row('f', { timestampMs: T + 60 }), // new
      row('b', { timestampMs: T + 60, gainDbi: 7 }), // newer: updated
      row('a', { timestampMs: T + 1, gainDbi: 9 }), // not newer than T+1: replayed
      row('g', { timestampMs: T + 60 }), // new
      row('f', { timestampMs: T + 61, gainDbi: 4 }), // the same batch's f again, newer: updated
      row('f', { timestampMs: T + 61, gainDbi: 5 }), // and again, not newer than T+61: replayed
    ]);
    expect(out.map((o) => (o.replayed ? 'replayed' : o.created ? 'created' : 'updated'))).toEqual(['created', 'updated', 'replayed', 'created', 'updated', 'replayed']);
    expect((await loadHotspot(sql, 'b'))?.gainDbi).toBe(7);
    expect((await loadHotspot(sql, 'a'))?.gainDbi).toBe(5.8);
    expect((await loadHotspot(sql, 'f'))?.gainDbi).toBe(4);
    // new hotspots get ids in the order given: f before g, both after e
    const ids = new Map((await loadAllHotspots(sql)).map((h) => [h.address, h.id]));
    expect(ids.get('e')! < ids.get('f')! && ids.get('f')! < ids.get('g')!).toBe(true);
    expect(await upsertOnboardings(sql, [])).toEqual([]);
  });
});
