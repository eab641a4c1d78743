import { describe, expect, it } from 'vitest';
import { ArrivalCounter } from './ingest.ts';

describe('ArrivalCounter', () => {
  it('resolves each wait once the count reaches it, and at once for a count already reached', async () => {
    const c = new ArrivalCounter();
    const seen: string[] = [];
    void c.until(2).then(() => seen.push('2'));
    void c.until(1).then(() => seen.push('1'));
    void c.until(3).then(() => seen.push('3'));
    const tick = () => new Promise((r) => setImmediate(r));
    await tick();
    expect(seen).toEqual([]);
    c.count++;
    c.wake();
    await tick();
    expect(seen).toEqual(['1']);
    c.count += 2; // two arrivals before anyone looks: both remaining waits are due
    c.wake();
    await tick();
    expect(seen.sort()).toEqual(['1', '2', '3']);
    await expect(c.until(0)).resolves.toBeUndefined();
    await expect(c.until(3)).resolves.toBeUndefined();
  });
});
