import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { keyPairFromSeed, signBytes } from '@hexium/shared/identity/index';
import { SignaturePool } from './signature-pool.ts';

const key = keyPairFromSeed(createHash('sha256').update('pool').digest());
const other = keyPairFromSeed(createHash('sha256').update('other').digest());
const pool = new SignaturePool(2, 4);
afterAll(() => pool.close());

describe('SignaturePool', () => {
  it('verifies a batch in worker threads, answering each job in order', async () => {
    const jobs = Array.from({ length: 10 }, (_, i) => {
      const message = Buffer.from(`message ${i}`);
      // even jobs signed by the right key, odd ones by another key
      const signature = signBytes(message, i % 2 === 0 ? key : other);
      return pool.verify({ publicKey: key.publicKey, message, signature });
    });
    expect(await Promise.all(jobs)).toEqual([true, false, true, false, true, false, true, false, true, false]);
  });
  it('refuses a tampered message and malformed keys or signatures without a worker', async () => {
    const message = Buffer.from('hello');
    const signature = signBytes(message, key);
    expect(await pool.verify({ publicKey: key.publicKey, message: Buffer.from('hellO'), signature })).toBe(false);
    expect(await pool.verify({ publicKey: key.publicKey.subarray(0, 31), message, signature })).toBe(false);
    expect(await pool.verify({ publicKey: key.publicKey, message, signature: signature.subarray(0, 63) })).toBe(false);
  });
  it('shares a large batch out among the workers and still answers each job with its own verdict', async () => {
    const wide = new SignaturePool(2, 512);
    try {
      // 101 jobs in one turn: two parts (51 + 50); every third one signed by the wrong key
      const jobs = Array.from({ length: 101 }, (_, i) => {
        const message = Buffer.from(`wide ${i}`);
        return wide.verify({ publicKey: key.publicKey, message, signature: signBytes(message, i % 3 === 0 ? other : key) });
      });
      expect(await Promise.all(jobs)).toEqual(Array.from({ length: 101 }, (_, i) => i % 3 !== 0));
    } finally {
      await wide.close();
    }
  });
});
