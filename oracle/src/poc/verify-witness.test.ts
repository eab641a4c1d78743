import { describe, it, expect } from 'vitest';
import { cellToCenterChild, cellToParent, gridDisk, gridDistance } from 'h3-js';
import { HELIUM_PARAMS } from '@hexium/shared/params/index';
import { verifyPoc } from './verify-poc.ts';
import { checkMaxDistance, checkRssi } from './verify-witness.ts';
import type { GatewayInfo, HotspotHistory, WitnessInput } from './types.ts';
import { ENTROPY, cellAt, gatewayInfo, makeBeacon, makeContext, makeWitness, testAddress } from './test-fixtures.ts';

// Witness checks in Helium's order (spec §(b) "Witness checks"; oracles iot_verifier/src/poc.rs).
const BEACONER = gatewayInfo(testAddress(1), cellAt(52.37, 4.9));
const W = gatewayInfo(testAddress(2), cellAt(52.37, 4.9, 2000, 0)); // ~2 km north
const OTHER = gatewayInfo(testAddress(3), cellAt(52.37, 4.9, 0, 3000)); // ~3 km east
const BEACON = makeBeacon(BEACONER);
const T0_MS = ENTROPY.timestampS * 1000;
const H = 3600_000;

/** Res-12 cell whose res-11 parent is exactly `k` grid steps from the beaconer's res-11 parent. */
function cellAtGridDistance(k: number): string {
  const p = cellToParent(BEACONER.location!, 11);
  const ring = gridDisk(p, k).filter((c) => gridDistance(p, c) === k);
  return cellToCenterChild(ring[0], 12);
}

function verdicts(witnesses: WitnessInput[], gateways: GatewayInfo[] = [BEACONER, W, OTHER], opts: { history?: Record<string, HotspotHistory>; denied?: string[]; edges?: [string, string][]; beacon?: typeof BEACON } = {}) {
  const beacon = opts.beacon ?? BEACON;
  return verifyPoc({ beacon, witnesses }, makeContext(gateways, opts));
}
const reasonOf = (w: Partial<WitnessInput>, gw: GatewayInfo = W, extra: { denied?: string[]; edges?: [string, string][] } = {}) =>
  verdicts([makeWitness(BEACON, gw.address, w)], [BEACONER, gw, OTHER], extra).witnesses[0].reason;

