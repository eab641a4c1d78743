import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chachaBlockRfc8439, chachaBlockWords, chachaKeystreamWords } from './chacha.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const wordsLe = (w: Uint32Array) => {
  const b = Buffer.alloc(4 * w.length);
  w.forEach((x, i) => b.writeUInt32LE(x, 4 * i));
  return b.toString('hex');
};

describe('ChaCha block function', () => {
  it('reproduces the RFC 8439 §2.3.2 ChaCha20 block test vector at 20 rounds', () => {
    // Key 00:01:…:1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block count 1 → serialized block of §2.3.2
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const nonce = Buffer.from('000000090000004a00000000', 'hex');
    expect(hex(chachaBlockRfc8439(key, 1, nonce, 20))).toBe(
      '10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e' +
        'd2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e',
    );
  });

  it('gives the ChaCha12 keystream of rand 0.8 StdRng::from_seed([0; 32]) (zero key, counter 0, zero nonce)', () => {
    // rand 0.8 StdRng = ChaCha12Rng. Its first 64 output bytes from the all-zero seed, as quoted by Aptos'
    // TransactionFactory::new ("Secret: 9bf49a6a…") and Aptos SDK test corpora (sender/receiver keys):
    expect(wordsLe(chachaKeystreamWords(new Uint8Array(32), 16, 12))).toBe(
      '9bf49a6a0755f953811fce125f2683d50429c3bb49e074147e0089a52eae155f' +
        '0564f879d27ae3c02ce82834acfa8c793a629f2ca0de6919610be82f411326be',
    );
  });

  it('agrees with node:crypto chacha20 at 20 rounds on random keys, nonces and counters (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 0xfffffffe }),
        (key, nonce, counter) => {
          const iv = Buffer.alloc(16);
          iv.writeUInt32LE(counter, 0); // OpenSSL chacha20 IV = counter (LE32) ‖ 96-bit nonce
          Buffer.from(nonce).copy(iv, 4);
          const ks = createCipheriv('chacha20', key, iv).update(Buffer.alloc(64));
          expect(hex(chachaBlockRfc8439(key, counter, nonce, 20))).toBe(ks.toString('hex'));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('continues the keystream across blocks with the 64-bit block counter', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    const stream = chachaKeystreamWords(key, 40, 12);
    expect(Array.from(stream.subarray(16, 32))).toEqual(Array.from(chachaBlockWords(key, [1, 0, 0, 0], 12)));
    expect(Array.from(stream.subarray(32, 40))).toEqual(Array.from(chachaBlockWords(key, [2, 0, 0, 0], 12).subarray(0, 8)));
  });

  it('refuses bad keys and round counts', () => {
    expect(() => chachaBlockWords(new Uint8Array(16), [0, 0, 0, 0], 12)).toThrow(RangeError);
    expect(() => chachaBlockWords(new Uint8Array(32), [0, 0, 0, 0], 11)).toThrow(RangeError);
  });
});
