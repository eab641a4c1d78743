import { describe, it, expect } from 'vitest';
import { HELIUM_PARAMS } from '@hexium/shared/params/index';
import { verifyPoc } from './verify-poc.ts';
import { PocProcessingError, type GatewayInfo, type HotspotHistory } from './types.ts';
import { ENTROPY, cellAt, gatewayInfo, makeBeacon, makeContext, makeWitness, testAddress } from './test-fixtures.ts';

// Beacon checks in Helium's order (spec §(b) "Beacon checks"; oracles iot_verifier/src/poc.rs).
const BEACONER = gatewayInfo(testAddress(1), cellAt(52.37, 4.9));
const WITNESS = gatewayInfo(testAddress(2), cellAt(52.37, 4.9, 2000, 0));
const T0_MS = ENTROPY.timestampS * 1000;
const H = 3600_000;

function run(opts: { beaconer?: GatewayInfo; receivedAtMs?: number; history?: Record<string, HotspotHistory>; denied?: string[]; over?: Record<string, unknown>; params?: typeof HELIUM_PARAMS } = {}) {
  const beaconer = opts.beaconer ?? BEACONER;
  const beacon = { ...makeBeacon(BEACONER, opts.receivedAtMs), ...(opts.over ?? {}) };
  const gateways = opts.beaconer === undefined ? [BEACONER, WITNESS] : [beaconer, WITNESS].filter((g) => g.address);
  const ctx = makeContext(gateways, { history: opts.history, denied: opts.denied, params: opts.params });
  return verifyPoc({ beacon, witnesses: [makeWitness(beacon, WITNESS.address)] }, ctx);
}

