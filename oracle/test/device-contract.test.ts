/**
 * What docs/devices.md, docs/protocol.md and docs/api.md promise a device built from them alone, checked
 * against one in-process oracle (embedded broker over real TCP and WebSocket, PGlite in memory): which MQTT
 * versions connect, the WebSocket path, what a publish refused for its payload gets (PUBACK, connection
 * kept), and which onboarding locations are accepted.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { cellToParent, latLngToCell } from 'h3-js';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { beaconReport, connectHotspot, connectToken, hotspotKey, onboardingBody, witnessReport } from './helpers/devices.ts';
import { T0, until } from './helpers/pipeline-scenario.ts';

const clock = new ManualClock(T0);
const alice = hotspotKey('contract-alice');
const bob = hotspotKey('contract-bob');
/** A valid key that is never onboarded. */
const mallory = hotspotKey('contract-mallory');
let oracle: OracleHandle;

beforeAll(async () => {
  oracle = await startOracle(
    { dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', adminToken: 'admin' },
    { clock, logger: pino({ level: 'silent' }) },
  );
  for (const [k, lat] of [[alice, 48.85], [bob, 48.86]] as const) {
    const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(k, lat, 2.35, clock.now()) });
    expect(r.statusCode).toBe(201);
  }
}, 600_000);
afterAll(() => oracle?.stop());

let tokenMs = T0;
/** A fresh connect token each time (tokens must be strictly newer than the last one accepted). */
const freshToken = () => connectToken(alice, ++tokenMs);

/** The bytes the broker answers to `bytes` on a raw TCP connection, until it closes the connection. */
function rawExchange(url: string, bytes: Buffer): Promise<Buffer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(Number(port), hostname, () => s.write(bytes));
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks)));
    s.setTimeout(300_000, () => s.destroy(new Error('no answer')));
  });
}

describe('MQTT versions on the embedded broker', () => {
  it('answers an MQTT 5 CONNECT with CONNACK return code 1 (unacceptable protocol version) and closes', async () => {
    // MQTT 5.0 §3.1: fixed header 0x10, remaining length 14; protocol name "MQTT", level 5, flags 0x02
    // (clean start), keep alive 60, properties length 0; payload: client id "x".
    const connect5 = Buffer.from([0x10, 14, 0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 0x02, 0, 60, 0, 0, 1, 0x78]);
    // MQTT 3.1.1 §3.2: CONNACK = 0x20, remaining length 2, session present 0, return code 1.
    expect([...(await rawExchange(oracle.mqttUrl, connect5))]).toEqual([0x20, 2, 0, 1]);
  });

  it('refuses an mqtt.js client speaking MQTT 5 with return code 1, even with a valid token', async () => {
    const err = await mqtt
      .connectAsync(oracle.mqttUrl, { protocolVersion: 5, username: alice.address, password: freshToken(), reconnectPeriod: 0, connectTimeout: 300_000 })
      .then((c) => (c.end(true), null), (e: Error & { code?: number }) => e);
    expect(err?.code).toBe(1);
  });

  it.each([
    ['3.1.1', { protocolVersion: 4 as const }],
    ['3.1', { protocolVersion: 3 as const, protocolId: 'MQIsdp' as const }],
  ])('accepts a hotspot speaking MQTT %s', async (_name, version) => {
    const c = await mqtt.connectAsync(oracle.mqttUrl, {
      ...version, clientId: alice.address, username: alice.address, password: freshToken(), reconnectPeriod: 0, connectTimeout: 300_000,
    });
    const granted = await c.subscribeAsync('hexium/entropy', { qos: 1 });
    await c.endAsync(true);
    expect(granted.map((g) => g.qos)).toEqual([1]);
  });
});

describe('MQTT over WebSocket', () => {
  it('serves the documented path /mqtt', async () => {
    expect(new URL(oracle.wsUrl!).pathname).toBe('/mqtt');
    const base = new URL(oracle.wsUrl!);
    const c = await mqtt.connectAsync(`ws://${base.host}/mqtt`, { clientId: alice.address, username: alice.address, password: freshToken(), reconnectPeriod: 0, connectTimeout: 300_000 });
    const got = new Promise<Buffer>((r) => c.once('message', (_t, p) => r(p)));
    await c.subscribeAsync('hexium/entropy', { qos: 1 });
    const entropy = JSON.parse((await got).toString());
    await c.endAsync(true);
    expect(entropy).toMatchObject({ v: 1, version: 0 });
  });

  it('still accepts other paths (as before /mqtt was documented)', async () => {
    const base = new URL(oracle.wsUrl!);
    const c = await mqtt.connectAsync(`ws://${base.host}/`, { clientId: alice.address, username: alice.address, password: freshToken(), reconnectPeriod: 0, connectTimeout: 300_000 });
    expect(c.connected).toBe(true);
    await c.endAsync(true);
  });
});

