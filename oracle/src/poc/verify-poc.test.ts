import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { verifyPoc } from './verify-poc.ts';
import type { GatewayInfo } from './types.ts';
import { ENTROPY, cellAt, gatewayInfo, makeBeacon, makeContext, makeWitness, testAddress } from './test-fixtures.ts';

// The runner's flow around the checks (spec §(a) "Runner"; oracles iot_verifier/src/runner.rs).
const BEACONER = gatewayInfo(testAddress(1), cellAt(52.37, 4.9));
const BEACON = makeBeacon(BEACONER);
/** 16 witnesses on a circle of 3 km around the beaconer (all pass every regular check). */
const RING: GatewayInfo[] = Array.from({ length: 16 }, (_, i) => {
  const a = (i / 16) * 2 * Math.PI;
  return gatewayInfo(testAddress(10 + i), cellAt(52.37, 4.9, 3000 * Math.cos(a), 3000 * Math.sin(a)));
});
const T0_MS = ENTROPY.timestampS * 1000;

describe('a PoC round', () => {
  it('selects the first 14 valid witnesses by receive time and reports everything in input order', () => {
    // Witness i is received i ms after the beacon; the input lists them in reverse.
    const witnesses = RING.map((g, i) => makeWitness(BEACON, g.address, { receivedAtMs: BEACON.receivedAtMs + i })).reverse();
    const v = verifyPoc({ beacon: BEACON, witnesses }, makeContext([BEACONER, ...RING], { scales: { [BEACONER.location!]: '0.5' } }));
    expect(v.witnesses.map((w) => w.hotspot)).toEqual(witnesses.map((w) => w.hotspot));
    // Input positions 0 and 1 are the two latest (i = 15, 14): valid but not selected.
    expect(v.witnesses.map((w) => w.selected)).toEqual([false, false, ...Array(14).fill(true)]);
    // HIP-15 with w = 14: TX 1.8926, RX 0.2220; scale 0.5 → beacon share 0.9463, witness share 0.111.
    expect(v.beacon).toMatchObject({ status: 'valid', hexScale: '0.5', rewardUnit: '1.8926' });
    expect(v.witnesses[0]).toMatchObject({ status: 'valid', reason: null, selected: false, rewardUnit: '0', hexScale: '0.5' });
    expect(v.witnesses[2]).toMatchObject({ status: 'valid', selected: true, rewardUnit: '0.222', hexScale: '0.5' });
    expect(v.shares.beacon).toEqual({ hotspot: BEACONER.address, share: '0.9463' });
    expect(v.shares.witnesses).toHaveLength(14);
    expect(v.shares.witnesses[0]).toEqual({ hotspot: RING[0].address, share: '0.111' });
  });

  it('breaks receive-time ties by input order when selecting', () => {
    const witnesses = RING.slice(0, 15).map((g) => makeWitness(BEACON, g.address, { receivedAtMs: BEACON.receivedAtMs + 7 }));
    const v = verifyPoc({ beacon: BEACON, witnesses }, makeContext([BEACONER, ...RING]));
    expect(v.witnesses.map((w) => w.selected)).toEqual([...Array(14).fill(true), false]);
  });

  it('counts only valid selected witnesses for the units (2 valid, 1 invalid → w = 2: TX 0.5, RX 1)', () => {
    const witnesses = [
      makeWitness(BEACON, RING[0].address),
      makeWitness(BEACON, RING[1].address, { rssiDbm: 0 }), // bad_rssi
      makeWitness(BEACON, RING[2].address),
    ];
    const v = verifyPoc({ beacon: BEACON, witnesses }, makeContext([BEACONER, ...RING]));
    expect(v.beacon.rewardUnit).toBe('0.5');
    expect(v.witnesses.map((w) => [w.reason, w.rewardUnit, w.hexScale])).toEqual([
      [null, '1', '0.2'],
      ['bad_rssi', '0', '0'],
      [null, '1', '0.2'],
    ]);
    // Default scale 0.2 (beaconer missing from the map): shares 0.2 × 0.5 = 0.1 and 0.2 × 1 = 0.2.
    expect(v.shares).toEqual({
      beacon: { hotspot: BEACONER.address, share: '0.1' },
      witnesses: [
        { hotspot: RING[0].address, share: '0.2' },
        { hotspot: RING[2].address, share: '0.2' },
      ],
    });
  });

  it('gives a valid beacon without witnesses no units, no shares and no reciprocity update', () => {
    const v = verifyPoc({ beacon: BEACON, witnesses: [] }, makeContext([BEACONER]));
    expect(v.beacon).toMatchObject({ status: 'valid', rewardUnit: '0', hexScale: '0.2' });
    expect(v.shares).toEqual({ beacon: undefined, witnesses: [] });
    expect(v.historyUpdates).toEqual({ lastBeaconAtMs: [BEACONER.address, BEACON.receivedAtMs], lastWitnessAtMs: [] });
  });

  it('records last_beacon_reciprocity when the beacon passed its checks and any witness report exists, even an invalid one', () => {
    const v = verifyPoc({ beacon: BEACON, witnesses: [makeWitness(BEACON, RING[0].address, { rssiDbm: 0 })] }, makeContext([BEACONER, ...RING]));
    expect(v.historyUpdates.lastBeaconReciprocityAtMs).toEqual([BEACONER.address, BEACON.receivedAtMs]);
    expect(v.historyUpdates.lastWitnessAtMs).toEqual([]);
  });

  it('records last_witness for witnesses that passed the regular checks even when the beaconer fails reciprocity', () => {
    const ctx = makeContext([BEACONER, ...RING], { history: { [BEACONER.address]: {} } });
    const w = makeWitness(BEACON, RING[0].address);
    const v = verifyPoc({ beacon: BEACON, witnesses: [w] }, ctx);
    expect(v.beacon.reason).toBe('gateway_no_valid_witnesses');
    expect(v.historyUpdates.lastWitnessAtMs).toEqual([[RING[0].address, w.receivedAtMs]]);
    expect(v.historyUpdates.lastBeaconReciprocityAtMs).toEqual([BEACONER.address, BEACON.receivedAtMs]);
  });

  it('never throws on arbitrary witness reports and keeps one verdict per report', () => {
    const everyone = [BEACONER, ...RING.slice(0, 4)];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            who: fc.integer({ min: 0, max: 5 }),
            lagMs: fc.integer({ min: -3000, max: 6000 }),
            rssiDbm: fc.integer({ min: -140, max: 10 }),
            freqOffsetHz: fc.integer({ min: -200_000, max: 200_000 }),
          }),
          { maxLength: 20 },
        ),
        (reports) => {
          const witnesses = reports.map((r) =>
            makeWitness(BEACON, r.who === 5 ? testAddress(99) : everyone[r.who].address, {
              receivedAtMs: BEACON.receivedAtMs + r.lagMs,
              rssiDbm: r.rssiDbm,
              frequencyHz: BEACON.frequencyHz + r.freqOffsetHz,
            }),
          );
          const v = verifyPoc({ beacon: BEACON, witnesses }, makeContext(everyone));
          const all = [...v.witnesses, ...v.dropped].map((x) => x.index).sort((a, b) => a - b);
          expect(all).toEqual(witnesses.map((_, i) => i));
          const selected = v.witnesses.filter((x) => x.selected);
          expect(selected.every((x) => x.status === 'valid')).toBe(true);
          expect(selected.length).toBeLessThanOrEqual(14);
          expect(v.shares.witnesses.length).toBe(selected.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is deterministic: the same round gives the same verdict', () => {
    const witnesses = RING.slice(0, 5).map((g, i) => makeWitness(BEACON, g.address, { receivedAtMs: T0_MS + 30_000 + i * 10 }));
    const ctx = makeContext([BEACONER, ...RING]);
    expect(verifyPoc({ beacon: BEACON, witnesses }, ctx)).toEqual(verifyPoc({ beacon: BEACON, witnesses }, ctx));
  });
});