describe('beacon verification', () => {
  it('accepts a correctly built beacon from a known, asserted, full hotspot', () => {
    const v = run();
    expect(v.beacon).toMatchObject({ status: 'valid', reason: null, rewardUnit: '0.25', hexScale: '0.2' });
  });

  it('rejects a beacon from an unknown gateway as gateway_not_found', () => {
    const stranger = gatewayInfo(testAddress(9), cellAt(52.37, 4.9));
    const beacon = makeBeacon(stranger);
    const v = verifyPoc({ beacon, witnesses: [] }, makeContext([WITNESS]));
    expect(v.beacon.reason).toBe('gateway_not_found');
    expect(v.historyUpdates.lastBeaconAtMs).toBeUndefined();
  });

  it('rejects a beacon from a hotspot without location or region as not_asserted', () => {
    expect(run({ beaconer: { ...BEACONER, location: null } }).beacon.reason).toBe('not_asserted');
    expect(run({ beaconer: { ...BEACONER, region: null } }).beacon.reason).toBe('not_asserted');
  });

  it('throws a processing error (Helium retries) when the beaconer\'s region has no parameters', () => {
    expect(() => run({ beaconer: { ...BEACONER, region: 'XX000' } })).toThrow(PocProcessingError);
  });

  it('rejects a denied beaconer as denied, before looking at the entropy window', () => {
    expect(run({ denied: [BEACONER.address], receivedAtMs: T0_MS + 500_000 }).beacon.reason).toBe('denied');
  });

  it('accepts receipt in whole seconds from the entropy timestamp to 180 s after, both ends inclusive', () => {
    expect(run({ receivedAtMs: T0_MS }).beacon.status).toBe('valid');
    expect(run({ receivedAtMs: T0_MS + 180_999 }).beacon.status).toBe('valid'); // 180.999 s truncates to 180
    expect(run({ receivedAtMs: T0_MS + 181_000 }).beacon.reason).toBe('entropy_expired');
    expect(run({ receivedAtMs: T0_MS - 1 }).beacon.reason).toBe('entropy_expired');
  });

  it('rejects a data-only hotspot as invalid_capability', () => {
    expect(run({ beaconer: { ...BEACONER, fullHotspot: false } }).beacon.reason).toBe('invalid_capability');
  });

  it('allows one beacon per epoch-aligned 6 h window (irregular_interval at the window start, valid 1 ms before it)', () => {
    // 1 764 000 030 s lies in the window starting at floor(1 764 000 030 / 21 600) × 21 600 = 1 763 985 600 s.
    const windowStartMs = 1_763_985_600_000;
    const at = (lastBeaconAtMs: number) => run({ history: { [BEACONER.address]: { lastBeaconAtMs, lastWitnessAtMs: T0_MS - H } } }).beacon;
    expect(at(windowStartMs).reason).toBe('irregular_interval');
    expect(at(windowStartMs - 1).status).toBe('valid');
  });

  it('leaves the schedule alone for a challenged beacon: no interval check, last_beacon not moved (issue 14)', () => {
    // A challenge makes the hotspot beacon on command inside the window of its last scheduled beacon
    // (1 763 985 600 s, as above). That beacon answers the challenge and is not a scheduled one; the
    // hotspot's own beacon of the next window must then still pass: last_beacon stays where it was.
    const windowStartMs = 1_763_985_600_000;
    const history = { [BEACONER.address]: { lastBeaconAtMs: windowStartMs, lastWitnessAtMs: T0_MS - H } };
    const challenged = run({ history, over: { challenged: true } });
    expect(challenged.beacon.status).toBe('valid');
    expect(challenged.historyUpdates.lastBeaconAtMs).toBeUndefined();
    // …and it earns nothing: no beacon share, no witness shares (else self-challenges would farm beacons)
    expect(challenged.shares).toEqual({ witnesses: [] });
    expect(run({ history: {} }).shares.beacon).toBeDefined();
    // the same beacon without a challenge is the window's second beacon
    expect(run({ history }).beacon.reason).toBe('irregular_interval');
  });

  it('rejects a payload, frequency or data rate that differs from the regenerated beacon as invalid_packet', () => {
    const good = makeBeacon(BEACONER);
    const flipped = (good.dataHex[0] === '0' ? '1' : '0') + good.dataHex.slice(1);
    expect(run({ over: { dataHex: flipped } }).beacon.reason).toBe('invalid_packet');
    expect(run({ over: { frequencyHz: good.frequencyHz + 200_000 } }).beacon.reason).toBe('invalid_packet');
    expect(run({ over: { dataRate: 'SF9BW125' } }).beacon.reason).toBe('invalid_packet');
    expect(run({ over: { localEntropyHex: '00000000' } }).beacon.reason).toBe('invalid_packet');
  });

  it('does not compare the conducted power (Beacon::verify ignores it)', () => {
    expect(run({ over: { txPowerDbm: 27 } }).beacon.status).toBe('valid');
  });

  it('counts a beacon generation error as invalid_packet (gain above max EIRP → negative power)', () => {
    // EU868 max EIRP 16.1 dBm − 18 dBi = −1.9 → trunc −1 < 0 → BeaconError (helium/proto `invalid_conducted_power`);
    // 17 dBi gives trunc(−0.9) = 0 dBm, which is still allowed.
    expect(run({ beaconer: { ...BEACONER, gainDbi: 18 } }).beacon.reason).toBe('invalid_packet');
    expect(run({ beaconer: { ...BEACONER, gainDbi: 17 } }).beacon.status).toBe('valid');
  });

  it('requires the beaconer to have witnessed validly less than 48 h before (HIP-106), else gateway_no_valid_witnesses for the whole PoC', () => {
    const received = T0_MS + 30_000;
    const at = (lastWitnessAtMs?: number) => run({ history: { [BEACONER.address]: { lastWitnessAtMs } } });
    expect(at(received - 48 * H + 1).beacon.status).toBe('valid');
    const late = at(received - 48 * H);
    expect(late.beacon.reason).toBe('gateway_no_valid_witnesses');
    expect(late.witnesses.map((w) => w.reason)).toEqual(['gateway_no_valid_witnesses']);
    expect(at(undefined).beacon.reason).toBe('gateway_no_valid_witnesses');
  });

  it('marks a beacon whose remote entropy is unknown as stale (Helium never verifies it; the purger does)', () => {
    const beacon = { ...makeBeacon(BEACONER), remoteEntropyHex: '22'.repeat(32) };
    const v = verifyPoc({ beacon, witnesses: [makeWitness(beacon, WITNESS.address)] }, makeContext([BEACONER, WITNESS]));
    expect(v.beacon.reason).toBe('stale');
    expect(v.witnesses[0].reason).toBe('stale');
    expect(v.historyUpdates).toEqual({ lastWitnessAtMs: [] });
  });

  it('invalidates every witness with the beacon\'s reason and drops none when the beacon is invalid', () => {
    const beacon = makeBeacon(BEACONER);
    const ctx = makeContext([BEACONER, WITNESS], { denied: [BEACONER.address] });
    const v = verifyPoc({ beacon, witnesses: [makeWitness(beacon, WITNESS.address), makeWitness(beacon, BEACONER.address)] }, ctx);
    expect(v.witnesses.map((w) => [w.reason, w.selected, w.rewardUnit])).toEqual([
      ['denied', false, '0'],
      ['denied', false, '0'],
    ]);
    expect(v.dropped).toEqual([]);
    expect(v.shares).toEqual({ witnesses: [] });
    // last_beacon is written for a known, asserted beaconer even when its beacon is invalid.
    expect(v.historyUpdates.lastBeaconAtMs).toEqual([BEACONER.address, beacon.receivedAtMs]);
    expect(v.historyUpdates.lastBeaconReciprocityAtMs).toBeUndefined();
  });

  it('uses the parameters passed in (demo profile: 15 s entropy lifespan)', () => {
    const demo = { ...HELIUM_PARAMS, entropyLifespanS: 15 };
    expect(run({ params: demo, receivedAtMs: T0_MS + 15_999 }).beacon.status).toBe('valid');
    expect(run({ params: demo, receivedAtMs: T0_MS + 16_000 }).beacon.reason).toBe('entropy_expired');
  });
});
