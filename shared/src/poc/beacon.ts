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
import { hash } from 'node:crypto';
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

/** Write `value` as a little-endian two's-complement i64 at `offset` (no BigInt: safe integers fit in two words). */
function writeI64le(view: DataView, offset: number, value: number): void {
  if (!Number.isSafeInteger(value)) throw new BeaconError(`entropy timestamp must be an integer, got ${value}`);
  const high = Math.floor(value / 2 ** 32); // in [−2^21, 2^21) for safe integers
  view.setUint32(offset, value - high * 2 ** 32, true);
  view.setInt32(offset + 4, high, true);
}

/**
 * 32-byte ChaCha12 seed of a remote/local entropy pair (`Entropy::digest` of each, in that order): one
 * SHA-256 over the four fields laid out in one buffer (node:crypto one-shot `hash`, no Hash object).
 */
export function beaconSeed(remote: BeaconEntropy, local: BeaconEntropy): Uint8Array {
  const r = remote.data.length;
  const message = new Uint8Array(r + local.data.length + 16);
  const view = new DataView(message.buffer);
  message.set(remote.data, 0);
  writeI64le(view, r, remote.timestampS);
  message.set(local.data, r + 8);
  writeI64le(view, r + 8 + local.data.length, local.timestampS);
  return new Uint8Array(hash('sha256', message, 'buffer'));
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

// Region parameter sets are long-lived objects: their beacon data rate and max EIRP are computed once each.
const dataRateMemo = new WeakMap<readonly RegionParam[], string>();
const maxEirpTenthsMemo = new WeakMap<readonly RegionParam[], number>();

/** The beacon's data rate (51-byte payload), e.g. "SF12BW125" in EU868, "SF9BW125" in US915. */
export function beaconDataRate(regionParams: readonly RegionParam[]): string {
  let rate = dataRateMemo.get(regionParams);
  if (rate === undefined) dataRateMemo.set(regionParams, (rate = selectDataRate(regionParams, BEACON_PAYLOAD_BYTES)));
  return rate;
}

/**
 * Conducted power in whole dBm: trunc(max EIRP − antenna gain), computed in integer tenths of a dB as
 * Helium does with decimals (proto max_eirp and gain are dB×10), so 16.1 − 1.2 gives 14, not 14.9→14
 * by luck of float rounding. Throws when the result is negative (`invalid_conducted_power`).
 */
export function conductedPowerDbm(regionParams: readonly RegionParam[], gainDbi: number): number {
  checkParams(regionParams);
  if (!Number.isFinite(gainDbi)) throw new BeaconError(`antenna gain must be a number, got ${gainDbi}`);
  let maxEirpTenths = maxEirpTenthsMemo.get(regionParams);
  if (maxEirpTenths === undefined) {
    maxEirpTenths = Math.max(...regionParams.map((p) => Math.round(p.maxEirpDbm * 10)));
    maxEirpTenthsMemo.set(regionParams, maxEirpTenths);
  }
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
