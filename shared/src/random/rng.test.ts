import { describe, expect, it } from 'vitest';
import { createRng, hashString } from './rng.ts';

describe('hashString (32-bit FNV-1a)', () => {
  it('matches the FNV-1a reference values', () => {
    // Fowler/Noll/Vo test vectors (FNV-1a 32-bit): "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });
});

describe('createRng', () => {
  it('is deterministic: same seed, same sequence; different seeds differ', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
    expect(Array.from({ length: 5 }, () => createRng('scenario-1').next())).toEqual(Array.from({ length: 5 }, () => createRng('scenario-1').next()));
  });

  it('next() stays in [0, 1) and int() in [min, max] with every value reached', () => {
    const r = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      const k = r.int(-2, 3);
      expect(k >= -2 && k <= 3 && Number.isInteger(k)).toBe(true);
      seen.add(k);
    }
    expect([...seen].sort((p, q) => p - q)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('normal() has the requested mean and standard deviation (20,000 draws, ±3 standard errors)', () => {
    const r = createRng(11);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => r.normal(5, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - 5)).toBeLessThan(3 * (2 / Math.sqrt(n))); // SE of the mean = σ/√n ≈ 0.0141
    expect(Math.abs(sd - 2)).toBeLessThan(3 * (2 / Math.sqrt(2 * n))); // SE of s ≈ σ/√(2n) = 0.01
  });

  it('bytes(n) gives n bytes, with lengths not a multiple of 4 too', () => {
    const r = createRng(3);
    for (const n of [0, 1, 3, 4, 5, 51]) expect(r.bytes(n).length).toBe(n);
  });

  it('fork(label) is reproducible and independent of the parent’s later draws', () => {
    const f1 = createRng(9).fork('link:a-b');
    const f2 = createRng(9).fork('link:a-b');
    expect([f1.next(), f1.next()]).toEqual([f2.next(), f2.next()]);
    const f3 = createRng(9).fork('link:a-c');
    expect(createRng(9).fork('link:a-b').next()).not.toBe(f3.next());
  });
});
