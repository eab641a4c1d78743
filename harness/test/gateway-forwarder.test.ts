/**
 * A simulated town through real UDP bridges and real MQTT: an oracle in this process (PGlite in memory,
 * embedded broker on a free loopback port), five hotspots within ~1.4 km of each other, each running
 * `hotspot-sim gateway`'s bridge (the firmware behind a GWMP v2 server) with a test packet forwarder on
 * the other side of a real UDP socket, fed by the simulated medium. Time is the wall clock, so the
 * parameters are short: a 20 s beacon window, 30 s entropy lifespan, 60 s epoch.
 *
 * Expectations (docs/gateways.md, issue 17): valid PoC rounds with valid witnesses; a sensor uplink reaches
 * the oracle's packet router; CRC-failed rxpk are dropped and counted; malformed datagrams sent at both
 * sides are counted by reason and dropped while both sides keep working.
 */
import dgram from 'node:dgram';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startOracle, type OracleHandle } from '@hexium/oracle/server';
import type { PocResult } from '@hexium/shared/protocol/index';
import { resolveScenario, type ResolvedScenario } from '@hexium/hotspot-sim/core/scenario/load-scenario';
import { materialize, type Network } from '@hexium/hotspot-sim/core/scenario/materialize';
import { onboardHotspots, createSensorOrg } from '@hexium/hotspot-sim/runner/onboard';
import { runGateways, type GatewaysHandle } from '@hexium/hotspot-sim/gateway/run-gateways';
import { startForwarderTown, type ForwarderTown } from '@hexium/hotspot-sim/gateway/forwarder-town';
import { encodeGwmp } from '@hexium/hotspot-sim/gateway/gwmp';

const SEED = 17;
const scenario = {
  name: 'gateway-forwarder',
  seed: SEED,
  params: { profile: 'demo', beaconIntervalS: 20, entropyLifespanS: 30, epochLengthS: 60 },
  // ~1.4 km × 1.1 km in Berlin (EU868)
  area: { bbox: [13.4, 52.5, 13.42, 52.51] },
  duration: { epochs: 1 },
  propagation: { preset: 'suburban' },
  hotspots: { count: 5, statsIntervalS: 0 },
  sensors: { count: 2, intervalS: 15, otaaShare: 0, confirmedShare: 0 },
};

/** Poll `probe` until it returns a value (not undefined/false) or the deadline passes. */
async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function sendUdp(port: number, datagrams: Buffer[]): Promise<void> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    let left = datagrams.length;
    for (const d of datagrams)
      s.send(d, port, '127.0.0.1', () => {
        if (--left === 0) s.close(() => resolve());
      });
  });
}

const EUI = Buffer.from('02ee0000000000ff', 'hex');
const hdr = (token: number, id: number) => Buffer.from([2, token >> 8, token & 0xff, id]);

