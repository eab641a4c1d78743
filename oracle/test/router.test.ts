/**
 * Packet router against an in-memory PGlite with every migration (D's core + the router's): org and
 * DC routes, de-dup and multi-buy, DC charging and drops, the join server and ACK downlinks.
 * Frames come from lora-packet (router-fixtures.ts), expected values from the specs worked by hand.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Value from 'typebox/value';
import { HELIUM_PARAMS, type NetworkParams } from '@hexium/shared/params/index';
import { AppUplinkSchema, DownlinkFrameSchema, DownlinkTxAckSchema, topics, type AppUplink, type DownlinkFrame, type DownlinkTxAck } from '@hexium/shared/protocol/index';
import { openPglite } from '../src/store/pglite-sql.ts';
import { migrate } from '../src/store/migrate.ts';
import type { Sql } from '../src/store/sql.ts';
import { createPacketRouter, type PacketRouter } from '../src/router/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { dataUp, deviceAcceptJoin, deviceReadDown, hotspotAddress, joinRequest, ManualClock, uplinkFrame } from './router-fixtures.ts';

const TOKEN = 'test-admin-token';
const T0 = 1_764_000_000_000;
const NWK = '2b7e151628aed2a6abf7158809cf4f3c';
const APP = '000102030405060708090a0b0c0d0e0f';
const APPKEY = 'ffeeddccbbaa99887766554433221100';
const [HA, HB, HC] = [hotspotAddress(1), hotspotAddress(2), hotspotAddress(3)];
const T = topics('hexium');

let sql: Sql;
let app: FastifyInstance;

interface Harness {
  router: PacketRouter;
  clock: ManualClock;
  published: { topic: string; msg: any }[];
  events: { event: string; data: any }[];
}

function harness(over: Partial<NetworkParams> = {}): Harness {
  const clock = new ManualClock(T0);
  const published: Harness['published'] = [];
  const events: Harness['events'] = [];
  const params = { ...HELIUM_PARAMS, dedupWindowMs: 200, multiBuy: 2, ...over };
  const logger = { info() {}, warn() {}, error() {}, debug() {} };
  const router = createPacketRouter({
    sql, params, clock, logger, topics: T,
    publish: (topic, payload) => void published.push({ topic, msg: JSON.parse(payload) }),
    emit: (event, data) => void events.push({ event, data }),
  });
  return { router, clock, published, events };
}

/** Deliver copies (hotspot, ms after T0, options), close the window, wait for the writes. */
async function deliver(h: Harness, phy: Buffer, copies: [string, number, Parameters<typeof uplinkFrame>[2]?][]) {
  for (const [hotspot, dt, o] of [...copies].sort((a, b) => a[1] - b[1])) {
    h.clock.advance(Math.max(0, T0 + dt - h.clock.now()));
    h.router.handleUplink(uplinkFrame(hotspot, phy, o), T0 + dt);
  }
  h.clock.advance(1_000);
  await h.router.idle();
}

async function post(url: string, body: unknown, auth = true) {
  return app.inject({ method: 'POST', url, payload: body as object, headers: auth ? { authorization: `Bearer ${TOKEN}` } : {} });
}
async function balance(orgId: string): Promise<string> {
  const r = await app.inject({ method: 'GET', url: '/api/v1/orgs' });
  return r.json().orgs.find((o: any) => o.orgId === orgId).dcBalance;
}

beforeAll(async () => {
  sql = await openPglite('memory://');
  await migrate(sql);
  app = Fastify();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  await app.register(harness().router.routes, { adminToken: TOKEN });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await sql?.close();
});

