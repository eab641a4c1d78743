import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { resolveParams } from '@hexium/shared/params/index';
import { topics } from '@hexium/shared/protocol/index';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { ManualClock } from '../../test/helpers/manual-clock.ts';
import { createMetrics } from '../metrics.ts';
import { OracleEvents } from './oracle-events.ts';
import { createRewarder } from './rewarder.ts';

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
