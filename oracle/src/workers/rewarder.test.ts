import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { resolveParams } from '@hexium/shared/params/index';
import { topics } from '@hexium/shared/protocol/index';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { ManualClock } from '../../test/helpers/manual-clock.ts';
import { createMetrics } from '../metrics.ts';
import { OracleEvents } from '../events/oracle-events.ts';
import { createRewarder } from './rewarder.ts';
import { setPublishedEpoch } from '../store/epoch-store.ts';

function rewarderAt(nowMs: number) {
  return createRewarder({
    sql: null as never, clock: new ManualClock(nowMs), params: resolveParams('demo'), topics: topics('hexium'), bus: () => null as never,
    events: new OracleEvents(), metrics: createMetrics(), logger: pino({ level: 'silent' }), oracleKey: keyPairFromSeed(Buffer.alloc(32, 1)),
    dcShares: async () => new Map(),
  });
}

describe('rewarder schedule (demo: epochLengthS 300, rewardOffsetS 20)', () => {
  it('waits until the current epoch end + offset', () => {
    // now = epoch start + 100 s → due at start + 300 + 20 s → 220 000 ms away
    expect(rewarderAt(1_764_000_100_000).nextDelayMs()).toBe(220_000);
  });
  it('between an epoch end and its payment time, waits for that payment', () => {
    // now = start + 305 s (epoch just ended) → the previous epoch is due at start + 320 s → 15 000 ms
    expect(rewarderAt(1_764_000_305_000).nextDelayMs()).toBe(15_000);
  });
  it('right at a payment time, waits a whole epoch for the next one', () => {
    expect(rewarderAt(1_764_000_320_000).nextDelayMs()).toBe(300_000);
  });
});

describe('rewarder catch-up and republish (issue 14)', () => {
  it('yields to the event loop once per epoch of a catch-up, and republishes every manifest after the last published one', async () => {
    const { openPglite } = await import('../store/pglite-sql.ts');
    const { migrate } = await import('../store/migrate.ts');
    const sql = await openPglite('memory://');
    await migrate(sql);
    const T0 = 1_764_000_000_000; // start of demo epoch 1 764 000 000 / 300 = 5 880 000
    const clock = new ManualClock(T0);
    const published: number[] = [];
    const r = createRewarder({
      sql, clock, params: resolveParams('demo'), topics: topics('hexium'),
      bus: () => ({ publish: async (_t: string, p: string | Buffer) => void published.push(JSON.parse(String(p)).epoch) }) as never,
      events: new OracleEvents(), metrics: createMetrics(), logger: pino({ level: 'silent' }), oracleKey: keyPairFromSeed(Buffer.alloc(32, 1)),
      dcShares: async () => new Map(),
    });
    try {
      await r.firstEpoch();
      // 40 epochs later + the 20 s offset: epochs 5 880 000 … 5 880 039 are due
      await clock.advance(40 * 300_000 + 20_000);
      let turns = 0;
      let done = false;
      const paying = r.payDue().finally(() => (done = true));
      while (!done) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turns++;
      }
      const paid = await paying;
      expect(paid.map((m) => m.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => 5_880_000 + i));
      // one yield after each epoch: the loop above got at least one turn per epoch
      expect(turns).toBeGreaterThanOrEqual(40);
      // a publish cut off after epoch 5 880 010: epochs 11 … 39 go out again, in order
      await setPublishedEpoch(sql, 5880010);
      published.length = 0;
      expect(await r.republish()).toEqual(Array.from({ length: 29 }, (_, i) => 5_880_011 + i));
      expect(published).toEqual(Array.from({ length: 29 }, (_, i) => 5_880_011 + i));
      // all published: only the newest goes out again (the retained message)
      expect(await r.republish()).toEqual([5_880_039]);
      // a running oracle catches up too: the next payDue (nothing new due) publishes what was cut off
      await setPublishedEpoch(sql, 5880030);
      published.length = 0;
      expect(await r.payDue()).toEqual([]);
      expect(published).toEqual(Array.from({ length: 9 }, (_, i) => 5_880_031 + i));
    } finally {
      await sql.close();
    }
  });
});