describe('hotspot firmware behind real UDP packet forwarders, over real MQTT', () => {
  let resolved: ResolvedScenario;
  let net: Network;
  let oracle: OracleHandle | null = null;
  let gw: GatewaysHandle | null = null;
  let town: ForwarderTown | null = null;
  const packets: Record<string, unknown>[] = [];
  let unsubscribe: (() => void) | null = null;

  beforeAll(async () => {
    resolved = resolveScenario(scenario);
    net = materialize(resolved, SEED);
    // sensor 0 stays ABP (its first uplink is routed at once); sensor 1 joins over the air, so its join
    // accept goes down as a tmst-timed PULL_RESP in the join-accept window
    net.sensors[1] = { ...net.sensors[1], otaa: true, devAddr: '', nwkSKey: '', appSKey: '' };
    oracle = await startOracle({
      host: '127.0.0.1', httpPort: 0, mqttPort: 0, wsPort: 0, dataDir: 'memory://',
      params: resolved.paramsInput as never,
      entropySeed: 'gateway-forwarder-test',
      logLevel: 'silent',
    });
    unsubscribe = oracle.events.on((e) => {
      if (e.type === 'packet') packets.push(e.data as Record<string, unknown>);
    });
    await onboardHotspots(oracle.httpUrl, net, { region: resolved.region, fleet: null, nowMs: Date.now() });
    await createSensorOrg(oracle.httpUrl, oracle.adminToken, net, resolved.sensors.org, resolved.sensors.dcBalance);
    gw = await runGateways({
      brokerUrl: oracle.mqttUrl,
      oracleUrl: oracle.httpUrl,
      gateways: net.hotspots.map((h) => ({ key: h.key, udp: { host: '127.0.0.1', port: 0 } })),
    });
    town = await startForwarderTown(resolved, net, SEED, { servers: gw.udp.map((a) => ({ host: '127.0.0.1', port: a.port })), keepaliveMs: 2000, statIntervalMs: 5000 });
  }, 300_000);

  afterAll(async () => {
    unsubscribe?.();
    await town?.stop();
    await gw?.stop();
    await oracle?.stop();
  }, 120_000);

  it('produces valid PoC rounds with valid witnesses, beacons sent as txpk and acked', async () => {
    const round = await until(
      'a valid round with a valid witness',
      async () => {
        const res = await fetch(`${oracle!.httpUrl}/api/v1/rounds?status=valid&limit=100`);
        const body = (await res.json()) as { rounds: PocResult[] };
        return body.rounds.find((r) => r.beacon.status === 'valid' && r.witnesses.some((w) => w.status === 'valid'));
      },
      420_000,
      2000,
    );
    const addresses = new Set(net.hotspots.map((h) => h.key.address));
    expect(addresses.has(round.beaconer)).toBe(true);
    // the beacon went out as a PULL_RESP txpk and the forwarder acked it without error
    expect(gw!.bridges.reduce((n, b) => n + (b.server.counters.txAck.NONE ?? 0), 0)).toBeGreaterThan(0);
    expect(gw!.bridges.reduce((n, b) => n + b.counters.rxBeacons, 0)).toBeGreaterThan(0);
    // every bridge is connected to the broker
    expect(gw!.bridges.map((b) => b.firmware.state)).toEqual(net.hotspots.map(() => 'online'));
  }, 480_000);

  it('carries sensor uplinks to the packet router and a join accept back down at its tmst', async () => {
    const ours = new Set(net.hotspots.map((h) => h.key.address));
    const p = await until('a routed sensor uplink', () => packets.find((x) => x.dropped === undefined && x.join === undefined && Array.isArray(x.hotspots) && (x.hotspots as string[]).some((h) => ours.has(h))), 180_000);
    expect(p.orgId).toBe(resolved.sensors.org);
    expect(gw!.bridges.reduce((n, b) => n + b.counters.rxFrames, 0)).toBeGreaterThan(0);
    // the OTAA sensor's join accept: a downlink timed by tmst, accepted by the forwarder, decoded by the sensor
    await until('an OTAA join through a tmst-timed downlink', () => town!.town.stats.joins > 0, 240_000);
    expect(gw!.bridges.reduce((n, b) => n + b.counters.txDownlinks, 0)).toBeGreaterThan(0);
    // the forwarders' stat became hotspot stats messages
    await until('a stats message', () => gw!.bridges.some((b) => b.counters.statsPublished > 0), 60_000);
  }, 420_000);

  it('drops CRC-failed frames and malformed datagrams on both sides, counted by reason, and keeps working', async () => {
    const bridge = gw!.bridges[0];
    const fwd = town!.forwarders[0];
    // CRC failed: forwarded by the packet forwarder (stat −1), dropped by the bridge before the firmware.
    // The town keeps running, so the firmware's input is watched for this one frame (unique bytes).
    const seen = new Set<string>();
    const onRadioRx = bridge.firmware.onRadioRx.bind(bridge.firmware);
    bridge.firmware.onRadioRx = (rx) => {
      seen.add(Buffer.from(rx.phy).toString('hex'));
      onRadioRx(rx);
    };
    const frame = new Uint8Array([0x40, 0xde, 0xad, 0xbe, 0xef, 0, 0x11, 0x22, 1, 2, 3, 4]);
    const frameHex = Buffer.from(frame).toString('hex');
    const radio = { freqHz: 868_100_000, sf: 7, bandwidthHz: 125_000, rssiDbm: -90, snrDb: 5 };
    const crcBefore = bridge.counters.rxCrcDropped;
    fwd.receive({ ...radio, phy: frame, endMs: Date.now(), crc: -1 });
    await until('the CRC-failed frame to be counted', () => bridge.counters.rxCrcDropped > crcBefore, 60_000, 100);
    expect(bridge.counters.rxCrcDropped).toBe(crcBefore + 1);
    expect(seen.has(frameHex)).toBe(false);
    // control: the same frame with a good CRC reaches the firmware
    fwd.receive({ ...radio, phy: frame, endMs: Date.now(), crc: 1 });
    await until('the good copy to reach the firmware', () => seen.has(frameHex), 60_000, 100);
    expect(bridge.counters.rxCrcDropped).toBe(crcBefore + 1);

    // server side (the bridge's UDP port)
    const sBefore = { ...bridge.server.counters.dropped };
    const pullBefore = bridge.server.counters.pullData;
    await sendUdp(gw!.udp[0].port, [
      Buffer.concat([Buffer.from([1, 0, 1, 2]), EUI]), // wrong version
      Buffer.from([2, 0]), // truncated header
      Buffer.concat([hdr(1, 0), EUI, Buffer.from('{"rxpk":[')]), // bad JSON
      hdr(1, 0x09), // unknown identifier
      Buffer.concat([hdr(0x7777, 5), EUI]), // TX_ACK for no PULL_RESP
      Buffer.concat([hdr(1, 0), EUI, Buffer.from('{"rxpk":{}}')]), // rxpk not an array
    ]);
    const sReasons = ['wrong-version', 'truncated', 'bad-json', 'unknown-identifier', 'unknown-token', 'bad-payload'];
    await until('the bridge to count every malformed datagram', () => sReasons.every((r) => (bridge.server.counters.dropped[r] ?? 0) > (sBefore[r] ?? 0)), 60_000, 100);
    for (const r of sReasons) expect(bridge.server.counters.dropped[r], r).toBe((sBefore[r] ?? 0) + 1);
    // still serving its forwarder: a PULL_DATA keepalive arrives after the garbage
    await until('a PULL_DATA after the malformed datagrams', () => bridge.server.counters.pullData > pullBefore, 60_000, 100);

    // gateway side (the forwarder's UDP port)
    const fBefore = { ...fwd.counters.dropped };
    const ackBefore = fwd.counters.pullAck;
    await sendUdp(fwd.address!.port, [
      Buffer.from([1, 0, 1, 4]), // wrong version
      Buffer.from([2]), // truncated
      Buffer.concat([hdr(1, 3), Buffer.from('{"txpk":')]), // bad JSON
      hdr(1, 0x0a), // unknown identifier
      encodeGwmp({ type: 'PUSH_ACK', token: 0xfedc }), // ack of nothing we sent
    ]);
    const fReasons = ['wrong-version', 'truncated', 'bad-json', 'unknown-identifier', 'unknown-token'];
    await until('the forwarder to count every malformed datagram', () => fReasons.every((r) => (fwd.counters.dropped[r] ?? 0) > (fBefore[r] ?? 0)), 60_000, 100);
    for (const r of fReasons) expect(fwd.counters.dropped[r], r).toBe((fBefore[r] ?? 0) + 1);
    await until('a PULL_ACK after the malformed datagrams', () => fwd.counters.pullAck > ackBefore, 60_000, 100);
  }, 300_000);
});
