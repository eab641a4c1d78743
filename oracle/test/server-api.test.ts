/**
 * One oracle (embedded broker over real TCP, PGlite in memory), checked from the outside: every
 * broker auth/authorization rule, the last will, and the API's 4xx paths with stable error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { pino } from 'pino';
import Value from 'typebox/value';
import { signMessage } from '@hexium/shared/identity/index';
import { OracleEventSchemas, type OracleEvent } from '@hexium/shared/protocol/index';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { connectHotspot, connectToken, hotspotKey, onboardingBody, witnessReport, beaconReport } from './helpers/devices.ts';
import { T0, until } from './helpers/pipeline-scenario.ts';

const clock = new ManualClock(T0);
const alice = hotspotKey('api-alice');
const bob = hotspotKey('api-bob');
const fleetSpot = hotspotKey('api-fleet');
let oracle: OracleHandle;
/** Every SSE event the oracle emits, and those that do not match their shared schema. */
const emitted: OracleEvent[] = [];
const offSchema: OracleEvent[] = [];

beforeAll(async () => {
  oracle = await startOracle(
    { dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', fleets: { sim: 's3cret' }, adminToken: 'admin' },
    { clock, logger: pino({ level: 'silent' }) },
  );
  oracle.events.on((e) => {
    emitted.push(e);
    if (!Value.Check(OracleEventSchemas[e.type], e.data)) offSchema.push(e);
  });
  for (const [k, lat, extra] of [[alice, 48.85, {}], [bob, 48.9, {}], [fleetSpot, 48.95, { fleet: 'sim' }]] as const) {
    const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(k, lat, 2.35, clock.now(), extra) });
    expect(r.statusCode).toBe(201);
  }
});
afterAll(() => oracle?.stop());

// connectTimeout only catches a hang: on a loaded CI machine a CONNACK has taken tens of seconds, and a
// timeout would read as a refusal with the wrong message.
const refusedConnect = (password: string, username = alice.address) =>
  // the client id is bound to the identity: its address, or fleet:<id> (docs/protocol.md "Authentication")
  mqtt.connectAsync(oracle.mqttUrl, { clientId: username, username, password, reconnectPeriod: 0, connectTimeout: 300_000 }).then(
    (c) => (c.end(true), 'connected'),
    (e: Error) => e.message,
  );

describe('broker authentication', () => {
  it('refuses a token signed by the wrong key', async () => {
    const forged = connectToken(bob, clock.now()).replace(String(clock.now()), String(clock.now()));
    const sig = forged.split('.')[1];
    expect(await refusedConnect(`${clock.now()}.${sig}`)).toMatch(/Bad username or password/);
  });
  it('refuses a stale token (6 minutes old)', async () => {
    expect(await refusedConnect(connectToken(alice, clock.now() - 360_000))).toMatch(/Bad username or password/);
  });
  it('refuses a replayed token', async () => {
    const t = connectToken(alice, clock.now() - 1000);
    const first = await mqtt.connectAsync(oracle.mqttUrl, { clientId: alice.address, username: alice.address, password: t, reconnectPeriod: 0 });
    await first.endAsync(true);
    expect(await refusedConnect(t)).toMatch(/Bad username or password/);
    expect(oracle.counters()['mqttRefused.connect.replayed_token']).toBe(1);
  });
  it('refuses a wrong fleet secret and accepts the right one', async () => {
    expect(await refusedConnect('nope', 'fleet:sim')).toMatch(/Bad username or password/);
    expect(await refusedConnect('s3cret', 'fleet:sim')).toBe('connected');
  });
});