describe('organization and DC routes', () => {
  it('creates an organization only with the admin token', async () => {
    const body = { orgId: 'acme', name: 'Acme', dcBalance: '10', devAddrRanges: [{ start: '48000000', end: '480000ff' }], devices: [{ devAddr: '48000001', nwkSKey: NWK, appSKey: APP }] };
    expect((await post('/api/v1/orgs', body, false)).statusCode).toBe(401);
    const r = await post('/api/v1/orgs', body);
    expect(r.statusCode).toBe(201);
    expect(r.json().org).toMatchObject({ orgId: 'acme', dcBalance: '10', devAddrRanges: [{ start: '48000000', end: '480000ff' }], devices: [{ devAddr: '48000001', activation: 'abp' }] });
    expect((await post('/api/v1/orgs', body)).json().code).toBe('ORG_EXISTS');
  });

  it('refuses overlapping ranges, devices outside the range and bad bodies with 4xx { code, message }', async () => {
    const overlap = await post('/api/v1/orgs', { orgId: 'other', name: 'O', devAddrRanges: [{ start: '48000080', end: '48000100' }] });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({ code: 'DEVADDR_RANGE_OVERLAP' });
    const outside = await post('/api/v1/orgs', { orgId: 'o2', name: 'O', devAddrRanges: [{ start: '48010000', end: '480100ff' }], devices: [{ devAddr: '48000001', nwkSKey: NWK, appSKey: APP }] });
    expect(outside.json()).toMatchObject({ code: 'DEVADDR_OUT_OF_RANGE' });
    const bad = await post('/api/v1/orgs', { orgId: 'o3', name: 'O', devAddrRanges: [{ start: 'zz', end: '480100ff' }] });
    expect(bad.statusCode).toBe(400);
    expect(typeof bad.json().message).toBe('string');
    expect((await post('/api/v1/orgs/nobody/devices', { devices: [{ devEui: '0000000000000001', joinEui: '0000000000000002', appKey: APPKEY }] })).statusCode).toBe(404);
  });

  it('burns HNT for DC at the oracle price', async () => {
    // HELIUM_PARAMS price $3.59: 1 HNT (10^8 bones) × 3.59 / 0.00001 = 359 000 DC; 10 + 359 000 = 359 010
    // DC are minted only by the treasury (admin token): an anonymous burn is refused and adds nothing
    const anon = await post('/api/v1/orgs/acme/dc', { hntBones: '100000000' }, false);
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('UNAUTHORIZED');
    const r = await post('/api/v1/orgs/acme/dc', { hntBones: '100000000' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ dcAdded: '359000', dcBalance: '359010' });
    expect((await post('/api/v1/orgs/nobody/dc', { hntBones: '1' })).statusCode).toBe(404);
    expect((await post('/api/v1/orgs/acme/dc', { hntBones: '-5' })).statusCode).toBe(400);
  });
});

