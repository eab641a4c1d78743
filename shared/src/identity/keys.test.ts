import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressFromPublicKey, animalName, IdentityError, isValidAddress, keyPairFromSeed, publicKeyFromAddress } from './keys.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 8032 §7.1 "TEST 1": secret key (seed) → public key.
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUB = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

/** Helium address by hand: base58check(version 0 ‖ (MAINNET 0x00 | ED25519 0x01) ‖ pubkey) with a double-SHA-256 checksum. */
function heliumAddressByHand(pub: Uint8Array): string {
  const payload = Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.from(pub)]);
  const check = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  const bytes = Buffer.concat([payload, check]);
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = BigInt('0x' + bytes.toString('hex'));
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out; // leading zero bytes → '1'
  }
  return out;
}

describe('keyPairFromSeed', () => {
  it('derives the RFC 8032 TEST 1 public key from its seed', () => {
    expect(hex(keyPairFromSeed(Buffer.from(RFC8032_SEED, 'hex')).publicKey)).toBe(RFC8032_PUB);
  });

  it('gives the Helium base58check address (version 0, mainnet ed25519 key type 0x01)', () => {
    const kp = keyPairFromSeed(Buffer.from(RFC8032_SEED, 'hex'));
    expect(kp.address).toBe(heliumAddressByHand(Buffer.from(RFC8032_PUB, 'hex')));
    expect(kp.address.startsWith('1')).toBe(true);
    expect(kp.name).toBe(animalName(kp.address));
    expect(kp.name.split(' ')).toHaveLength(3);
  });

  it('refuses seeds that are not 32 bytes', () => {
    expect(() => keyPairFromSeed(new Uint8Array(31))).toThrow(IdentityError);
  });
});

describe('addresses', () => {
  it('round-trip public key → address → public key (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const kp = keyPairFromSeed(seed);
        expect(addressFromPublicKey(kp.publicKey)).toBe(kp.address);
        expect(hex(publicKeyFromAddress(kp.address))).toBe(hex(kp.publicKey));
        expect(isValidAddress(kp.address)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects a corrupted address (checksum) and non-addresses', () => {
    const a = keyPairFromSeed(new Uint8Array(32).fill(1)).address;
    const last = a[a.length - 1];
    const corrupted = a.slice(0, -1) + (last === 'z' ? 'y' : 'z');
    expect(isValidAddress(corrupted)).toBe(false);
    expect(() => publicKeyFromAddress(corrupted)).toThrow(IdentityError);
    expect(isValidAddress('hello')).toBe(false);
    expect(isValidAddress(42)).toBe(false);
  });

  it('animal names are deterministic three-word names', () => {
    const a = keyPairFromSeed(new Uint8Array(32).fill(2)).address;
    expect(animalName(a)).toBe(animalName(a));
    expect(animalName(a)).toMatch(/^[A-Za-z]+ [A-Za-z]+ [A-Za-z]+$/);
  });
});
