import { describe, expect, it } from 'vitest';
import { DutyCycleTracker, offTimeMs, subBandOf } from './duty-cycle.ts';

const MHz = 1e6;

describe('EU868 duty-cycle sub-bands (LoRaMac-node VerifyRfFreq, radio.md §2.5)', () => {
  it('finds the sub-band and its duty cycle', () => {
    expect(subBandOf(868.1 * MHz)).toMatchObject({ band: 1, dutyCycleDivisor: 100 }); // default channels, 1 %
    expect(subBandOf(867.1 * MHz)).toMatchObject({ band: 0, dutyCycleDivisor: 100 });
    expect(subBandOf(869.525 * MHz)).toMatchObject({ band: 3, dutyCycleDivisor: 10 }); // RX2, 10 %
    expect(subBandOf(868.8 * MHz)).toMatchObject({ band: 5, dutyCycleDivisor: 1000 }); // 0.1 %
    expect(subBandOf(864 * MHz)).toMatchObject({ band: 2, dutyCycleDivisor: 1000 });
    expect(subBandOf(869.85 * MHz)).toMatchObject({ band: 4, dutyCycleDivisor: 100 });
  });

  it('follows the edges of VerifyRfFreq', () => {
    expect(subBandOf(865.0 * MHz)?.band).toBe(0); // band 2 is < 865 MHz
    expect(subBandOf(868.0 * MHz)?.band).toBe(0); // band 1 is > 868 MHz
    expect(subBandOf(868.6 * MHz)?.band).toBe(1);
    expect(subBandOf(868.65 * MHz)).toBeUndefined(); // gap 868.6–868.7
    expect(subBandOf(869.3 * MHz)).toBeUndefined(); // gap 869.2–869.4
    expect(subBandOf(862 * MHz)).toBeUndefined();
  });

  it('off-time T·(1/d − 1): EU868 DR0 64 B (2793.472 ms) at 1 % → 276.6 s', () => {
    // 2793.472 · 99 = 276 553.728 ms
    expect(offTimeMs(2793.472, 100)).toBeCloseTo(276_553.728, 6);
  });
});

describe('DutyCycleTracker', () => {
  it('blocks a 1 % sub-band for 9.9 s after a 100 ms transmission', () => {
    // start 0, airtime 100 ms, off-time 100·99 = 9900 ms → free again at 100 + 9900 = 10 000 ms
    const t = new DutyCycleTracker();
    expect(t.canTransmit(868.1 * MHz, 0)).toBe(true);
    t.record(868.1 * MHz, 100, 0);
    expect(t.nextFreeMs(868.1 * MHz)).toBe(10_000);
    expect(t.canTransmit(868.3 * MHz, 9_999)).toBe(false); // same sub-band (band 1)
    expect(t.canTransmit(868.3 * MHz, 10_000)).toBe(true);
    expect(t.canTransmit(867.1 * MHz, 1)).toBe(true); // band 0 is separate
  });

  it('uses each sub-band’s own duty cycle', () => {
    const t = new DutyCycleTracker();
    t.record(869.525 * MHz, 100, 1000); // 10 %: off 100·9 = 900 → free at 1000 + 100 + 900 = 2000
    t.record(868.8 * MHz, 10, 0); // 0.1 %: off 10·999 = 9990 → free at 10 000
    expect(t.nextFreeMs(869.525 * MHz)).toBe(2000);
    expect(t.nextFreeMs(868.8 * MHz)).toBe(10_000);
  });

  it('keeps the later of two blocks and rejects frequencies outside the plan', () => {
    const t = new DutyCycleTracker();
    t.record(868.1 * MHz, 100, 0); // free at 10 000
    t.record(868.5 * MHz, 10, 1); // free at 1 + 10 + 990 = 1001 — earlier, ignored
    expect(t.nextFreeMs(868.1 * MHz)).toBe(10_000);
    expect(t.nextFreeMs(868.1 * MHz)).toBe(t.nextFreeMs(868.5 * MHz));
    expect(() => t.record(868.65 * MHz, 10, 0)).toThrow(RangeError);
    expect(() => t.canTransmit(915 * MHz, 0)).toThrow(RangeError);
  });
});