describe('uplinks: de-dup, DC charging, multi-buy', () => {
  it('charges 3 copies in the window once and buys the first 2 hotspots by receive time', async () => {
    await post('/api/v1/orgs', { orgId: 'dedup', name: 'D', dcBalance: '100', devAddrRanges: [{ start: '48000100', end: '480001ff' }], devices: [{ devAddr: '48000101', devEui: '0000000000000101', nwkSKey: NWK, appSKey: APP }] });
    const h = harness();
    const phy = dataUp({ devAddr: '48000101', nwkSKey: NWK, appSKey: APP, fCnt: 0, payload: Buffer.from('hi!') });
    // receive order: C at +0 ms, A at +50 ms, B at +120 ms (all inside the 200 ms window)
    await deliver(h, phy, [[HA, 50, { rssi: -90 }], [HB, 120], [HC, 0]]);
    const ups = h.published.filter((p) => p.topic === 'hexium/org/dedup/up');
    expect(ups).toHaveLength(1);
    const up = ups[0].msg as AppUplink;
    expect(Value.Check(AppUplinkSchema, up)).toBe(true);
    // PHYPayload = 13 B overhead + 3 B = 16 B → ceil(max(16, 24)/24) = 1 DC
    expect(up).toMatchObject({ orgId: 'dedup', devAddr: '48000101', devEui: '0000000000000101', fCnt: 0, fPort: 1, payloadSize: 16, dcCharged: 1, receivedAtMs: T0, frmPayloadHex: Buffer.from('hi!').toString('hex') });
    expect(up.hotspots.map((x) => [x.hotspot, x.bought])).toEqual([[HC, true], [HA, true], [HB, false]]);
    expect(await balance('dedup')).toBe('99');
    const shares = await h.router.dcSharesForEpoch(T0, T0 + 1_000);
    expect(shares).toEqual(new Map([[HA, 1n], [HC, 1n]]));
    expect(h.router.counters()).toMatchObject({ uplink_copies: 3, copies_duplicate: 2, packets: 1, packets_forwarded: 1, dc_charged: 1 });
    expect(h.events.filter((e) => e.event === 'packet')[0].data).toMatchObject({ orgId: 'dedup', devAddr: '48000101', dcCharged: 1, hotspots: [HC, HA, HB] });
  });

  it('charges by PHYPayload size: 24 B → 1 DC, 25 B → 2, 49 B → 3; late copies are not charged again', async () => {
    await post('/api/v1/orgs', { orgId: 'sizes', name: 'S', dcBalance: '100', devAddrRanges: [{ start: '48000200', end: '480002ff' }], devices: [{ devAddr: '48000201', nwkSKey: NWK, appSKey: APP }] });
    const h = harness({ multiBuy: 1 });
    // FRMPayload 11 / 12 / 36 B + 13 B overhead = 24 / 25 / 49 B
    for (const [fCnt, n] of [[0, 11], [1, 12], [2, 36]]) {
      await deliver(h, dataUp({ devAddr: '48000201', nwkSKey: NWK, appSKey: APP, fCnt, payload: Buffer.alloc(n, 7) }), [[HA, fCnt * 10_000]]);
    }
    expect(h.published.map((p) => [p.msg.payloadSize, p.msg.dcCharged])).toEqual([[24, 1], [25, 2], [49, 3]]);
    expect(await balance('sizes')).toBe(String(100 - 6));
    // a copy of the last packet arriving after its window closed
    const last = dataUp({ devAddr: '48000201', nwkSKey: NWK, appSKey: APP, fCnt: 2, payload: Buffer.alloc(36, 7) });
    h.router.handleUplink(uplinkFrame(HB, last), h.clock.now());
    h.clock.advance(1_000);
    await h.router.idle();
    expect(h.router.counters().copies_late).toBe(1);
    expect(await balance('sizes')).toBe('94');
  });

  it('drops with dc_exhausted when the balance is too small, and resumes after a purchase', async () => {
    await post('/api/v1/orgs', { orgId: 'poor', name: 'P', dcBalance: '2', devAddrRanges: [{ start: '48000300', end: '480003ff' }], devices: [{ devAddr: '48000301', nwkSKey: NWK, appSKey: APP }] });
    const h = harness();
    const up = (fCnt: number, n: number) => dataUp({ devAddr: '48000301', nwkSKey: NWK, appSKey: APP, fCnt, payload: Buffer.alloc(n, 1) });
    await deliver(h, up(0, 5), [[HA, 0]]); // 18 B → 1 DC, balance 2 → 1
    await deliver(h, up(1, 20), [[HA, 10_000]]); // 33 B → 2 DC > 1: dropped
    await deliver(h, up(2, 5), [[HA, 20_000]]); // 1 DC, balance 1 → 0
    await deliver(h, up(3, 5), [[HA, 30_000]]); // 1 DC > 0: dropped
    expect(h.published.map((p) => p.msg.fCnt)).toEqual([0, 2]);
    expect(await balance('poor')).toBe('0');
    expect(h.router.counters().dropped_dc_exhausted).toBe(2);
    expect(h.events.filter((e) => e.data.dropped === 'dc_exhausted')).toHaveLength(2);
    // only the two bought packets earned shares (one hotspot heard each)
    const rows = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM router_dc_shares JOIN router_packets USING (packet_hash) WHERE org_id = 'poor'");
    expect(rows.rows[0].n).toBe(2);
    await post('/api/v1/orgs/poor/dc', { hntBones: '1000' }); // 10^-5 HNT × 3.59 / 0.00001 = 3.59 → 3 DC
    await deliver(h, up(4, 5), [[HA, 40_000]]);
    expect(h.published.map((p) => p.msg.fCnt)).toEqual([0, 2, 4]);
    expect(await balance('poor')).toBe('2');
  });

  it('handles packets closing together in arrival order: counters and balance carry from one to the next', async () => {
    await post('/api/v1/orgs', { orgId: 'batch', name: 'B', dcBalance: '3', devAddrRanges: [{ start: '48000700', end: '480007ff' }], devices: [{ devAddr: '48000701', nwkSKey: NWK, appSKey: APP }] });
    const h = harness({ multiBuy: 1 });
    const up = (fCnt: number, n: number) => dataUp({ devAddr: '48000701', nwkSKey: NWK, appSKey: APP, fCnt, payload: Buffer.alloc(n, fCnt) });
    // four windows open within 30 ms and close in the same clock step
    h.router.handleUplink(uplinkFrame(HA, up(0, 5)), T0); // 18 B → 1 DC: balance 3 → 2
    h.router.handleUplink(uplinkFrame(HA, up(1, 20)), T0 + 10); // 33 B → 2 DC: balance 2 → 0
    h.router.handleUplink(uplinkFrame(HA, up(1, 21)), T0 + 20); // counter 1 again: replay
    h.router.handleUplink(uplinkFrame(HA, up(2, 5)), T0 + 30); // 1 DC > 0 left: dc_exhausted
    h.clock.advance(1_000);
    await h.router.idle();
    expect(h.published.map((p) => [p.msg.fCnt, p.msg.dcCharged])).toEqual([[0, 1], [1, 2]]);
    expect(h.events.map((e) => e.data.dropped ?? 'ok')).toEqual(['ok', 'ok', 'fcnt_replay', 'dc_exhausted']);
    expect(await balance('batch')).toBe('0');
  });

  it('drops a frame over 255 bytes with a registered DevAddr alone (too_large); the frames beside it are bought; /metrics shows it', async () => {
    await post('/api/v1/orgs', { orgId: 'big', name: 'Big', dcBalance: '100', devAddrRanges: [{ start: '48000a00', end: '48000aff' }], devices: [{ devAddr: '48000a01', nwkSKey: NWK, appSKey: APP }] });
    const h = harness({ multiBuy: 1 });
    const up = (fCnt: number, n: number) => dataUp({ devAddr: '48000a01', nwkSKey: NWK, appSKey: APP, fCnt, payload: Buffer.alloc(n, fCnt) });
    // MHDR 1 + FHDR 7 + FPort 1 + 290 + MIC 4 = 303 bytes > 255 (LoRaWAN 1.0.x §4, RP002 M = 250)
    expect(up(1, 290).length).toBe(303);
    h.router.handleUplink(uplinkFrame(HA, up(0, 5)), T0);
    h.router.handleUplink(uplinkFrame(HA, up(1, 290)), T0 + 10);
    h.router.handleUplink(uplinkFrame(HA, up(2, 5)), T0 + 20);
    h.clock.advance(1_000);
    await h.router.idle();
    expect(h.events.map((e) => e.data.dropped ?? 'ok')).toEqual(['ok', 'too_large', 'ok']);
    expect(h.published.map((p) => p.msg.fCnt)).toEqual([0, 2]);
    expect(h.router.counters()).toMatchObject({ dropped_too_large: 1, packets_forwarded: 2 });
    const metrics = createMetrics();
    metrics.attachRouter(() => h.router.counters());
    const text = await metrics.registry.metrics();
    expect(text).toContain('hexium_router_packets_dropped_total{reason="too_large"} 1');
    expect(text).toContain('hexium_router_events_total{name="packets_forwarded"} 2');
  });

  it('drops unknown devices, bad MICs, replayed counters and bad-CRC copies with counted reasons', async () => {
    await post('/api/v1/orgs', { orgId: 'checks', name: 'C', dcBalance: '100', devAddrRanges: [{ start: '48000400', end: '480004ff' }], devices: [{ devAddr: '48000401', nwkSKey: NWK, appSKey: APP, fCntUp: 10 }] });
    const h = harness();
    await deliver(h, dataUp({ devAddr: '48000499', nwkSKey: NWK, appSKey: APP, fCnt: 0, payload: Buffer.from('x') }), [[HA, 0]]);
    await deliver(h, dataUp({ devAddr: '48000401', nwkSKey: APP, appSKey: APP, fCnt: 10, payload: Buffer.from('x') }), [[HA, 1_000]]);
    await deliver(h, dataUp({ devAddr: '48000401', nwkSKey: NWK, appSKey: APP, fCnt: 9, payload: Buffer.from('x') }), [[HA, 2_000]]); // next expected is 10
    await deliver(h, dataUp({ devAddr: '48000401', nwkSKey: NWK, appSKey: APP, fCnt: 10, payload: Buffer.from('ok') }), [[HA, 3_000]]);
    await deliver(h, dataUp({ devAddr: '48000401', nwkSKey: NWK, appSKey: APP, fCnt: 10, payload: Buffer.from('again') }), [[HA, 4_000]]); // reuses 10
    await deliver(h, dataUp({ devAddr: '48000401', nwkSKey: NWK, appSKey: APP, fCnt: 11, payload: Buffer.from('crc') }), [[HA, 5_000, { crc: 'BAD_CRC' }]]);
    expect(h.router.counters()).toMatchObject({ dropped_unknown_device: 1, dropped_bad_mic: 1, dropped_fcnt_replay: 2, copies_bad_crc: 1, packets_forwarded: 1 });
    expect(h.events.map((e) => e.data.dropped ?? 'ok')).toEqual(['unknown_device', 'bad_mic', 'fcnt_replay', 'ok', 'fcnt_replay']);
    expect(await balance('checks')).toBe('99');
  });
});

