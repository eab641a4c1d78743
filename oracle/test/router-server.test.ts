/**
 * The packet router inside the running oracle (embedded broker over TCP, PGlite in memory): an org
 * created over the API, a join request published by a hotspot over MQTT answered with a JoinAccept on
 * that hotspot's command topic, then a data uplink from two hotspots charged once and forwarded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import Value from 'typebox/value';
import { signMessage } from '@hexium/shared/identity/index';
import { PacketEventSchema } from '@hexium/shared/protocol/index';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { connectHotspot, hotspotKey, onboardingBody } from './helpers/devices.ts';
import { T0, until } from './helpers/pipeline-scenario.ts';
import { dataUp, deviceAcceptJoin, joinRequest, uplinkFrame } from './router-fixtures.ts';

const clock = new ManualClock(T0);
const alice = hotspotKey('router-alice');
const bob = hotspotKey('router-bob');
const DEV = { devEui: '0004a30b001c0531', joinEui: '70b3d57ed0000001', appKey: 'ffeeddccbbaa99887766554433221100' };
let oracle: OracleHandle;
const clients: MqttClient[] = [];
const packets: any[] = [];
const downs: any[] = [];

beforeAll(async () => {
  oracle = await startOracle({ dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', adminToken: 'admin' }, { clock, logger: pino({ level: 'silent' }) });
  for (const [k, lat] of [[alice, 48.85], [bob, 48.86]] as const) {
    const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(k, lat, 2.35, clock.now()) });
    expect(r.statusCode).toBe(201);
  }
  oracle.events.on((e: { type: string; data: any }) => {
    if (e.type === 'packet') packets.push(e.data);
  });
  for (const k of [alice, bob]) clients.push(await connectHotspot(oracle.mqttUrl, k, clock.now()));
  await clients[0].subscribeAsync(`hexium/hotspot/${alice.address}/command/+`, { qos: 1 });
  clients[0].on('message', (topic, payload) => {
    if (topic.endsWith('/command/down')) downs.push(JSON.parse(payload.toString()));
  });
});
afterAll(async () => {
  for (const c of clients) await c.endAsync(true);
  await oracle?.stop();
});

const send = (i: number, phy: Buffer, rssi: number) =>
  clients[i].publishAsync(`hexium/hotspot/${[alice, bob][i].address}/event/up`, JSON.stringify(signMessage(uplinkFrame([alice, bob][i].address, phy, { rssi }), [alice, bob][i])), { qos: 1 });

/** Let the de-dup window close in virtual time once `n` packet events exist. */
async function untilPackets(n: number) {
  await until(async () => {
    await clock.advance(250);
    return packets.length >= n;
  }, `${n} packet events`);
  await oracle.idle();
}

describe('packet router in the oracle', () => {
  it('creates the organization with the admin token', async () => {
    const body = { orgId: 'acme', name: 'Acme', dcBalance: '5', devAddrRanges: [{ start: '48000000', end: '480000ff' }], devices: [DEV] };
    expect((await oracle.app.inject({ method: 'POST', url: '/api/v1/orgs', payload: body })).statusCode).toBe(401);
    const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/orgs', payload: body, headers: { authorization: 'Bearer admin' } });
    expect(r.statusCode).toBe(201);
  });

  it('answers a join over MQTT and forwards the joined device’s uplink, charged once', async () => {
    await send(0, joinRequest({ ...DEV, devNonce: 1 }), -90);
    await untilPackets(1);
    await until(() => downs.length > 0, 'the join accept on command/down');
    expect(downs[0].gatewayId).toBe(alice.address);
    expect(downs[0].items[0].txInfo).toMatchObject({ frequency: 868_100_000, timing: { delay: { delay: '5s' } } });
    const dev = deviceAcceptJoin(Buffer.from(downs[0].items[0].phyPayload, 'base64'), DEV.appKey, 1);
    expect(dev).toMatchObject({ micValid: true, devAddr: '48000000' });

    const phy = dataUp({ devAddr: dev.devAddr, nwkSKey: dev.nwkSKey, appSKey: dev.appSKey, fCnt: 0, payload: Buffer.from('0167011a', 'hex') });
    await send(0, phy, -100);
    await send(1, phy, -95);
    await untilPackets(2);
    // 17-byte PHYPayload → 1 DC; balance 5 → 4
    expect(packets[1]).toMatchObject({ orgId: 'acme', devAddr: '48000000', dcCharged: 1 });
    const orgs = (await oracle.app.inject({ method: 'GET', url: '/api/v1/orgs' })).json().orgs;
    expect(orgs[0]).toMatchObject({ orgId: 'acme', dcBalance: '4' });
    // the join and the bought uplink, each in the shape of the shared SSE schema (shared/src/protocol/events.ts)
    expect(packets.map((p) => Value.Check(PacketEventSchema, p))).toEqual([true, true]);
  });
});