describe('a QoS 1 publish refused for its payload', () => {
  it('is acknowledged and dropped, counted, and the connection stays open for the next publish', async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, ++tokenMs);
    let closed = false;
    c.on('close', () => (closed = true));
    const counter = () => oracle.counters()['mqttRefused.publish.bad_schema'] ?? 0;
    const before = { refused: counter(), ingested: oracle.counters()['ingested.witness'] ?? 0 };
    const topic = `hexium/hotspot/${alice.address}/event/witness`;

    const pubacks: (number | undefined)[] = [];
    c.on('packetreceive', (p) => p.cmd === 'puback' && pubacks.push(p.messageId));
    // a QoS 1 publish is complete when its PUBACK, with the same packet id, arrives (MQTT 3.1.1 §4.3.2)
    const sent = await c.publishAsync(topic, JSON.stringify({ v: 1, hotspot: alice.address }), { qos: 1 });
    expect(sent?.messageId).toBeGreaterThan(0);
    expect(pubacks).toEqual([sent?.messageId]);
    expect(counter()).toBe(before.refused + 1);
    expect(c.connected).toBe(true);

    const entropy = { v: 1 as const, dataHex: '22'.repeat(32), timestampS: T0 / 1000, version: 0 };
    await c.publishAsync(topic, JSON.stringify(witnessReport(alice, beaconReport(alice, entropy, oracle.params))), { qos: 1 });
    await until(async () => (await oracle.idle(), (oracle.counters()['ingested.witness'] ?? 0) === before.ingested + 1), 'valid witness ingested');
    expect(closed).toBe(false);
    await c.endAsync(true);
  });

  it('is acknowledged when it is not JSON, or names another hotspot in its body', async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, ++tokenMs);
    const topic = `hexium/hotspot/${alice.address}/event/witness`;
    const before = { json: oracle.counters()['mqttRefused.publish.bad_json'] ?? 0, mismatch: oracle.counters()['mqttRefused.publish.address_mismatch'] ?? 0 };
    await c.publishAsync(topic, '{not json', { qos: 1 });
    const other = hotspotKey('contract-other');
    const entropy = { v: 1 as const, dataHex: '33'.repeat(32), timestampS: T0 / 1000, version: 0 };
    await c.publishAsync(topic, JSON.stringify(witnessReport(other, beaconReport(other, entropy, oracle.params))), { qos: 1 });
    expect(c.connected).toBe(true);
    await c.endAsync(true);
    expect(oracle.counters()['mqttRefused.publish.bad_json']).toBe(before.json + 1);
    expect(oracle.counters()['mqttRefused.publish.address_mismatch']).toBe(before.mismatch + 1);
  });

  it('is still a closed connection when the topic is not the client’s own', async () => {
    const before = oracle.counters()['mqttRefused.publish.foreign_topic'] ?? 0;
    const c = await connectHotspot(oracle.mqttUrl, alice, ++tokenMs);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(`hexium/hotspot/${hotspotKey('contract-other').address}/event/witness`, '{}', { qos: 1 });
    await closed;
    c.end(true);
    expect(oracle.counters()['mqttRefused.publish.foreign_topic']).toBe(before + 1);
  });
});

describe('onboarding location', () => {
  const post = (payload: object, url = '/api/v1/hotspots') => oracle.app.inject({ method: 'POST', url, payload });
  // Paris at resolution 12 (accepted) and its res-8 parent (refused)
  const res12 = latLngToCell(48.8, 2.3, 12);
  const res8 = cellToParent(res12, 8);

  it.each([
    ['a res-8 cell', res8],
    ['a res-15 cell', latLngToCell(48.8, 2.3, 15)],
    ['a string that is no H3 cell', 'zz'],
    ['15 hex digits that are no H3 cell', 'fffffffffffffff'],
    ['a res-12 cell in upper case', res12.toUpperCase()],
  ])('refuses %s with 400 INVALID_LOCATION', async (_why, location) => {
    const r = await post(onboardingBody(hotspotKey(`loc-${location}`), 0, 0, clock.now(), { location }));
    expect([r.statusCode, r.json().code]).toEqual([400, 'INVALID_LOCATION']);
  });

  it('accepts a res-12 cell and null', async () => {
    expect((await post(onboardingBody(hotspotKey('loc-ok'), 48.8, 2.3, clock.now()))).statusCode).toBe(201);
    expect((await post(onboardingBody(hotspotKey('loc-null'), 0, 0, clock.now(), { location: null }))).statusCode).toBe(201);
  });

  it('refuses a res-8 or malformed cell in bulk onboarding with INVALID_LOCATION at its index', async () => {
    const bulk = await post(
      {
        hotspots: [
          onboardingBody(hotspotKey('bulk-8'), 0, 0, clock.now(), { location: res8 }),
          onboardingBody(hotspotKey('bulk-12'), 48.8, 2.3, clock.now()),
          onboardingBody(hotspotKey('bulk-bad'), 0, 0, clock.now(), { location: 'not-a-cell' }),
        ],
      },
      '/api/v1/hotspots/bulk',
    );
    expect(bulk.json()).toMatchObject({
      created: 1,
      updated: 0,
      rejected: [{ index: 0, code: 'INVALID_LOCATION' }, { index: 2, code: 'INVALID_LOCATION' }],
    });
  });
});