describe('join server and downlinks', () => {
  const DEV = { devEui: '0004a30b001c0530', joinEui: '70b3d57ed0000001', appKey: APPKEY };

  it('answers a join request with a join accept the device decrypts, through the strongest hotspot', async () => {
    await post('/api/v1/orgs', { orgId: 'otaa', name: 'J', dcBalance: '10', devAddrRanges: [{ start: '48000500', end: '480005ff' }], devices: [DEV] });
    const h = harness();
    const jr = joinRequest({ ...DEV, devNonce: 0x0101 });
    await deliver(h, jr, [[HA, 0, { rssi: -110, context: 'AQID' }], [HB, 30, { rssi: -80, context: 'BAUG' }]]);
    const downs = h.published.filter((p) => p.topic.endsWith('/command/down'));
    expect(downs.map((d) => d.topic)).toEqual([T.hotspotCommand(HB, 'down')]);
    const frame = downs[0].msg as DownlinkFrame;
    expect(Value.Check(DownlinkFrameSchema, frame)).toBe(true);
    // EU868 (868.1 MHz uplink, SF7): RX1 same channel and DR after JoinAccept delay1 5 s;
    // RX2 869.525 MHz SF12/125 after 6 s (radio.md §2.2); both echo the hotspot's context.
    expect(frame.gatewayId).toBe(HB);
    expect(frame.items.map((i) => [i.txInfo.frequency, i.txInfo.modulation.lora.spreadingFactor, i.txInfo.modulation.lora.bandwidth, i.txInfo.timing.delay.delay, i.txInfo.context])).toEqual([
      [868_100_000, 7, 125_000, '5s', 'BAUG'],
      [869_525_000, 12, 125_000, '6s', 'BAUG'],
    ]);
    expect(frame.items[0].txInfo.modulation.lora.polarizationInversion).toBe(true);
    const dev = deviceAcceptJoin(Buffer.from(frame.items[0].phyPayload, 'base64'), APPKEY, 0x0101);
    expect(dev).toMatchObject({ micValid: true, devAddr: '48000500', mType: 'Join Accept' }); // first address of the range
    expect(await balance('otaa')).toBe('10'); // joins are not charged

    // The device's own session keys work: its next uplink is accepted and decrypted.
    await deliver(h, dataUp({ devAddr: dev.devAddr, nwkSKey: dev.nwkSKey, appSKey: dev.appSKey, fCnt: 0, payload: Buffer.from('joined') }), [[HA, 10_000]]);
    const up = h.published.find((p) => p.topic === 'hexium/org/otaa/up')!.msg as AppUplink;
    expect(up).toMatchObject({ devAddr: '48000500', devEui: DEV.devEui, frmPayloadHex: Buffer.from('joined').toString('hex') });

    // The same DevNonce again (after the late-copy memory of 60 s) is refused; a bad MIC is refused.
    await deliver(h, jr, [[HA, 120_000]]);
    await deliver(h, joinRequest({ ...DEV, appKey: NWK, devNonce: 0x0202 }), [[HA, 130_000]]);
    expect(h.router.counters()).toMatchObject({ joins_accepted: 1, dropped_devnonce_replay: 1, dropped_bad_mic: 1 });
  });

  it('refuses a join when the range is full, and gives a re-joining device its address back', async () => {
    const d1 = { devEui: '0004a30b001c0601', joinEui: '70b3d57ed0000001', appKey: APPKEY };
    const d2 = { devEui: '0004a30b001c0602', joinEui: '70b3d57ed0000001', appKey: APPKEY };
    await post('/api/v1/orgs', { orgId: 'tiny', name: 'T', devAddrRanges: [{ start: '48000800', end: '48000800' }], devices: [d1, d2] });
    const h = harness();
    await deliver(h, joinRequest({ ...d1, devNonce: 1 }), [[HA, 0]]);
    await deliver(h, joinRequest({ ...d2, devNonce: 1 }), [[HA, 10_000]]); // the one address is taken
    await deliver(h, joinRequest({ ...d1, devNonce: 2 }), [[HA, 20_000]]); // rejoin: old session replaced
    const accepts = h.published.map((p) => deviceAcceptJoin(Buffer.from(p.msg.items[0].phyPayload, 'base64'), APPKEY, p === h.published[0] ? 1 : 2));
    expect(accepts.map((a) => [a.devAddr, a.micValid])).toEqual([['48000800', true], ['48000800', true]]);
    expect(h.router.counters()).toMatchObject({ joins_accepted: 2, dropped_devaddr_exhausted: 1 });
  });

  it('ACKs a confirmed US915 uplink on the RX1 channel of its uplink channel', async () => {
    await post('/api/v1/orgs', { orgId: 'conf', name: 'K', dcBalance: '10', devAddrRanges: [{ start: '48000600', end: '480006ff' }], devices: [{ devAddr: '48000601', nwkSKey: NWK, appSKey: APP }] });
    const h = harness();
    const phy = dataUp({ devAddr: '48000601', nwkSKey: NWK, appSKey: APP, fCnt: 0, payload: Buffer.from('c'), confirmed: true });
    await deliver(h, phy, [[HA, 0, { freqHz: 904_100_000, sf: 9, rssi: -100 }], [HC, 10, { freqHz: 904_100_000, sf: 9, rssi: -95 }]]);
    const frame = h.published.find((p) => p.topic.endsWith('/command/down'))!.msg as DownlinkFrame;
    expect(frame.gatewayId).toBe(HC);
    // 904.1 MHz = 902.3 + 0.2·9 → channel 9 → RX1 923.3 + 0.6·(9 mod 8) = 923.9 MHz; DR1 (SF9/125) → DR11 = SF9/500, 1 s;
    // RX2 923.3 MHz DR8 = SF12/500, 2 s (radio.md §2.2)
    expect(frame.items.map((i) => [i.txInfo.frequency, i.txInfo.modulation.lora.spreadingFactor, i.txInfo.modulation.lora.bandwidth, i.txInfo.timing.delay.delay])).toEqual([
      [923_900_000, 9, 500_000, '1s'],
      [923_300_000, 12, 500_000, '2s'],
    ]);
    expect(deviceReadDown(Buffer.from(frame.items[0].phyPayload, 'base64'), NWK)).toEqual({ mType: 'Unconfirmed Data Down', ack: true, fCnt: 0, devAddr: '48000601', micValid: true });
  });

  it("uses the hotspot's asserted region from the hotspots table over the frequency", async () => {
    await sql.query(
      `INSERT INTO hotspots (address, name, region, gain_dbi, elevation_m, full_hotspot, onboarded_at_ms, updated_at_ms, onboard_timestamp_ms)
       VALUES ($1, 'x', 'AS923_2', 1.2, 5, true, 0, 0, 0)`,
      [HB],
    );
    const h = harness();
    const phy = dataUp({ devAddr: '48000601', nwkSKey: NWK, appSKey: APP, fCnt: 1, payload: Buffer.from('d'), confirmed: true });
    await deliver(h, phy, [[HB, 0, { freqHz: 921_400_000, sf: 9 }]]);
    const frame = h.published.find((p) => p.topic.endsWith('/command/down'))!.msg as DownlinkFrame;
    // AS923-2: RX1 on the uplink frequency (921.4 MHz); RX2 923.2 − 1.8 = 921.4 MHz SF10/125.
    // (By frequency alone 921.4 MHz would read as AU915 and answer on 923.3 MHz.)
    expect(frame.items.map((i) => [i.txInfo.frequency, i.txInfo.modulation.lora.spreadingFactor])).toEqual([[921_400_000, 9], [921_400_000, 10]]);
    expect(deviceReadDown(Buffer.from(frame.items[0].phyPayload, 'base64'), NWK)).toMatchObject({ ack: true, fCnt: 1, micValid: true });
  });

  it('counts tx acks by status', () => {
    const h = harness();
    const ack = { v: 1, gatewayId: HA, downlinkId: 1, items: [{ status: 'TOO_LATE' }, { status: 'OK' }], signature: 'A'.repeat(86) + '==' };
    expect(Value.Check(DownlinkTxAckSchema, ack)).toBe(true);
    h.router.handleTxAck(ack as unknown as DownlinkTxAck);
    expect(h.router.counters()).toMatchObject({ tx_acks: 1, tx_ack_TOO_LATE: 1, tx_ack_OK: 1, downlinks_transmitted: 1 });
  });
});