describe('witness verification', () => {
  it('accepts a witness 2 km away that heard the beacon at a plausible strength', () => {
    const v = verdicts([makeWitness(BEACON, W.address)]);
    expect(v.witnesses[0]).toMatchObject({ status: 'valid', reason: null, selected: true, rewardUnit: '1', hexScale: '0.2' });
    expect(v.witnesses[0].distanceM).toBeGreaterThan(1900);
  });

  it('marks a second report from the same witness as duplicate, by receive time not input order', () => {
    const late = makeWitness(BEACON, W.address, { receivedAtMs: BEACON.receivedAtMs + 900 });
    const early = makeWitness(BEACON, W.address, { receivedAtMs: BEACON.receivedAtMs + 100 });
    const v = verdicts([late, early]);
    expect(v.witnesses.map((w) => w.reason)).toEqual(['duplicate', null]);
  });

  it('rejects an unknown witness as gateway_not_found and an unasserted one as not_asserted', () => {
    const stranger = gatewayInfo(testAddress(7), cellAt(52.37, 4.9, 0, -2000));
    expect(verdicts([makeWitness(BEACON, stranger.address)]).witnesses[0].reason).toBe('gateway_not_found');
    expect(reasonOf({}, { ...W, location: null })).toBe('not_asserted');
    expect(reasonOf({}, { ...W, region: null })).toBe('not_asserted');
  });

  it('rejects a denied witness as denied and a denied edge in either direction as denied_edge', () => {
    expect(reasonOf({}, W, { denied: [W.address] })).toBe('denied');
    expect(reasonOf({}, W, { edges: [[BEACONER.address, W.address]] })).toBe('denied_edge');
    expect(reasonOf({}, W, { edges: [[W.address, BEACONER.address]] })).toBe('denied_edge');
    expect(reasonOf({}, W, { edges: [[OTHER.address, W.address]] })).toBe(null);
  });

  it('drops a self witness from the PoC and reports it separately', () => {
    const v = verdicts([makeWitness(BEACON, BEACONER.address), makeWitness(BEACON, W.address)]);
    expect(v.witnesses.map((w) => w.hotspot)).toEqual([W.address]);
    expect(v.dropped).toMatchObject([{ index: 0, hotspot: BEACONER.address, reason: 'self_witness', selected: false }]);
  });

  it('applies the entropy window to the witness receive time in whole seconds', () => {
    // Beacon at t0 + 179.5 s so the lag rule (4000 ms) does not interfere.
    const beacon = makeBeacon(BEACONER, T0_MS + 179_500);
    const at = (ms: number) => verdicts([makeWitness(beacon, W.address, { receivedAtMs: ms })], undefined, { beacon }).witnesses[0].reason;
    expect(at(T0_MS + 180_999)).toBe(null);
    expect(at(T0_MS + 181_000)).toBe('entropy_expired');
  });

  it('allows 4000 ms after the beacon when the beacon arrived first, and not 4001', () => {
    expect(reasonOf({ receivedAtMs: BEACON.receivedAtMs + 4000 })).toBe(null);
    expect(reasonOf({ receivedAtMs: BEACON.receivedAtMs + 4001 })).toBe('too_late');
  });

  it('allows 1500 ms after the first witness when a witness arrived before the beacon, and not 1501', () => {
    const first = makeWitness(BEACON, OTHER.address, { receivedAtMs: BEACON.receivedAtMs - 100 });
    const at = (ms: number) => verdicts([first, makeWitness(BEACON, W.address, { receivedAtMs: ms })]).witnesses.map((w) => w.reason);
    expect(at(first.receivedAtMs + 1500)).toEqual([null, null]);
    expect(at(first.receivedAtMs + 1501)).toEqual([null, 'too_late']);
  });

  it('uses the 4000 ms rule when the first witness arrives in the same millisecond as the beacon', () => {
    const same = makeWitness(BEACON, OTHER.address, { receivedAtMs: BEACON.receivedAtMs });
    expect(verdicts([same, makeWitness(BEACON, W.address, { receivedAtMs: BEACON.receivedAtMs + 4000 })]).witnesses[1].reason).toBe(null);
  });

  it('rejects a witness whose payload differs from the beacon as invalid_packet', () => {
    const other = (BEACON.dataHex.slice(-1) === '0' ? BEACON.dataHex.slice(0, -1) + '1' : BEACON.dataHex.slice(0, -1) + '0');
    expect(reasonOf({ dataHex: other })).toBe('invalid_packet');
  });

  it('rejects a data-only witness as invalid_capability', () => {
    expect(reasonOf({}, { ...W, fullHotspot: false })).toBe('invalid_capability');
  });

  it('allows the witness frequency to differ by exactly 100 kHz, not 100 001 Hz', () => {
    expect(reasonOf({ frequencyHz: BEACON.frequencyHz + 100_000 })).toBe(null);
    expect(reasonOf({ frequencyHz: BEACON.frequencyHz - 100_000 })).toBe(null);
    expect(reasonOf({ frequencyHz: BEACON.frequencyHz + 100_001 })).toBe('invalid_frequency');
  });

  it('rejects a witness asserted in another region as invalid_region', () => {
    expect(reasonOf({}, { ...W, region: 'US915' })).toBe('invalid_region');
  });

  it('requires the res-11 parents to be at least 8 grid cells apart: 8 passes, 7 fails', () => {
    expect(reasonOf({}, { ...W, location: cellAtGridDistance(8) })).toBe(null);
    expect(reasonOf({}, { ...W, location: cellAtGridDistance(7) })).toBe('below_min_distance');
    expect(reasonOf({}, { ...W, location: BEACONER.location })).toBe('below_min_distance');
  });

  it('treats any H3 error in the minimum-distance check as below_min_distance (a witness asserted at res 10)', () => {
    expect(reasonOf({}, { ...W, location: cellToParent(W.location!, 10) })).toBe('below_min_distance');
    expect(reasonOf({}, { ...W, location: 'not-a-cell' })).toBe('below_min_distance');
  });

  it('allows up to 100 999 m (whole km ≤ 100) and rejects 101 000 m as max_distance_exceeded', () => {
    expect(checkMaxDistance(100_999, HELIUM_PARAMS)).toBe(null);
    expect(checkMaxDistance(101_000, HELIUM_PARAMS)).toBe('max_distance_exceeded');
    expect(checkMaxDistance(undefined, HELIUM_PARAMS)).toBe('max_distance_exceeded');
    // A witness ~150 km north (Groningen-ish) against one ~50 km north.
    expect(reasonOf({ rssiDbm: -130 }, { ...W, location: cellAt(52.37, 4.9, 150_000, 0) })).toBe('max_distance_exceeded');
    expect(reasonOf({ rssiDbm: -130 }, { ...W, location: cellAt(52.37, 4.9, 50_000, 0) })).toBe(null);
  });

  it('rejects a witness louder than free space allows as bad_rssi, with the exact boundary', () => {
    // d = 1000 m, f = 867.1 MHz, C = 2.998e8: FSPL = 20·log10(4π·1000·867.1e6 / 2.998e8) = 20·log10(36345.23) = 91.20895 dB.
    // max = 14 dBm + trunc(1.2) − 91.20895 + trunc(1.2) = 14 + 1 − 91.20895 + 1 = −75.20895 dBm.
    const check = (rssi: number) => checkRssi(rssi, 867_100_000, 14, 1000, 1.2, 1.2, HELIUM_PARAMS);
    expect(check(-75.21)).toBe(null);
    expect(check(-75.2)).toBe('bad_rssi');
    // Gains truncate toward zero as whole dB: 1.9 dBi counts as 1, −1.5 dBi as −1.
    expect(checkRssi(-75.21, 867_100_000, 14, 1000, 1.9, 1.9, HELIUM_PARAMS)).toBe(null);
    expect(checkRssi(-77.2, 867_100_000, 14, 1000, -1.5, 1.2, HELIUM_PARAMS)).toBe('bad_rssi'); // max = 14 − 1 − 91.209 + 1 = −77.209
    expect(checkRssi(-77.21, 867_100_000, 14, 1000, -1.5, 1.2, HELIUM_PARAMS)).toBe(null);
  });

  it('applies the RSSI rule with the witness frequency and the real distance in a round', () => {
    expect(reasonOf({ rssiDbm: -20 })).toBe('bad_rssi');
    expect(reasonOf({ rssiDbm: -120 })).toBe(null);
  });

  it('requires each valid witness to have beaconed with witnesses less than 48 h before (HIP-106), else gateway_no_valid_beacons', () => {
    const received = BEACON.receivedAtMs + 500;
    const recent = T0_MS - H;
    const at = (lastBeaconReciprocityAtMs?: number) =>
      verdicts([makeWitness(BEACON, W.address)], undefined, {
        history: { [BEACONER.address]: { lastWitnessAtMs: recent }, [W.address]: { lastBeaconReciprocityAtMs } },
      });
    expect(at(received - 48 * H + 1).witnesses[0].reason).toBe(null);
    const late = at(received - 48 * H);
    expect(late.witnesses[0]).toMatchObject({ reason: 'gateway_no_valid_beacons', selected: false, hexScale: '0', rewardUnit: '0' });
    // last_witness is still written: the witness passed the regular checks.
    expect(late.historyUpdates.lastWitnessAtMs).toEqual([[W.address, received]]);
    expect(at(undefined).witnesses[0].reason).toBe('gateway_no_valid_beacons');
  });

  it('checks in Helium\'s order: asserted before denied, lag before packet, frequency before region', () => {
    expect(reasonOf({}, { ...W, location: null }, { denied: [W.address] })).toBe('not_asserted');
    expect(reasonOf({ receivedAtMs: BEACON.receivedAtMs + 5000, dataHex: '00'.repeat(51) })).toBe('too_late');
    expect(reasonOf({ frequencyHz: BEACON.frequencyHz + 200_000 }, { ...W, region: 'US915' })).toBe('invalid_frequency');
  });
});
