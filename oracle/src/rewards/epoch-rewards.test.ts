import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HELIUM_PARAMS } from '@hexium/shared/params/index';
import { computeEpochRewards, type GatewayShares } from './epoch-rewards.ts';

const E = 1_000_000_000n; // 10 HNT in bones
const PRICE = 359_000_000; // $3.59 with 8 decimals

function rewards(gateways: Record<string, [string, string, string]>, e = E) {
  const map = new Map<string, GatewayShares>(Object.entries(gateways).map(([id, [b, w, d]]) => [id, { beaconShares: b, witnessShares: w, dcShares: d }]));
  return computeEpochRewards({ epochEmissionsBones: e, hntPrice: PRICE, hntPriceDecimals: 8, gateways: map }, HELIUM_PARAMS);
}

describe('epoch rewards', () => {
  it('split a 10 HNT epoch as worked out by hand (DC under the cap, unused DC 20/80 to PoC)', () => {
    // price: 359 000 000 / 10^8 = $3.59 per HNT; per bone $3.59 / 10^8 = $3.59e-8.
    // DC: 1500 × $0.00001 / ($3.59 / 1e8) = 417 827.298050139275766016… → round UP at 15 dp = 417 827.298050139275767.
    // cap = 0.5 E = 500 000 000; unused = 499 582 172.701949860724233.
    // beacons   = 0.06 E + 0.2 unused = 159 916 434.5403899721448466 over 3 shares → 53 305 478.180129990714949 (15 dp, half-even)
    // witnesses = 0.24 E + 0.8 unused = 639 665 738.1615598885793864 over 4 shares → 159 916 434.540389972144847
    // dc per share = 417 827.298050139275767 / 1500 = 278.551532033426184 (15 dp)
    // g1: floor(53 305 478.18) = 53 305 478; floor(3 × 159 916 434.540…) = floor(479 749 303.62…) = 479 749 303; floor(1000 × 278.55…) = 278 551
    // g2: floor(2 × 53 305 478.18…) = 106 610 956; floor(159 916 434.54…) = 159 916 434
    // g3: floor(500 × 278.551532…) = floor(139 275.766…) = 139 275
    // Σ = 799 999 997 → unallocated PoC = floor(800 000 000 − 799 999 997) = 3; operations = oracles = 70 000 000.
    const r = rewards({ g1: ['1', '3', '1000'], g2: ['2', '1', '0'], g3: ['0', '0', '500'], g4: ['0', '0', '0'] });
    expect(Object.fromEntries(r.gateways)).toEqual({
      g1: { beaconAmount: 53_305_478n, witnessAmount: 479_749_303n, dcTransferAmount: 278_551n },
      g2: { beaconAmount: 106_610_956n, witnessAmount: 159_916_434n, dcTransferAmount: 0n },
      g3: { beaconAmount: 0n, witnessAmount: 0n, dcTransferAmount: 139_275n },
    });
    expect([r.operations, r.oracles, r.unallocatedPoc]).toEqual([70_000_000n, 70_000_000n, 3n]);
    expect(r.perShare).toEqual({ beacon: '53305478.180129990714949', witness: '159916434.540389972144847', dc: '278.551532033426184' });
  });

  it('pay data transfer pro rata up to the 50 % cap and leave nothing unused when DC exceed it', () => {
    // 1e11 DC × $0.00001 / $3.59e-8 per bone ≈ 2.79e13 bones > cap 5e8 → dc per share = 5e8 / 1e11 = 0.005.
    // g1: 6e10 × 0.005 = 300 000 000, g2: 200 000 000. Beacons 0.06 E = 60 000 000 all to g1; witnesses 240 000 000 to g2.
    const r = rewards({ g1: ['1', '0', '60000000000'], g2: ['0', '1', '40000000000'] });
    expect(Object.fromEntries(r.gateways)).toEqual({
      g1: { beaconAmount: 60_000_000n, witnessAmount: 0n, dcTransferAmount: 300_000_000n },
      g2: { beaconAmount: 0n, witnessAmount: 240_000_000n, dcTransferAmount: 200_000_000n },
    });
    expect(r.unallocatedPoc).toBe(0n);
    expect(r.perShare.dc).toBe('0.005');
  });

  it('pay exactly the DC value at the cap boundary (value = cap leaves 0 unused; one DC less leaves the rest to PoC)', () => {
    // price per bone = $3.59 / 1e8 = $3.59e-8. DC worth exactly 5e8 bones: n × 1e-5 / 3.59e-8 = 5e8 → n = 1 795 000 DC.
    const at = rewards({ g1: ['1', '1', '1795000'] });
    expect(at.gateways.get('g1')).toEqual({ beaconAmount: 60_000_000n, witnessAmount: 240_000_000n, dcTransferAmount: 500_000_000n });
    expect(at.unallocatedPoc).toBe(0n);
    // 1 794 999 DC: value = 1 794 999 × 1e-5 / 3.59e-8 = 499 999 721.448467966573816… → up at 15 dp …817;
    // unused = 278.551532033426183 → beacons 60 000 000 + 55.710306406685… = 60 000 055.71…, witnesses 240 000 222.84…;
    // dc per share = 499 999 721.448467966573817 / 1 794 999 = 278.551532033426184 (15 dp) → floor(× 1 794 999) = 499 999 721.
    const below = rewards({ g1: ['1', '1', '1794999'] });
    expect(below.gateways.get('g1')).toEqual({ beaconAmount: 60_000_055n, witnessAmount: 240_000_222n, dcTransferAmount: 499_999_721n });
  });

  it('leave the whole PoC and data-transfer 80 % unallocated when nobody has shares', () => {
    const r = rewards({});
    expect(r.gateways.size).toBe(0);
    expect([r.operations, r.oracles, r.unallocatedPoc]).toEqual([70_000_000n, 70_000_000n, 800_000_000n]);
    expect(r.perShare).toEqual({ beacon: '0', witness: '0', dc: '0' });
  });

  it('floor the 7 % buckets of an odd emission (E = 999 bones → 69 each)', () => {
    const r = rewards({}, 999n);
    expect([r.operations, r.oracles, r.unallocatedPoc]).toEqual([69n, 69n, 799n]); // 69.93 → 69; 799.2 → 799
  });

  const sharesArb = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 6 }),
    fc.tuple(
      fc.integer({ min: 0, max: 100_000 }).map((n) => (n / 10_000).toString()),
      fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 10_000).toString()),
      fc.integer({ min: 0, max: 10_000_000 }).map(String),
    ),
    { maxKeys: 30 },
  );
  const emissionArb = fc.bigInt({ min: 0n, max: 10n ** 15n });

  it('never pay out more than the 94 % the oracle distributes, and lose less than 3 bones to flooring', () => {
    fc.assert(
      fc.property(sharesArb, emissionArb, (g, e) => {
        const r = rewards(g, e);
        let total = r.operations + r.oracles + r.unallocatedPoc;
        for (const a of r.gateways.values()) total += a.beaconAmount + a.witnessAmount + a.dcTransferAmount;
        const ninetyFour = (e * 94n) / 100n; // floor(0.94 E)
        expect(total <= ninetyFour).toBe(true);
        expect(total >= ninetyFour - 3n).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('are deterministic and do not depend on the order of the gateways', () => {
    fc.assert(
      fc.property(sharesArb, emissionArb, (g, e) => {
        const forward = rewards(g, e);
        const reversed = rewards(Object.fromEntries(Object.entries(g).reverse()), e);
        const again = rewards(g, e);
        const sorted = (m: typeof forward.gateways) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(sorted(reversed.gateways)).toEqual(sorted(forward.gateways));
        expect(reversed.unallocatedPoc).toBe(forward.unallocatedPoc);
        expect(again).toEqual(forward);
      }),
      { numRuns: 100 },
    );
  });

  it('omit gateways whose three amounts are all zero', () => {
    fc.assert(
      fc.property(sharesArb, emissionArb, (g, e) => {
        for (const a of rewards(g, e).gateways.values()) expect(a.beaconAmount + a.witnessAmount + a.dcTransferAmount > 0n).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
