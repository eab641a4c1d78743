/**
 * Shapes of the oracle HTTP API as the map reads them (docs/api.md, the contract). PocResult and the
 * message types come from the shared protocol schemas (type-only import: nothing enters the bundle).
 */
import type { PocResult } from '@hexium/shared/protocol/index';

export type { PocResult };
export type PocStatus = 'valid' | 'invalid';

export interface NetworkSummary {
  hotspots: number;
  online: number;
  beaconsLastHour: number;
  witnessesLastHour: number;
  validWitnessShare: number;
  dcSpent: number | string;
  latestEpoch: { epoch: number; hash: string; totalBones: string } | null;
}

export interface HotspotProperties {
  address: string;
  name: string;
  location: string | null;
  region: string | null;
  gainDbi: number;
  elevationM: number;
  fullHotspot: boolean;
  online: boolean;
  lastBeaconAtMs: number | null;
  lastPocStatus: PocStatus | null;
  hexScale: string | null;
}

export interface HotspotFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: HotspotProperties;
}

export interface HotspotCollection {
  type: 'FeatureCollection';
  features: HotspotFeature[];
}

export interface HotspotReward {
  epoch: number;
  beaconAmount: string;
  witnessAmount: string;
  dcTransferAmount: string;
  total: string;
}

export interface HotspotDetail extends HotspotProperties {
  lat: number | null;
  lng: number | null;
  recentRounds: PocResult[];
  rewards: HotspotReward[];
}

export interface CoverageHex {
  cell: string;
  hotspots: number;
  witnesses: number;
  bestRssiDbm: number | null;
  scale: string | null;
}

export interface CoverageResponse {
  res: number;
  hexes: CoverageHex[];
}

export interface EpochSummary {
  epoch: number;
  startS: number;
  endS: number;
  hash: string;
  prevHash: string | null;
  hotspots: number;
  totalBones: string;
  verified: boolean;
}

export interface EpochDetail {
  epoch: number;
  startS: number;
  endS: number;
  hash: string;
  rewards: { hotspot: string; name: string; beaconAmount: string; witnessAmount: string; dcTransferAmount: string; total: string }[];
  operations: string;
  oracles: string;
  unallocatedPoc: string;
}

export interface ChallengeAccepted {
  challengeId: string;
  hotspot: string;
  issuedAtMs: number;
}

/** SSE payloads (docs/api.md Events). */
export interface BeaconEvent {
  beaconer: string;
  key: string;
  receivedAtMs: number;
  frequencyHz: number;
  dataRate: string;
  lat: number | null;
  lng: number | null;
  challengeId?: string;
}

export interface WitnessEvent {
  witness: string;
  key: string;
  receivedAtMs: number;
  rssiDbm: number;
  snrDb: number;
  lat: number | null;
  lng: number | null;
}

export interface RewardEvent {
  epoch: number;
  hash: string;
  totalBones: string;
  hotspots: number;
}

export interface HotspotStatusEvent {
  address: string;
  online: boolean;
}

export interface ChallengeEvent {
  challengeId: string;
  hotspot: string;
  issuedAtMs: number;
}
