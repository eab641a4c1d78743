/**
 * Builders for PoC tests, benches and the harness examples: real ed25519 addresses, real H3 cells,
 * beacons built with the shared beacon code. Not used by the verifier itself.
 */
import { latLngToCell } from 'h3-js';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { HELIUM_PARAMS, type NetworkParams } from '@hexium/shared/params/index';
import { buildBeacon } from '@hexium/shared/poc/beacon';
import { bytesToHex, hexToBytes } from './hex.ts';
import { makeDenyList } from './deny-list.ts';
import type { BeaconInput, EntropyRecord, GatewayInfo, HotspotHistory, PocContext, WitnessInput } from './types.ts';

/** Address of the test key number `n` (seed = 32 bytes of value n). */
export function testAddress(n: number): string {
  return keyPairFromSeed(new Uint8Array(32).fill(n)).address;
}

/** Res-12 cell `dNorthM`, `dEastM` metres from (lat, lng). */
export function cellAt(lat: number, lng: number, dNorthM = 0, dEastM = 0, res = 12): string {
  const dLat = dNorthM / 111_320;
  const dLng = dEastM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return latLngToCell(lat + dLat, lng + dLng, res);
}

export const ENTROPY: EntropyRecord = { dataHex: '11'.repeat(32), timestampS: 1_764_000_000, version: 0 };
export const LOCAL_ENTROPY_HEX = 'a1b2c3d4';

export function gatewayInfo(address: string, location: string | null, over: Partial<GatewayInfo> = {}): GatewayInfo {
  return { address, location, region: 'EU868', gainDbi: 1.2, elevationM: 0, fullHotspot: true, ...over };
}

/** A correctly built beacon report of `beaconer` for ENTROPY, received `afterS` seconds after it was minted. */
export function makeBeacon(beaconer: GatewayInfo, receivedAtMs = (ENTROPY.timestampS + 30) * 1000, params: NetworkParams = HELIUM_PARAMS): BeaconInput {
  const b = buildBeacon({
    remote: { data: hexToBytes(ENTROPY.dataHex), timestampS: ENTROPY.timestampS, version: ENTROPY.version },
    local: { data: hexToBytes(LOCAL_ENTROPY_HEX), timestampS: 0, version: ENTROPY.version },
    regionParams: params.regions[beaconer.region!],
    gainDbi: beaconer.gainDbi,
  });
  return {
    hotspot: beaconer.address,
    localEntropyHex: LOCAL_ENTROPY_HEX,
    remoteEntropyHex: ENTROPY.dataHex,
    dataHex: bytesToHex(b.data),
    frequencyHz: b.frequencyHz,
    dataRate: b.dataRate,
    txPowerDbm: b.txPowerDbm,
    channel: 0,
    tmst: 0,
    receivedAtMs,
  };
}

/** A witness report of `beacon` heard by `address`. */
export function makeWitness(beacon: BeaconInput, address: string, over: Partial<WitnessInput> = {}): WitnessInput {
  return {
    hotspot: address,
    dataHex: beacon.dataHex,
    rssiDbm: -110,
    snrDb: 5,
    frequencyHz: beacon.frequencyHz,
    dataRate: beacon.dataRate,
    tmst: 0,
    receivedAtMs: beacon.receivedAtMs + 500,
    ...over,
  };
}

/** A context over plain maps; every hotspot is reciprocal (recent beacon and witness) unless `history` says otherwise. */
export function makeContext(
  gateways: GatewayInfo[],
  opts: { params?: NetworkParams; history?: Record<string, HotspotHistory>; scales?: Record<string, string>; denied?: string[]; edges?: [string, string][]; nowMs?: number } = {},
): PocContext {
  const byAddress = new Map(gateways.map((g) => [g.address, g]));
  const recent = (ENTROPY.timestampS - 3600) * 1000;
  return {
    params: opts.params ?? HELIUM_PARAMS,
    gateway: (a) => byAddress.get(a),
    denyList: makeDenyList(opts.denied ?? [], opts.edges ?? []),
    entropy: (hex) => (hex === ENTROPY.dataHex ? ENTROPY : undefined),
    history: (a) => opts.history?.[a] ?? { lastWitnessAtMs: recent, lastBeaconReciprocityAtMs: recent },
    hexScale: (loc) => opts.scales?.[loc],
  };
}