describe('MQTT over WebSocket', () => {
  it('authenticates a hotspot and delivers the retained entropy', async () => {
    const c = await mqtt.connectAsync(oracle.wsUrl!, { clientId: fleetSpot.address, username: fleetSpot.address, password: connectToken(fleetSpot, clock.now()), reconnectPeriod: 0 });
    const got = new Promise<Buffer>((r) => c.once('message', (_t, p) => r(p)));
    await c.subscribeAsync('hexium/entropy', { qos: 1 });
    const entropy = JSON.parse((await got).toString());
    await c.endAsync(true);
    expect(entropy).toMatchObject({ v: 1, version: 0, timestampS: Math.floor(T0 / 1000) });
    expect(entropy.dataHex).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('broker authorization', () => {
  it('closes a client publishing on a foreign topic and counts it', async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, clock.now());
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(`hexium/hotspot/${bob.address}/event/witness`, JSON.stringify({ x: 1 }), { qos: 1 });
    await closed;
    c.end(true);
    expect(oracle.counters()['mqttRefused.publish.foreign_topic']).toBe(1);
  });
  it('acknowledges and drops a payload that fails its schema, keeps the client connected and counts it', async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, clock.now() + 1);
    const pubacks: (number | undefined)[] = [];
    c.on('packetreceive', (p) => p.cmd === 'puback' && pubacks.push(p.messageId));
    const sent = await c.publishAsync(`hexium/hotspot/${alice.address}/event/beacon`, JSON.stringify({ v: 1, hotspot: alice.address }), { qos: 1 });
    expect(pubacks).toEqual([sent?.messageId]);
    expect(c.connected).toBe(true);
    await c.endAsync(true);
    expect(oracle.counters()['mqttRefused.publish.bad_schema']).toBe(1);
    expect(oracle.counters()['ingested.beacon'] ?? 0).toBe(0);
  });
  it("grants no subscription to another hotspot's commands (SUBACK 128)", async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, clock.now() + 2);
    const foreign = await c.subscribeAsync(`hexium/hotspot/${bob.address}/command/+`, { qos: 1 }).then(
      () => 'granted',
      (e: Error) => e.message,
    );
    const own = await c.subscribeAsync(`hexium/hotspot/${alice.address}/command/+`, { qos: 1 });
    await c.endAsync(true);
    expect(foreign).toMatch(/Unspecified error/); // mqtt.js's name for SUBACK return code 0x80
    expect(own.map((g) => g.qos)).toEqual([1]);
  });
  it('lets a fleet publish for its hotspots and refuses others', async () => {
    const c = await mqtt.connectAsync(oracle.mqttUrl, { clientId: 'fleet:sim:test', username: 'fleet:sim', password: 's3cret', reconnectPeriod: 0 });
    const entropy = { v: 1 as const, dataHex: '00'.repeat(32), timestampS: T0 / 1000, version: 0 };
    await c.publishAsync(`hexium/hotspot/${fleetSpot.address}/event/witness`, JSON.stringify(witnessReport(fleetSpot, beaconReport(bob, entropy, oracle.params))), { qos: 1 });
    await oracle.idle();
    expect(oracle.counters()['ingested.witness']).toBe(1);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(`hexium/hotspot/${bob.address}/event/witness`, JSON.stringify(witnessReport(bob, beaconReport(bob, entropy, oracle.params))), { qos: 1 });
    await closed;
    c.end(true);
    expect(oracle.counters()['mqttRefused.publish.not_fleet_hotspot']).toBe(1);
  });
  it('drops a schema-valid report with a bad signature at ingest and counts it', async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, clock.now() + 3);
    const w = JSON.parse(JSON.stringify(witnessReport(alice, beaconReport(alice, { v: 1, dataHex: '11'.repeat(32), timestampS: 1, version: 0 }, oracle.params))));
    w.rssiDbm = -99; // signed over -110
    await c.publishAsync(`hexium/hotspot/${alice.address}/event/witness`, JSON.stringify(w), { qos: 1 });
    await oracle.idle();
    await c.endAsync(true);
    expect(oracle.counters()['ingestDropped.bad_signature']).toBe(1);
  });
  it('marks a hotspot online with its state and offline by its last will', async () => {
    const c = await connectHotspot(oracle.mqttUrl, bob, clock.now() + 4);
    await c.publishAsync(`hexium/hotspot/${bob.address}/state/conn`, JSON.stringify({ v: 1, hotspot: bob.address, state: 'ONLINE' }), { qos: 1, retain: true });
    await oracle.idle();
    expect((await oracle.app.inject({ url: `/api/v1/hotspots/${bob.address}` })).json().online).toBe(true);
    c.stream.destroy(); // unclean: the broker publishes the will
    await until(async () => (await oracle.idle(), !(await oracle.app.inject({ url: `/api/v1/hotspots/${bob.address}` })).json().online), 'offline');
  });
  it("forwards to a fleet subscribed to every hotspot's commands only its own hotspots' commands", async () => {
    const fleet = await mqtt.connectAsync(oracle.mqttUrl, { clientId: 'fleet:sim:cmds', username: 'fleet:sim', password: 's3cret', reconnectPeriod: 0 });
    const got: string[] = [];
    fleet.on('message', (topic) => got.push(topic));
    await fleet.subscribeAsync('hexium/hotspot/+/command/+', { qos: 1 });
    const b = await connectHotspot(oracle.mqttUrl, bob, clock.now() + 5);
    const online = (k: { address: string }) => JSON.stringify({ v: 1, hotspot: k.address, state: 'ONLINE' });
    await b.publishAsync(`hexium/hotspot/${bob.address}/state/conn`, online(bob), { qos: 1 });
    await fleet.publishAsync(`hexium/hotspot/${fleetSpot.address}/state/conn`, online(fleetSpot), { qos: 1 });
    await oracle.idle();
    // bob is not a fleet hotspot: his challenge (sent first) goes to him alone; fleetSpot's reaches its fleet
    for (const k of [bob, fleetSpot]) {
      expect((await oracle.app.inject({ method: 'POST', url: '/api/v1/challenges', payload: { hotspot: k.address } })).statusCode).toBe(202);
    }
    await until(async () => got.length >= 1, 'fleet command');
    await b.endAsync(true);
    await fleet.endAsync(true);
    expect(got).toEqual([`hexium/hotspot/${fleetSpot.address}/command/challenge`]);
  });
  it('emits only events that match their shared schema (shared/src/protocol/events.ts)', () => {
    // this file's broker tests emit a witness, hotspot status changes and two challenges
    expect(new Set(emitted.map((e) => e.type))).toEqual(new Set(['witness', 'hotspot', 'challenge']));
    expect(offSchema).toEqual([]);
  });
});

