/** Test devices: hotspot keys, signed onboarding bodies, connect tokens and PoC reports. */
import { createHash } from 'node:crypto';
import mqtt from 'mqtt';
import { keyPairFromSeed, signBytes, signMessage, type KeyPair } from '@hexium/shared/identity/index';
import { cellFromLatLng } from '@hexium/shared/geo/index';
import { buildBeacon } from '@hexium/shared/poc/index';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { BeaconReport, Entropy, WitnessReport } from '@hexium/shared/protocol/index';
import { connectTokenMessage } from '../../src/broker/device-auth.ts';

export function hotspotKey(name: string): KeyPair {
  return keyPairFromSeed(createHash('sha256').update(`hexium-test-hotspot:${name}`).digest());
}

export function connectToken(key: KeyPair, timestampMs: number): string {
  const sig = Buffer.from(signBytes(Buffer.from(connectTokenMessage(key.address, timestampMs)), key)).toString('base64');
  return `${timestampMs}.${sig}`;
}

export function onboardingBody(key: KeyPair, lat: number, lng: number, timestampMs: number, extra: Record<string, unknown> = {}) {
  return signMessage(
    { v: 1, address: key.address, location: cellFromLatLng(lat, lng, 12), gainDbi: 1.2, elevationM: 5, fullHotspot: true, region: 'EU868', timestampMs, ...extra },
    key,
  );
}

export function beaconReport(key: KeyPair, entropy: Entropy, params: NetworkParams, localHex = '01020304'): BeaconReport {
  const b = buildBeacon({
    remote: { data: Buffer.from(entropy.dataHex, 'hex'), timestampS: entropy.timestampS, version: entropy.version },
    local: { data: Buffer.from(localHex, 'hex'), timestampS: 0, version: 0 },
    regionParams: params.regions.EU868,
    gainDbi: 1.2,
  });
  return signMessage(
    {
      v: 1 as const,
      hotspot: key.address,
      localEntropyHex: localHex,
      remoteEntropyHex: entropy.dataHex,
      dataHex: Buffer.from(b.data).toString('hex'),
      frequencyHz: b.frequencyHz,
      channel: 0,
      dataRate: b.dataRate,
      txPowerDbm: b.txPowerDbm,
      tmst: 1000,
      timestampMs: 0,
    },
    key,
  );
}

export function witnessReport(key: KeyPair, beacon: BeaconReport, rssiDbm = -110): WitnessReport {
  return signMessage(
    {
      v: 1 as const,
      hotspot: key.address,
      dataHex: beacon.dataHex,
      rssiDbm,
      snrDb: 5.5,
      frequencyHz: beacon.frequencyHz,
      dataRate: beacon.dataRate,
      tmst: 2000,
      timestampMs: 0,
    },
    key,
  );
}

/** Connect a hotspot to the embedded broker with a fresh token (or anonymously to an external one). */
export async function connectHotspot(url: string, key: KeyPair, nowMs: number, opts: { anonymous?: boolean; prefix?: string } = {}) {
  const prefix = opts.prefix ?? 'hexium';
  return mqtt.connectAsync(url, {
    // the embedded broker binds the client id to the key: a hotspot's is its address (docs/protocol.md)
    clientId: opts.anonymous ? `t-${key.address.slice(0, 12)}-${Math.floor(nowMs)}` : key.address,
    ...(opts.anonymous ? {} : { username: key.address, password: connectToken(key, nowMs) }),
    reconnectPeriod: 0,
    will: { topic: `${prefix}/hotspot/${key.address}/state/conn`, payload: Buffer.from(JSON.stringify({ v: 1, hotspot: key.address, state: 'OFFLINE' })), qos: 1, retain: true },
  });
}
