import { describe, it, expect } from 'vitest';
import { nextBeaconTimeS, segmentStartS } from './beacon-schedule.ts';

// Cases of gateway-rs `test_beacon_time` (src/beaconer.rs), interval 6 h, now 2023-09-01 09:20 UTC.
const H6 = 6 * 3600;
const now = Date.UTC(2023, 8, 1, 9, 20) / 1000;
const seg = segmentStartS(now, H6);
const rnd = (n: number) => Math.floor(n / 2);

describe('mk_next_beacon_time', () => {
  it('aligns segments to the Unix epoch (06:00 UTC for 09:20)', () => {
    expect(seg).toBe(Date.UTC(2023, 8, 1, 6, 0) / 1000);
  });
  it('keeps a future beacon time', () => {
    expect(nextBeaconTimeS(now, now + 600, H6, rnd)).toBe(now + 600);
  });
  it('moves to the next segment after beaconing in this one', () => {
    const t = nextBeaconTimeS(now, seg + 600, H6, rnd);
    expect(segmentStartS(t, H6)).toBe(seg + H6);
  });
  it('picks the rest of this segment after a beacon in a previous one', () => {
    const t = nextBeaconTimeS(now, seg - 600, H6, rnd);
    expect(t).toBeGreaterThan(now);
    expect(t).toBeLessThan(seg + H6);
  });
});
