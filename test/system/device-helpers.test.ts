/**
 * examples/sign.mjs is plain JavaScript for device makers; it must agree with the network's own code
 * (shared/src/identity, shared/src/poc/beacon.ts) or real devices would be refused. Round trips:
 * what the example signs, the oracle's verifier accepts; what it builds, Helium's beacon code rebuilds.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { keyPairFromSeed, verifyMessage, canonicalJson, verifyBytes } from '@hexium/shared/identity/index';
import { buildBeacon as sharedBeacon } from '@hexium/shared/poc/beacon';
import { resolveParams } from '@hexium/shared/params/index';
import * as ex from '../../examples/sign.mjs';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('examples/sign.mjs agrees with the network', () => {
  it('derives the same Helium address as @helium/address for any seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        expect(ex.keyFromSeedHex(hex(seed)).address).toBe(keyPairFromSeed(seed).address);
      }),
      { numRuns: 50 },
    );
  });

  it('signs messages the oracle verifies (RFC 8785 canonical JSON)', () => {
    const key = ex.keyFromSeedHex('11'.repeat(32));
    const jsonValue = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), tie('arr'), tie('obj')),
      arr: fc.array(tie('value'), { maxLength: 3 }),
      obj: fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== 'signature'), jsonValue, { maxKeys: 5 }), (msg) => {
        expect(ex.canonicalJson(msg)).toBe(canonicalJson(msg));
        expect(verifyMessage(ex.signMessage(msg, key), key.address)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('makes connect tokens the broker accepts: "<ts>.<sig of hexium-connect:<address>:<ts>>"', () => {
    const key = ex.keyFromSeedHex('22'.repeat(32));
    const token = ex.connectToken(key, 1_767_225_600_000);
    const [ts, sig] = token.split('.');
    expect(ts).toBe('1767225600000');
    expect(verifyBytes(Buffer.from(`hexium-connect:${key.address}:1767225600000`), Buffer.from(sig, 'base64'), key.address)).toBe(true);
  });

  it('builds the beacon Helium builds for the same entropy, in every region', () => {
    const params = resolveParams('helium');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.constantFrom(...Object.keys(params.regions)),
        fc.constantFrom(0, 1.2, 3, 5.8),
        (remote, local, ts, region, gain) => {
          const rp = params.regions[region];
          const mine = ex.buildBeacon({ dataHex: hex(remote), timestampS: ts, version: 1 }, hex(local), rp, gain);
          const ref = sharedBeacon({ remote: { data: remote, timestampS: ts, version: 1 }, local: { data: local, timestampS: 0, version: 1 }, regionParams: rp, gainDbi: gain });
          expect(mine).toMatchObject({ dataHex: hex(ref.data), frequencyHz: ref.frequencyHz, dataRate: ref.dataRate, txPowerDbm: ref.txPowerDbm });
        },
      ),
      { numRuns: 100 },
    );
  });
});