describe('issue 14: who may connect and whose session survives', () => {
  const refused = (stage: string, reason: string) => oracle.counters()[`mqttRefused.${stage}.${reason}`] ?? 0;
  const connectErr = (opts: mqtt.IClientOptions) =>
    mqtt.connectAsync(oracle.mqttUrl, { reconnectPeriod: 0, connectTimeout: 300_000, ...opts }).then(
      (c) => (c.end(true), null),
      (e: Error & { code?: number }) => e,
    );

  it('refuses a key that was never onboarded with CONNACK 5 (not authorized) and counts it', async () => {
    const before = refused('connect', 'not_onboarded');
    const err = await connectErr({ clientId: mallory.address, username: mallory.address, password: connectToken(mallory, ++tokenMs) });
    expect(err?.code).toBe(5);
    expect(refused('connect', 'not_onboarded')).toBe(before + 1);
  });

  it("refuses another hotspot's client id with CONNACK 2 and leaves that hotspot's session connected", async () => {
    const a = await connectHotspot(oracle.mqttUrl, alice, ++tokenMs);
    let aliceClosed = false;
    a.on('close', () => (aliceClosed = true));
    const before = refused('connect', 'foreign_client_id');
    // bob is onboarded and signs a valid token, but asks for alice's client id (her address)
    const err = await connectErr({ clientId: alice.address, username: bob.address, password: connectToken(bob, ++tokenMs) });
    expect(err?.code).toBe(2);
    expect(refused('connect', 'foreign_client_id')).toBe(before + 1);
    // alice's session is untouched: a QoS 1 round trip still completes on it
    const granted = await a.subscribeAsync('hexium/entropy', { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    expect(aliceClosed).toBe(false);
    // alice reconnecting with her own key replaces her own old session (MQTT-3.1.4-2)
    const a2 = await connectHotspot(oracle.mqttUrl, alice, ++tokenMs);
    await until(() => aliceClosed, 'old session closed by the new one');
    expect(a2.connected).toBe(true);
    await a2.endAsync(true);
  });

  it('acknowledges and drops a publish over 16 KiB, and one with a duplicated field, counting each', async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, ++tokenMs);
    const topic = `hexium/hotspot/${alice.address}/event/witness`;
    const entropy = { v: 1 as const, dataHex: '33'.repeat(32), timestampS: T0 / 1000, version: 0 };
    const w = JSON.stringify(witnessReport(alice, beaconReport(alice, entropy, oracle.params)));
    const before = { large: refused('publish', 'payload_too_large'), dup: refused('publish', 'duplicate_key') };
    await c.publishAsync(topic, w.replace(/}$/, `,"pad":"${'x'.repeat(20_000)}"}`), { qos: 1 });
    await c.publishAsync(topic, w.replace(/^\{/, `{"hotspot":"${bob.address}",`), { qos: 1 });
    expect(refused('publish', 'payload_too_large')).toBe(before.large + 1);
    expect(refused('publish', 'duplicate_key')).toBe(before.dup + 1);
    expect(c.connected).toBe(true);
    await c.endAsync(true);
  });

  it('closes a connection announcing a packet over 64 KiB at its header, before reading the body', async () => {
    const before = refused('packet', 'packet_too_large');
    const { hostname, port } = new URL(oracle.mqttUrl);
    const s = net.connect(Number(port), hostname);
    await new Promise<void>((r) => s.once('connect', () => r()));
    // MQTT 3.1.1 §2.2.3: PUBLISH (0x30) with Remaining Length 10 000 000 = 0x80 0xAD 0xE2 0x04
    // (10 000 000 = 0 + 0x2D·128 + 0x62·128² + 0x04·128³, low 7 bits first), and no body sent
    s.write(Buffer.from([0x30, 0x80, 0xad, 0xe2, 0x04]));
    await new Promise<void>((r) => s.once('close', () => r()));
    expect(refused('packet', 'packet_too_large')).toBe(before + 1);
  });
});
