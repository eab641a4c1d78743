// Types of examples/sign.mjs (plain JavaScript for device makers), so the system tests can import it.
import type { KeyObject } from 'node:crypto';

export interface DeviceKey {
  address: string;
  publicKey: Buffer;
  privateKey: KeyObject;
}
export interface EntropyMessage {
  v?: number;
  dataHex: string;
  timestampS: number;
  version: number;
}
export interface RegionParamLike {
  channelFrequencyHz: number;
  bandwidthHz: number;
  maxEirpDbm: number;
  spreading: { sf: number; maxPacketSize: number }[];
}
export function base58(bytes: Uint8Array): string;
export function keyFromSeedHex(seedHex: string): DeviceKey;
export function newSeedHex(): string;
export function canonicalJson(v: unknown): string;
export function signMessage<T extends Record<string, unknown>>(message: T, key: DeviceKey): T & { signature: string };
export function connectToken(key: DeviceKey, timestampMs?: number): string;
export function onboardingBody(
  key: DeviceKey,
  o: { location: string | null; gainDbi?: number; elevationM?: number; fullHotspot?: boolean; region?: string; fleet?: string; timestampMs?: number },
): Record<string, unknown> & { signature: string };
export function buildBeacon(
  entropy: EntropyMessage,
  localEntropyHex: string,
  regionParams: readonly RegionParamLike[],
  gainDbi: number,
): { dataHex: string; frequencyHz: number; channel: number; dataRate: string; txPowerDbm: number };
export function beaconReport(key: DeviceKey, entropy: EntropyMessage, regionParams: readonly RegionParamLike[], gainDbi: number, nowMs?: number): Record<string, unknown> & { signature: string; dataHex: string };
export function witnessReport(key: DeviceKey, beacon: { dataHex: string; frequencyHz: number; dataRate: string }, s: { rssiDbm: number; snrDb: number }, nowMs?: number): Record<string, unknown> & { signature: string };
