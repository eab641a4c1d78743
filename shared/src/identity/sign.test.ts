import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPairFromSeed } from './keys.ts';
import { canonicalJson, canonicalJsonReference, signBytes, signingBytes, signMessage, verifyBytes, verifyMessage } from './sign.ts';

const RFC8032_SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const key = keyPairFromSeed(RFC8032_SEED);
const other = keyPairFromSeed(new Uint8Array(32).fill(9));

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys, drops whitespace and writes numbers and strings the ECMAScript way', () => {
    expect(canonicalJson({ b: 2, a: [1, { d: true, c: null }] })).toBe('{"a":[1,{"c":null,"d":true}],"b":2}');
    expect(canonicalJson({ n: 1.0, big: 1e30, small: 0.000001, neg: -0 })).toBe('{"big":1e+30,"n":1,"neg":0,"small":0.000001}');
    expect(canonicalJson({ s: '€\u0007"' })).toBe('{"s":"€\\u0007\\""}');
  });

  it('throws on values JSON cannot carry', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
    expect(() => canonicalJson({ x: Infinity })).toThrow();
    expect(() => canonicalJson({ x: '\ud800' })).toThrow(/surrogate/);
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow(/surrogate/);
    expect(() => canonicalJson({ x: 1n })).toThrow();
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow();
  });

  it('is byte-identical to the canonicalize package on any JSON value (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(canonicalJsonReference(v));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.object({ values: [fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(undefined), fc.date({ noInvalidDate: true })] }), (v) => {
        expect(canonicalJson(v)).toBe(canonicalJsonReference(v));
      }),
      { numRuns: 300 },
    );
  });
});

describe('signing', () => {
  it('signBytes is RFC 8032 TEST 1 for the empty message', () => {
    // RFC 8032 §7.1 TEST 1 signature of the empty message.
    expect(Buffer.from(signBytes(new Uint8Array(0), key)).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('signs the canonical JSON of the message without its signature field', () => {
    const signed = signMessage({ z: 1, a: 'x' }, key);
    expect(signingBytes(signed).toString('utf8')).toBe('{"a":"x","z":1}');
    expect(verifyBytes(Buffer.from('{"a":"x","z":1}'), Buffer.from(signed.signature, 'base64'), key.address)).toBe(true);
    expect(signed.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  });

  const jsonObject = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== 'signature'),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 4 })),
    { maxKeys: 6 },
  );

  it('sign → verify round-trips; any flipped signature byte, changed field or other key fails (fast-check)', () => {
    fc.assert(
      fc.property(jsonObject, fc.nat(63), (msg, flip) => {
        const signed = signMessage(msg, key);
        expect(verifyMessage(signed, key.address)).toBe(true);
        // key order does not matter: the signature covers the canonical form
        const reordered = Object.fromEntries(Object.entries(signed).reverse());
        expect(verifyMessage(reordered, key.address)).toBe(true);
        const sig = Buffer.from(signed.signature, 'base64');
        sig[flip] ^= 0x01;
        expect(verifyMessage({ ...signed, signature: sig.toString('base64') }, key.address)).toBe(false);
        expect(verifyMessage({ ...signed, extra: 1 }, key.address)).toBe(false);
        expect(verifyMessage(signed, other.address)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on junk: missing signature, bad base64, bad address', () => {
    const signed = signMessage({ a: 1 }, key);
    expect(verifyMessage({ a: 1 }, key.address)).toBe(false);
    expect(verifyMessage({ ...signed, signature: 'not base64!' }, key.address)).toBe(false);
    expect(verifyMessage(signed, 'not-an-address')).toBe(false);
    expect(verifyBytes(new Uint8Array(1), new Uint8Array(10), key.address)).toBe(false);
  });
});