describe('the router and paid epochs (issue 12; docs/architecture.md "Paying an epoch")', () => {
  it('reports its oldest unsettled copy while the window is open, and moves DC shares of a paid epoch to the next one', async () => {
    await post('/api/v1/orgs', { orgId: 'late', name: 'L', dcBalance: '100', devAddrRanges: [{ start: '48000900', end: '480009ff' }], devices: [{ devAddr: '48000901', nwkSKey: NWK, appSKey: APP }] });
    // an epoch [T0 − 1 s, T0 + 1 s) already paid: a fault, the rewarder would have waited for this window
    const endS = T0 / 1000 + 1;
    await sql.query("INSERT INTO epochs (epoch, start_s, end_s, hash, hotspots, total_bones, manifest) VALUES (1, $1, $2, 'paid', 0, 0, '{}'::jsonb)", [endS - 2, endS]);
    try {
      const h = harness();
      expect(h.router.oldestUnsettledMs()).toBeNull();
      const phy = dataUp({ devAddr: '48000901', nwkSKey: NWK, appSKey: APP, fCnt: 0, payload: Buffer.from('late') });
      h.clock.advance(10);
      h.router.handleUplink(uplinkFrame(HA, phy), T0 + 10);
      h.clock.advance(10);
      h.router.handleUplink(uplinkFrame(HB, phy), T0 + 20);
      // the window (200 ms from T0 + 10) is open: DC shares of copies from T0 + 10 on are not stored yet
      expect(h.router.oldestUnsettledMs()).toBe(T0 + 10);
      h.clock.advance(1_000);
      await h.router.idle();
      expect(h.router.oldestUnsettledMs()).toBeNull();
      // both bought copies (multiBuy 2) were received in the paid epoch: moved to its end, the first
      // instant of the next epoch [T0 + 1 s, …), and counted
      expect(h.router.counters()).toMatchObject({ dc_shares_late: 2 });
      const rows = await sql.query<{ hotspot: string; at: string }>(
        "SELECT s.hotspot, s.received_at_ms::text AS at FROM router_dc_shares s JOIN router_packets p USING (packet_hash) WHERE p.org_id = 'late' ORDER BY s.hotspot",
      );
      expect(rows.rows.map((r) => [r.hotspot, Number(r.at)])).toEqual([[HA, T0 + 1_000], [HB, T0 + 1_000]].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    } finally {
      await sql.query('DELETE FROM epochs WHERE epoch = 1');
    }
  });
});
