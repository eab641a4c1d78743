/**
 * Start one or more {@link GatewayBridge}s in this process: read each hotspot's asserted location, gain
 * and region from the oracle (GET /api/v1/hotspots/:address, GET /api/v1/params — it must be onboarded),
 * open the UDP servers, and connect every hotspot over MQTT through one shared {@link MqttPort}.
 */
import type { KeyPair } from '@hexium/shared/identity/index';
import type { NetworkParams } from '@hexium/shared/params/index';
import { topics as makeTopics, DEFAULT_TOPIC_PREFIX } from '@hexium/shared/protocol/index';
import { MqttPort } from '../runner/mqtt-port.ts';
import { GatewayBridge, routeInbox, type GatewayHotspot, type GatewayLog } from './gateway-bridge.ts';

export interface GatewaySpec {
  key: KeyPair;
  udp: { host: string; port: number };
}

export interface RunGatewaysOptions {
  brokerUrl: string;
  oracleUrl: string;
  gateways: GatewaySpec[];
  topicPrefix?: string;
  log?: GatewayLog;
}

export interface GatewaysHandle {
  bridges: GatewayBridge[];
  /** Bound UDP address of each bridge, in the order given. */
  udp: { address: string; port: number }[];
  port: MqttPort;
  stop(): Promise<void>;
}

export class GatewaySetupError extends Error {
  override name = 'GatewaySetupError';
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** The hotspot as the oracle has it: where it is asserted, its gain, and its region's beacon parameters. */
export async function fetchGatewayHotspot(oracleUrl: string, address: string, params: NetworkParams): Promise<GatewayHotspot> {
  const base = oracleUrl.replace(/\/$/, '');
  const r = await getJson(`${base}/api/v1/hotspots/${encodeURIComponent(address)}`);
  if (r.status === 404) throw new GatewaySetupError(`hotspot ${address} is not onboarded at ${base} (POST /api/v1/hotspots with a signed body, docs/api.md)`);
  if (r.status !== 200) throw new GatewaySetupError(`GET /api/v1/hotspots/${address}: HTTP ${r.status}`);
  const h = r.body as { lat: number | null; lng: number | null; location: string | null; gainDbi: number; elevationM: number; region: string | null };
  if (h.lat === null || h.lng === null || !h.location) throw new GatewaySetupError(`hotspot ${address} has no asserted location; it cannot beacon or witness`);
  if (!h.region || !params.regions[h.region]) throw new GatewaySetupError(`hotspot ${address}: no beacon parameters for region ${String(h.region)}`);
  return { lat: h.lat, lng: h.lng, location: h.location, gainDbi: h.gainDbi, elevationM: h.elevationM, region: h.region, regionParams: params.regions[h.region], beaconIntervalS: params.beaconIntervalS };
}

export async function runGateways(o: RunGatewaysOptions): Promise<GatewaysHandle> {
  const log = o.log ?? (() => undefined);
  const base = o.oracleUrl.replace(/\/$/, '');
  const p = await getJson(`${base}/api/v1/params`);
  if (p.status !== 200) throw new GatewaySetupError(`GET ${base}/api/v1/params: HTTP ${p.status}`);
  const params = p.body as NetworkParams;
  const hotspots: GatewayHotspot[] = [];
  for (const g of o.gateways) hotspots.push(await fetchGatewayHotspot(base, g.key.address, params));
  const t = makeTopics(o.topicPrefix ?? DEFAULT_TOPIC_PREFIX);
  const bridges: GatewayBridge[] = [];
  const route = routeInbox(() => bridges, t);
  let stopped = false;
  const port = new MqttPort({
    url: o.brokerUrl,
    topics: t,
    mode: 'per-hotspot',
    fleet: null,
    // a fresh token is signed on every connect, with the wall clock
    tokenTime: () => Date.now(),
    inbox: (item) => queueMicrotask(() => !stopped && route(item)),
    observe: [],
  });
  o.gateways.forEach((g, i) => bridges.push(new GatewayBridge(i, g.key, hotspots[i], port, log)));
  const udp: { address: string; port: number }[] = [];
  try {
    for (let i = 0; i < bridges.length; i++) {
      const a = await bridges[i].listen(o.gateways[i].udp.host, o.gateways[i].udp.port);
      udp.push(a);
      log({ ev: 'udp-listening', hotspot: bridges[i].key.address, address: a.address, port: a.port });
    }
  } catch (e) {
    await Promise.allSettled(bridges.map((b) => b.stop()));
    throw new GatewaySetupError(`cannot bind UDP: ${(e as Error).message}`);
  }
  for (const b of bridges) b.start();
  // MQTT failures (refused connects, failed publishes) go to the log; the firmware reconnects with backoff
  const drain = setInterval(() => {
    for (const e of port.errors.splice(0)) log({ ev: 'mqtt-error', message: e });
  }, 1000);
  return {
    bridges,
    udp,
    port,
    async stop() {
      stopped = true;
      clearInterval(drain);
      await Promise.allSettled(bridges.map((b) => b.stop()));
      await port.close();
    },
  };
}
