import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aes128EncryptBlock, aesCmac } from './aes128.ts';
import { bytesToHexFast as hex, hexToBytesStrict as bytes } from './hex.ts';

describe('AES-128 (FIPS-197)', () => {
  it('encrypts the FIPS-197 Appendix C.1 example block', () => {
    // FIPS-197 C.1: key 000102…0f, plaintext 00112233…ff → 69c4e0d86a7b0430d8cdb78070b4c55a
    expect(hex(aes128EncryptBlock('000102030405060708090a0b0c0d0e0f', bytes('00112233445566778899aabbccddeeff')))).toBe(
      '69c4e0d86a7b0430d8cdb78070b4c55a',
    );
  });

  it('encrypts the FIPS-197 Appendix B example block', () => {
    // FIPS-197 B: key 2b7e1516…, input 3243f6a8885a308d313198a2e0370734 → 3925841d02dc09fbdc118597196a0b32
    expect(hex(aes128EncryptBlock('2b7e151628aed2a6abf7158809cf4f3c', bytes('3243f6a8885a308d313198a2e0370734')))).toBe(
      '3925841d02dc09fbdc118597196a0b32',
    );
  });

  it('agrees with node:crypto aes-128-ecb on random keys and blocks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (key, block) => {
        const c = createCipheriv('aes-128-ecb', key, null);
        c.setAutoPadding(false);
        expect(hex(aes128EncryptBlock(key, block))).toBe(c.update(block).toString('hex'));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses keys and blocks of the wrong size', () => {
    expect(() => aes128EncryptBlock(new Uint8Array(15), new Uint8Array(16))).toThrow(RangeError);
    expect(() => aes128EncryptBlock(new Uint8Array(16), new Uint8Array(17))).toThrow(RangeError);
  });
});

describe('AES-CMAC (RFC 4493 §4 test vectors)', () => {
  const K = '2b7e151628aed2a6abf7158809cf4f3c';
  const M64 =
    '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';
  it.each([
    ['Example 1: len = 0', '', 'bb1d6929e95937287fa37d129b756746'],
    ['Example 2: len = 16', M64.slice(0, 32), '070a16b46b4d4144f79bdd9dd04a287c'],
    ['Example 3: len = 40', M64.slice(0, 80), 'dfa66747de9ae63030ca32611497c827'],
    ['Example 4: len = 64', M64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('%s', (_name, msg, tag) => {
    expect(hex(aesCmac(K, bytes(msg)))).toBe(tag);
  });
});
