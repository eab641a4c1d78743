import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { keyPairFromSeed, signBytes, verifyBytes } from '@hexium/shared/identity/index';
import { SignPool } from './sign-pool.ts';

const key = (n: number) => keyPairFromSeed(createHash('sha256').update(`sign-pool-${n}`).digest());

describe('SignPool', () => {
  const pool = new SignPool(2);
  afterAll(() => pool.close());

  it('signs a batch split across its workers, giving the signatures back in item order', async () => {
    const keys = [key(1), key(2), key(3)];
    // 100 items: two parts of 50, one per worker; messages of different lengths, keys interleaved
    const items = Array.from({ length: 100 }, (_, i) => ({ k: keys[i % 3], bytes: Buffer.from(`{"n":${i},"pad":"${'x'.repeat(i)}"}`) }));
    const sigs = await pool.sign(items.map((it) => ({ seed: it.k.seed, bytes: it.bytes })));
    expect(sigs).toHaveLength(100);
    items.forEach((it, i) => {
      expect(verifyBytes(it.bytes, sigs[i], it.k.address)).toBe(true);
      // ed25519 signatures are deterministic (RFC 8032 §5.1.6): the same as signing here
      expect(Buffer.from(sigs[i]).equals(Buffer.from(signBytes(it.bytes, it.k)))).toBe(true);
    });
    // and a signature is not valid for another item's message
    expect(verifyBytes(items[1].bytes, sigs[0], items[0].k.address)).toBe(false);
  });

  it('signs a small batch on one worker, and an empty one without any', async () => {
    const k = key(4);
    const sigs = await pool.sign([{ seed: k.seed, bytes: Buffer.from('{}') }]);
    expect(verifyBytes(Buffer.from('{}'), sigs[0], k.address)).toBe(true);
    expect(await pool.sign([])).toEqual([]);
  });
});
