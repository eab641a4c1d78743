/**
 * The PoC beacon exactly as Helium builds it: helium/proto `beacon/src/lib.rs` (`Beacon::new`),
 * `entropy.rs` (`Entropy::digest`), `region.rs` (`select_datarate`, `max_conducted_power`);
 * ../shared/specs/poc-and-rewards.md "Beacon construction" and ../shared/specs/radio.md §2.6.
 *
 *   seed  = SHA-256(remote.data ‖ i64_le(remote.ts) ‖ local.data ‖ i64_le(local.ts))
 *   data  = 51 × (ChaCha12Rng::from_seed(seed).next_u32() as u8)     (rand `Standard` for u8)
 *   freq  = params[u16_le(data[0..2]) % params.len()].channel_frequency
 *   dr    = first tagged spreading (stored order) with max_packet_size ≥ 51, + params[0].bandwidth
 *   power = trunc(max(max_eirp) − gain) dBm, negative → error
 */
import { createHash } from 'node:crypto';
import type { RegionParam } from '../params/region-params.ts';
import { chachaKeystreamWords } from './chacha.ts';

/** helium/proto `BEACON_PAYLOAD_SIZE`. */
export const BEACON_PAYLOAD_BYTES = 51;
/** rand_chacha::ChaCha12Rng. */
const CHACHA_ROUNDS = 12;

/** Entropy as Helium's `Entropy { version, timestamp, data }` (timestamp in seconds). */
export interface BeaconEntropy {
  data: Uint8Array;
  timestampS: number;
  version: number;
}

export class BeaconError extends Error {
  override name = 'BeaconError';
}

function i64le(value: number): Uint8Array {
  if (!Number.isSafeInteger(value)) throw new BeaconError(`entropy timestamp must be an integer, got ${value}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(value), true);
  return out;
}

/** 32-byte ChaCha12 seed of a remote/local entropy pair (`Entropy::digest` of each, in that order). */
export function beaconSeed(remote: BeaconEntropy, local: BeaconEntropy): Uint8Array {
  const h = createHash('sha256');
  h.update(remote.data).update(i64le(remote.timestampS)).update(local.data).update(i64le(local.timestampS));
  return new Uint8Array(h.digest());
}

/** `n` bytes drawn from ChaCha12Rng(seed) as Rust's `rng.gen::<u8>()`: the low byte of each u32 word. */
export function chacha12LowBytes(seed: Uint8Array, n: number): Uint8Array {
  const words = chachaKeystreamWords(seed, n, CHACHA_ROUNDS);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = words[i] & 0xff;
  return out;
}

/**
 * The 51-byte beacon payload. Only remote entropy versions 0 and 1 exist (`Error::invalid_version`);
 * like Helium, the local entropy's version is not checked (it is always 0 and is not in the digest).
 */
export function beaconPayload(remote: BeaconEntropy, local: BeaconEntropy): Uint8Array {
  if (remote.version !== 0 && remote.version !== 1) throw new BeaconError(`unsupported entropy version ${remote.version} (only 0 and 1)`);
  return chacha12LowBytes(beaconSeed(remote, local), BEACON_PAYLOAD_BYTES);
}

function checkParams(regionParams: readonly RegionParam[]): void {
  if (regionParams.length === 0) throw new BeaconError('no region params'); // region.rs check_valid
}

/** Channel frequency chosen by the first two payload bytes (u16 little-endian) modulo the channel count. */
export function beaconFrequencyHz(data: Uint8Array, regionParams: readonly RegionParam[]): number {
  checkParams(regionParams);
  if (data.length < 2) throw new BeaconError('beacon data must have at least 2 bytes');
  return regionParams[(data[0] | (data[1] << 8)) % regionParams.length].channelFrequencyHz;
}

/** Data rate for a packet of `packetSize` bytes: first tagged spreading (stored order) that fits. */
export function selectDataRate(regionParams: readonly RegionParam[], packetSize: number): string {
  checkParams(regionParams);
  const first = regionParams[0];
  const tagged = first.spreading.find((t) => t.maxPacketSize >= packetSize);
  if (!tagged) throw new BeaconError(`no region spreading for a ${packetSize}-byte packet`);
  return `SF${tagged.sf}BW${Math.floor(first.bandwidthHz / 1000)}`;
}

/** The beacon's data rate (51-byte payload), e.g. "SF12BW125" in EU868, "SF9BW125" in US915. */
export function beaconDataRate(regionParams: readonly RegionParam[]): string {
  return selectDataRate(regionParams, BEACON_PAYLOAD_BYTES);
}

/**
 * Conducted power in whole dBm: trunc(max EIRP − antenna gain), computed in integer tenths of a dB as
 * Helium does with decimals (proto max_eirp and gain are dB×10), so 16.1 − 1.2 gives 14, not 14.9→14
 * by luck of float rounding. Throws when the result is negative (`invalid_conducted_power`).
 */
export function conductedPowerDbm(regionParams: readonly RegionParam[], gainDbi: number): number {
  checkParams(regionParams);
  if (!Number.isFinite(gainDbi)) throw new BeaconError(`antenna gain must be a number, got ${gainDbi}`);
  const maxEirpTenths = Math.max(...regionParams.map((p) => Math.round(p.maxEirpDbm * 10)));
  const tenths = maxEirpTenths - Math.round(gainDbi * 10);
  const dbm = Math.trunc(tenths / 10) + 0; // + 0 turns -0 into 0
  if (dbm < 0) throw new BeaconError(`conducted power would be negative (max EIRP ${maxEirpTenths / 10} dBm, gain ${gainDbi} dBi)`);
  return dbm;
}

export interface Beacon {
  data: Uint8Array;
  frequencyHz: number;
  dataRate: string;
  txPowerDbm: number;
}

/** Everything a hotspot needs to transmit a beacon. */
export function buildBeacon(input: {
  remote: BeaconEntropy;
  local: BeaconEntropy;
  regionParams: readonly RegionParam[];
  gainDbi: number;
}): Beacon {
  checkParams(input.regionParams);
  const data = beaconPayload(input.remote, input.local);
  return {
    data,
    frequencyHz: beaconFrequencyHz(data, input.regionParams),
    dataRate: beaconDataRate(input.regionParams),
    txPowerDbm: conductedPowerDbm(input.regionParams, input.gainDbi),
  };
}
