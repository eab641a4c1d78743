/**
 * Seeds a small real network on a running oracle for the browser tests, speaking only the public
 * interfaces: onboarding over HTTP (docs/api.md `POST /api/v1/hotspots`, signed by each hotspot key),
 * devices over MQTT (username = address, password `<ts>.<base64 sig of "hexium-connect:<address>:<ts>">`,
 * topics from shared/src/protocol/topics.ts), beacons built with the shared beacon code and the
 * oracle's retained entropy, witness reports for them — as real firmware would send.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { latLngToCell } from 'h3-js';
import { keyPairFromSeed, signBytes, signMessage, type KeyPair } from '@hexium/shared/identity/index';
import { topics as makeTopics, type ChallengeCommand, type Entropy } from '@hexium/shared/protocol/index';
import { HELIUM_REGION_PARAMS, type HeliumRegion } from '@hexium/shared/params/index';
import { buildBeacon } from '@hexium/shared/poc/beacon';
import { createRng } from '@hexium/shared/random/rng';

export interface SeedHotspot {
  key: KeyPair;
  location: string;
  lat: number;
  lng: number;
  gainDbi: number;
  /** The LoRa region of its location (the oracle refuses a mismatch, docs/api.md Onboarding). */
  region: HeliumRegion;
}

const topics = makeTopics();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** `count` hotspots on a jittered grid ≈ `spacingKm` apart around a centre (deterministic from `seed`). */
export function seedHotspots(count: number, center: { lat: number; lng: number }, spacingKm = 1.6, seed = 42, region: HeliumRegion = 'EU868'): SeedHotspot[] {
  const rng = createRng(seed);
  const side = Math.ceil(Math.sqrt(count));
  const dLat = spacingKm / 111.32; // 1° latitude ≈ 111.32 km
  const dLng = spacingKm / (111.32 * Math.cos((center.lat * Math.PI) / 180));
  return Array.from({ length: count }, (_, i) => {
    const row = Math.floor(i / side) - (side - 1) / 2;
    const col = (i % side) - (side - 1) / 2;
    const lat = center.lat + (row + (rng.next() - 0.5) * 0.5) * dLat;
    const lng = center.lng + (col + (rng.next() - 0.5) * 0.5) * dLng;
    const seedBytes = new Uint8Array(32);
    seedBytes.set(Buffer.from(`hexium-browser-test-${i}`));
    return { key: keyPairFromSeed(seedBytes), location: latLngToCell(lat, lng, 12), lat, lng, gainDbi: 1.2, region };
  });
}

export async function onboard(httpUrl: string, hotspots: SeedHotspot[], nowMs = Date.now()): Promise<void> {
  for (const h of hotspots) {
    const body = signMessage({ v: 1, address: h.key.address, location: h.location, gainDbi: h.gainDbi, elevationM: 10, fullHotspot: true, region: h.region, timestampMs: nowMs }, h.key);
    const res = await fetch(`${httpUrl}/api/v1/hotspots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201 && res.status !== 200) throw new Error(`onboarding ${h.key.address}: HTTP ${res.status} ${await res.text()}`);
  }
}

/** A hotspot connected over MQTT, online (retained state), holding the latest entropy. */
export class SeedDevice {
  entropy: Entropy | null = null;
  readonly challenges: ChallengeCommand[] = [];
  private constructor(readonly hotspot: SeedHotspot, readonly client: MqttClient) {}

  static async connect(mqttUrl: string, h: SeedHotspot): Promise<SeedDevice> {
    const ts = Date.now();
    const sig = Buffer.from(signBytes(Buffer.from(`hexium-connect:${h.key.address}:${ts}`), h.key)).toString('base64');
    const offline = JSON.stringify({ v: 1, hotspot: h.key.address, state: 'OFFLINE' });
    const client = await connectAsync(mqttUrl, {
      username: h.key.address,
      password: `${ts}.${sig}`,
      clientId: h.key.address, // the client id is bound to the key (docs/protocol.md "Authentication")
      reconnectPeriod: 0,
      will: { topic: topics.hotspotState(h.key.address), payload: Buffer.from(offline), qos: 1, retain: true },
    });
    const d = new SeedDevice(h, client);
    client.on('message', (topic, payload) => {
      const msg = JSON.parse(payload.toString()) as Record<string, unknown>;
      if (topic === topics.entropy()) d.entropy = msg as unknown as Entropy;
      else if (topic.endsWith('/command/challenge')) d.challenges.push(msg as unknown as ChallengeCommand);
    });
    await client.subscribeAsync([topics.entropy(), topics.hotspotCommands(h.key.address)], { qos: 1 });
    await client.publishAsync(topics.hotspotState(h.key.address), JSON.stringify({ v: 1, hotspot: h.key.address, state: 'ONLINE', atMs: Date.now() }), { qos: 1, retain: true });
    return d;
  }

  async waitFor<T>(get: () => T | null | undefined, what: string, timeoutMs = 300_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = get();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Build a beacon from the current entropy (shared beacon code) and publish its signed report; returns the payload hex. */
  async beacon(): Promise<{ dataHex: string; frequencyHz: number; dataRate: string }> {
    const e = await this.waitFor(() => this.entropy, 'entropy');
    const local = createRng(Date.now()).bytes(4);
    const b = buildBeacon({
      remote: { data: Buffer.from(e.dataHex, 'hex'), timestampS: e.timestampS, version: e.version },
      local: { data: local, timestampS: 0, version: 0 },
      regionParams: HELIUM_REGION_PARAMS[this.hotspot.region],
      gainDbi: this.hotspot.gainDbi,
    });
    const now = Date.now();
    const report = signMessage(
      { v: 1, hotspot: this.hotspot.key.address, localEntropyHex: hex(local), remoteEntropyHex: e.dataHex, dataHex: hex(b.data), frequencyHz: b.frequencyHz, channel: 0, dataRate: b.dataRate, txPowerDbm: b.txPowerDbm, tmst: (now * 1000) >>> 0, timestampMs: now },
      this.hotspot.key,
    );
    await this.client.publishAsync(topics.hotspotEvent(this.hotspot.key.address, 'beacon'), JSON.stringify(report), { qos: 1 });
    return { dataHex: report.dataHex, frequencyHz: b.frequencyHz, dataRate: b.dataRate };
  }

  /** Report hearing a beacon with a plausible signal: free-space loss at its frequency plus 25 dB of clutter. */
  async witness(beacon: { dataHex: string; frequencyHz: number; dataRate: string }, from: SeedHotspot): Promise<void> {
    const km = Math.max(0.05, haversineKm(from, this.hotspot));
    // FSPL(dB) = 20·log10(d km) + 20·log10(f MHz) + 32.44; 14 dBm EIRP (EU868) − FSPL − 25 dB clutter.
    const rssiDbm = Math.round(14 - (20 * Math.log10(km) + 20 * Math.log10(beacon.frequencyHz / 1e6) + 32.44) - 25);
    const now = Date.now();
    const report = signMessage(
      { v: 1, hotspot: this.hotspot.key.address, dataHex: beacon.dataHex, rssiDbm, snrDb: 5, frequencyHz: beacon.frequencyHz, dataRate: beacon.dataRate, tmst: (now * 1000) >>> 0, timestampMs: now },
      this.hotspot.key,
    );
    await this.client.publishAsync(topics.hotspotEvent(this.hotspot.key.address, 'witness'), JSON.stringify(report), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

export function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6371.0088; // mean Earth radius, km (IUGG)
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(s));
}
