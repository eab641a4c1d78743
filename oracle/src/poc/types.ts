/**
 * The types of one PoC round as the verifier sees it: what it knows about gateways (the config
 * service's gateway info), what it remembers from earlier rounds (last_beacon, last_witness,
 * last_beacon_reciprocity tables), and the verdict it returns. Spec poc-and-rewards.md §(a), §(b).
 */
import type { BeaconReport, WitnessReport, InvalidReason } from '@hexium/shared/protocol/index';
import type { NetworkParams } from '@hexium/shared/params/index';

/** Gateway info as the config service serves it (oracles iot_config gateway info; spec §(e) "Gateway metadata"). */
export interface GatewayInfo {
  address: string;
  /** Asserted H3 cell as a hex string (normally res 12), or null when not asserted. */
  location: string | null;
  /** Region of the asserted location (e.g. "EU868"), or null when unknown (= not asserted). */
  region: string | null;
  /** Antenna gain in dBi (Helium stores dBi×10; default 1.2). */
  gainDbi: number;
  elevationM: number;
  /** `is_full_hotspot`: data-only hotspots may not take part in PoC. */
  fullHotspot: boolean;
}

/** What the verifier remembers about a hotspot from earlier rounds (runner.rs bookkeeping). */
export interface HotspotHistory {
  /** last_beacon: receive time of its last beacon (valid or not, once known and asserted). Drives the interval check. */
  lastBeaconAtMs?: number;
  /** last_witness: receive time of its last witness that passed the regular checks. Drives beacon reciprocity. */
  lastWitnessAtMs?: number;
  /** last_beacon_reciprocity: its last regular-valid beacon with ≥ 1 witness report. Drives witness reciprocity and HIP-17 interactivity. */
  lastBeaconReciprocityAtMs?: number;
}

/** An entropy report as the verifier stores it (entropy_report_v1). */
export interface EntropyRecord {
  dataHex: string;
  timestampS: number;
  version: number;
}

/** The deny list: keys plus undirected edges; build edge keys with `denyEdgeKey`. */
export interface DenyList {
  addresses: Set<string>;
  edges: Set<string>;
}

export type BeaconInput = Omit<BeaconReport, 'v' | 'signature' | 'timestampMs'> &
  Partial<Pick<BeaconReport, 'v' | 'signature' | 'timestampMs'>> & {
    receivedAtMs: number;
    /**
     * The beacon answers a challenge (POST /api/v1/challenges): it is sent on command, outside the
     * hotspot's own schedule, so it is not held to the interval check and does not move last_beacon —
     * the hotspot's scheduled beacon of the same window stays valid. Its round records no reward shares,
     * so a challenge never earns more than the schedule (docs/security.md "HTTP API").
     */
    challenged?: boolean;
  };
export type WitnessInput = Omit<WitnessReport, 'v' | 'signature' | 'timestampMs'> & Partial<Pick<WitnessReport, 'v' | 'signature' | 'timestampMs'>> & { receivedAtMs: number };

export interface PocInput {
  beacon: BeaconInput;
  witnesses: WitnessInput[];
}

export interface PocContext {
  params: NetworkParams;
  gateway(address: string): GatewayInfo | undefined;
  denyList: DenyList;
  /** Entropy by its data (lower-case hex): what the beacon's `remoteEntropyHex` refers to. */
  entropy(remoteEntropyHex: string): EntropyRecord | undefined;
  history(address: string): HotspotHistory;
  /** HIP-17 scale of an asserted location (decimal string), undefined when the location is not in the map. */
  hexScale(location: string): string | undefined;
}

export type Status = 'valid' | 'invalid';

export interface BeaconVerdict {
  status: Status;
  reason: InvalidReason | null;
  /** Decimal string; "0" when invalid. */
  hexScale: string;
  /** HIP-15 beaconer unit, decimal string; "0" when invalid. */
  rewardUnit: string;
  location: string | null;
}

export interface WitnessVerdict {
  /** Position of the report in `input.witnesses`. */
  index: number;
  hotspot: string;
  receivedAtMs: number;
  status: Status;
  reason: InvalidReason | null;
  selected: boolean;
  hexScale: string;
  rewardUnit: string;
  location: string | null;
  /** Rounded metres between beaconer and witness cell centres, when both are asserted and computable. */
  distanceM: number | null;
}

export interface RewardShare {
  hotspot: string;
  /** hex_scale × reward_unit, decimal string. */
  share: string;
}

export interface HistoryUpdates {
  lastBeaconAtMs?: [address: string, atMs: number];
  lastBeaconReciprocityAtMs?: [address: string, atMs: number];
  lastWitnessAtMs: [address: string, atMs: number][];
}

export interface PocVerdict {
  beacon: BeaconVerdict;
  /** In input order; self witnesses of a valid beacon are not here (Helium drops them) but in `dropped`. */
  witnesses: WitnessVerdict[];
  /** Self witnesses dropped from the PoC (reason `self_witness`), in input order. */
  dropped: WitnessVerdict[];
  shares: { beacon?: RewardShare; witnesses: RewardShare[] };
  historyUpdates: HistoryUpdates;
}

/** Processing error (not a verdict): Helium errors and retries, e.g. when a region has no parameters. */
export class PocProcessingError extends Error {
  override name = 'PocProcessingError';
}