describe('API 4xx paths', () => {
  const cases: [string, string, number, string, object | undefined][] = [
    ['GET', '/api/v1/hotspots/notanaddress', 400, 'INVALID_ADDRESS', undefined],
    ['GET', `/api/v1/hotspots/${hotspotKey('nobody').address}`, 404, 'HOTSPOT_NOT_FOUND', undefined],
    ['GET', '/api/v1/hotspots?bbox=1,2,3', 400, 'BAD_BBOX', undefined],
    ['GET', '/api/v1/hotspots?status=sleepy', 400, 'BAD_REQUEST', undefined],
    ['GET', '/api/v1/coverage?res=3', 400, 'BAD_REQUEST', undefined],
    ['GET', '/api/v1/coverage?res=8&bbox=0,50,10,40', 400, 'BAD_BBOX', undefined],
    ['GET', '/api/v1/rounds?limit=501', 400, 'BAD_REQUEST', undefined],
    ['GET', '/api/v1/rounds/nope', 404, 'ROUND_NOT_FOUND', undefined],
    ['GET', '/api/v1/epochs/abc', 400, 'BAD_REQUEST', undefined],
    ['GET', '/api/v1/epochs/7', 404, 'EPOCH_NOT_FOUND', undefined],
    ['GET', '/api/v1/epochs/7/manifest', 404, 'EPOCH_NOT_FOUND', undefined],
    ['POST', '/api/v1/challenges', 400, 'INVALID_ADDRESS', { hotspot: 'x' }],
    ['POST', '/api/v1/challenges', 400, 'BAD_REQUEST', {}],
    ['POST', '/api/v1/challenges', 404, 'HOTSPOT_NOT_FOUND', { hotspot: hotspotKey('nobody').address }],
    ['POST', '/api/v1/challenges', 409, 'HOTSPOT_OFFLINE', { hotspot: alice.address }],
    ['POST', '/api/v1/hotspots', 400, 'BAD_REQUEST', { v: 1 }],
    ['GET', '/api/v1/nothing-here', 404, 'NOT_FOUND', undefined],
  ];
  it.each(cases)('%s %s → %i %s', async (method, url, status, code, payload) => {
    const r = await oracle.app.inject({ method: method as 'GET', url, payload });
    expect(r.statusCode).toBe(status);
    expect(r.json()).toMatchObject({ code, message: expect.any(String) });
  });

  it('refuses onboarding with a bad signature (401), a stale timestamp (400) and a replayed body (409)', async () => {
    const k = hotspotKey('api-carol');
    const body = onboardingBody(k, 48.8, 2.3, clock.now());
    const forged = { ...body, gainDbi: 9 };
    expect((await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: forged })).json().code).toBe('BAD_SIGNATURE');
    const stale = onboardingBody(k, 48.8, 2.3, clock.now() - 301_000);
    const rs = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: stale });
    expect([rs.statusCode, rs.json().code]).toEqual([400, 'STALE_TIMESTAMP']);
    expect((await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: body })).statusCode).toBe(201);
    const replay = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: body });
    expect([replay.statusCode, replay.json().code]).toEqual([409, 'REPLAYED_TIMESTAMP']);
  });

  it('replaces the deny list only with the admin token, stores edges undirected, and rejects bad addresses', async () => {
    const body = { tag: 'v1', addresses: [bob.address], edges: [[bob.address, alice.address]] };
    expect((await oracle.app.inject({ method: 'PUT', url: '/api/v1/denylist', payload: body })).statusCode).toBe(401);
    const bad = await oracle.app.inject({ method: 'PUT', url: '/api/v1/denylist', headers: { authorization: 'Bearer admin' }, payload: { addresses: ['nope'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_ADDRESS');
    const ok = await oracle.app.inject({ method: 'PUT', url: '/api/v1/denylist', headers: { authorization: 'Bearer admin' }, payload: body });
    expect(ok.statusCode).toBe(200);
    // the edge (bob, alice) is undirected: stored once with its two addresses in sorted order
    const sorted = [bob.address, alice.address].sort();
    expect((await oracle.app.inject({ method: 'GET', url: '/api/v1/denylist' })).json()).toEqual({ tag: 'v1', addresses: [bob.address], edges: [sorted] });
    const cleared = await oracle.app.inject({ method: 'PUT', url: '/api/v1/denylist', headers: { authorization: 'Bearer admin' }, payload: { addresses: [] } });
    expect(cleared.json()).toEqual({ tag: '', addresses: [], edges: [] });
  });
  it('refuses a region that contradicts the location (Paris is EU868)', async () => {
    const k = hotspotKey('api-dave');
    const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(k, 48.8, 2.3, clock.now(), { region: 'US915' }) });
    expect([r.statusCode, r.json().code]).toEqual([400, 'REGION_MISMATCH']);
  });

  it('re-asserts (moves) a hotspot with 200 and reports bulk rejections per index', async () => {
    const moved = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(alice, 48.86, 2.36, clock.now() + 10) });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().hotspot.location).toBe(onboardingBody(alice, 48.86, 2.36, 0).location);
    const k = hotspotKey('api-erin');
    const bulk = await oracle.app.inject({
      method: 'POST',
      url: '/api/v1/hotspots/bulk',
      payload: { hotspots: [onboardingBody(k, 48.7, 2.2, clock.now()), { v: 1 }, signMessage({ ...onboardingBody(k, 48.7, 2.2, clock.now() + 5), signature: undefined }, bob)] },
    });
    expect(bulk.json()).toMatchObject({ created: 1, updated: 0, rejected: [{ index: 1, code: 'BAD_REQUEST' }, { index: 2, code: 'BAD_SIGNATURE' }] });
  });

  it('documents a response schema for every success status of every route in /docs (issue 13 "One contract")', async () => {
    const doc = (await oracle.app.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
    };
    const missing: string[] = [];
    let routes = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        routes++;
        const ok = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
        if (ok.length === 0 || ok.some(([, r]) => !Object.values(r.content ?? {}).some((c) => c.schema))) missing.push(`${method} ${path}`);
      }
    }
    // docs/api.md's table: 28 rows, less `/docs` and `/` (not in the document) = 26 method + path pairs
    expect(routes).toBe(26);
    expect(missing).toEqual([]);
  });

  it('serves a round stored before PocResult had dataHex whole (docs/api.md "Notes on the shapes")', async () => {
    const old = {
      v: 1, pocId: 'stored-before-datahex', beaconer: alice.address, receivedAtMs: 1, verifiedAtMs: 2,
      beacon: { status: 'invalid', reason: 'stale', location: null, hexScale: '0', rewardUnit: '0', frequencyHz: 867_100_000, dataRate: 'SF12BW125', txPowerDbm: 16 },
      witnesses: [],
    };
    await oracle.sql.query('INSERT INTO rounds (poc_id, beaconer, status, received_at_ms, verified_at_ms, result) VALUES ($1, $2, $3, $4, $5, $6)', [
      old.pocId, old.beaconer, 'invalid', old.receivedAtMs, old.verifiedAtMs, JSON.stringify(old),
    ]);
    const one = await oracle.app.inject({ url: `/api/v1/rounds/${old.pocId}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(old);
    expect((await oracle.app.inject({ url: '/api/v1/rounds?before=2' })).json()).toEqual({ rounds: [old] });
  });

  it('serves health, params, GeoJSON, coverage, metrics, OpenAPI and the map page with the CSP', async () => {
    expect((await oracle.app.inject({ url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
    expect((await oracle.app.inject({ url: '/api/v1/params' })).json().profile).toBe('demo');
    const fc = (await oracle.app.inject({ url: '/api/v1/hotspots?bbox=2,48,3,49' })).json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThanOrEqual(3);
    const cov = (await oracle.app.inject({ url: '/api/v1/coverage?res=4' })).json();
    expect(cov.res).toBe(4);
    expect(cov.hexes.reduce((s: number, h: { hotspots: number }) => s + h.hotspots, 0)).toBe(fc.features.length);
    expect((await oracle.app.inject({ url: '/metrics' })).body).toContain('hexium_mqtt_refused_total');
    expect((await oracle.app.inject({ url: '/docs/json' })).json().paths['/api/v1/coverage']).toBeDefined();
    const home = await oracle.app.inject({ url: '/' });
    expect(home.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
  });
});
