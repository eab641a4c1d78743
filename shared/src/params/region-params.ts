/**
 * Helium region parameters (the config service's `blockchain_region_param_v1`): channels, bandwidth,
 * max EIRP and the "tagged spreading" list the beacon data rate is chosen from.
 *
 * Source: helium/miner `audit/var-poc-v11-params.erl` (PoC v11 chain variables); the EU868 set matches
 * the bytes in helium/proto `beacon/src/region.rs`; US915 matches helium/lorawan-h3
 * `region_params/US915.json`. See ../shared/specs/radio.md §2.6.
 */
export interface TaggedSpreading {
  /** Spreading factor 7..12 (proto `region_spreading` SF7=1 … SF12=6). */
  sf: number;
  /** Largest packet (bytes) that may be sent at this spreading factor. */
  maxPacketSize: number;
}

export interface RegionParam {
  channelFrequencyHz: number;
  bandwidthHz: number;
  /** Max EIRP in dBm (the proto stores dBm×10, e.g. 161 → 16.1). */
  maxEirpDbm: number;
  /** Tagged spreading in stored order (the beacon takes the first entry with maxPacketSize ≥ 51). */
  spreading: TaggedSpreading[];
}

export type HeliumRegion = 'US915' | 'EU868' | 'AU915' | 'AS923_1' | 'AS923_2' | 'AS923_3' | 'AS923_4';

export const HELIUM_REGIONS: readonly HeliumRegion[] = ['US915', 'EU868', 'AU915', 'AS923_1', 'AS923_2', 'AS923_3', 'AS923_4'];

function channels(firstHz: number, stepHz: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => firstHz + i * stepHz);
}

function regionSet(freqsHz: number[], maxEirpDbm: number, spreading: TaggedSpreading[]): RegionParam[] {
  return freqsHz.map((channelFrequencyHz) => ({ channelFrequencyHz, bandwidthHz: 125_000, maxEirpDbm, spreading }));
}

// AU915 and AS923 share one tagged-spreading list (var-poc-v11-params.erl).
const AU_AS_SPREADING: TaggedSpreading[] = [
  { sf: 12, maxPacketSize: 25 },
  { sf: 11, maxPacketSize: 25 },
  { sf: 10, maxPacketSize: 25 },
  { sf: 9, maxPacketSize: 67 },
  { sf: 8, maxPacketSize: 139 },
  { sf: 7, maxPacketSize: 256 },
];

/** Helium's own region parameters, as deployed (8 channels of 125 kHz per region). */
export const HELIUM_REGION_PARAMS: Record<HeliumRegion, RegionParam[]> = {
  US915: regionSet(channels(903_900_000, 200_000, 8), 36.0, [
    { sf: 10, maxPacketSize: 25 },
    { sf: 9, maxPacketSize: 67 },
    { sf: 8, maxPacketSize: 139 },
    { sf: 7, maxPacketSize: 256 },
  ]),
  EU868: regionSet(channels(867_100_000, 200_000, 8), 16.1, [
    { sf: 12, maxPacketSize: 65 },
    { sf: 9, maxPacketSize: 129 },
    { sf: 8, maxPacketSize: 238 },
  ]),
  AU915: regionSet(channels(916_800_000, 200_000, 8), 30.0, AU_AS_SPREADING),
  AS923_1: regionSet(channels(923_200_000, 200_000, 8), 16.0, AU_AS_SPREADING),
  AS923_2: regionSet(channels(921_400_000, 200_000, 8), 16.0, AU_AS_SPREADING),
  AS923_3: regionSet(channels(916_600_000, 200_000, 8), 16.0, AU_AS_SPREADING),
  AS923_4: regionSet(channels(917_300_000, 200_000, 8), 16.0, AU_AS_SPREADING),
};
