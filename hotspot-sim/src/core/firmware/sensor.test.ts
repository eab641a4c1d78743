import { describe, it, expect } from 'vitest';
import { createRng } from '@hexium/shared/random/rng';
import { REGIONAL_PLANS, type RegionalPlan } from '@hexium/shared/region/index';
import { SensorFirmware, type SensorSink, type SensorTx } from './sensor.ts';

/** An ABP sensor on `plan` at data rate `dr`, run for `n` uplinks; returns what it put on the air. */
function run(plan: RegionalPlan, dr: number, n: number): SensorTx[] {
  const sent: SensorTx[] = [];
  const timers: { at: number; fn: (t: number) => void }[] = [];
  const sink: SensorSink = {
    transmit: (_s, tx) => void sent.push(tx),
    schedule: (_s, at, fn) => void timers.push({ at, fn }),
    listen: () => undefined,
    airtimeMs: () => 50,
  };
  const s = new SensorFirmware(
    {
      index: 0, nodeId: 1, lat: 40.7, lng: -74, elevationM: 1.5, otaa: false, devEui: '0000000000000001', joinEui: '0000000000000000',
      appKey: '00'.repeat(16), devAddr: '48800000', nwkSKey: '11'.repeat(16), appSKey: '22'.repeat(16), dr,
      plan, eirpDbm: plan.maxEirpDbm, intervalS: 600, jitter: 0.2, confirmedShare: 0,
    },
    createRng(7),
    sink,
  );
  s.start(0);
  while (sent.length < n) {
    timers.sort((a, b) => a.at - b.at);
    const t = timers.shift()!;
    t.fn(t.at);
  }
  return sent;
}

describe('sensor channel and data rate agree with the regional plan (RP002-1.0.x)', () => {
  // US915 FSB2 (RP002 §2.5.2): channels 8–15 are 125 kHz at 902.3 + 0.2·n MHz = 903.9 … 905.3 MHz;
  // channel 65 is 500 kHz at 903.0 + 1.6·1 = 904.6 MHz and carries only DR4 (SF8/500 kHz).
  const fsb2 = [903_900_000, 904_100_000, 904_300_000, 904_500_000, 904_700_000, 904_900_000, 905_100_000, 905_300_000];

  it('US915 DR0 (SF10/125 kHz) goes out on the eight 125 kHz channels only, never on the 500 kHz channel 65', () => {
    const sent = run(REGIONAL_PLANS.US915, 0, 400);
    const used = new Set(sent.map((t) => t.freqHz));
    for (const f of used) expect(fsb2).toContain(f);
    // 400 uniform draws over 8 channels: P(a channel unused) = 8·(7/8)^400 ≈ 5·10⁻²³
    expect(used.size).toBe(8);
    for (const t of sent) expect([t.sf, t.bandwidthHz]).toEqual([10, 125_000]);
  });

  it('US915 DR4 (SF8/500 kHz) goes out on channel 65 (904.6 MHz) only', () => {
    const sent = run(REGIONAL_PLANS.US915, 4, 50);
    for (const t of sent) expect([t.freqHz, t.sf, t.bandwidthHz]).toEqual([904_600_000, 8, 500_000]);
  });

  it('AU915 DR6 (SF8/500 kHz) only on channel 65 (915.9 + 1.6 = 917.5 MHz); DR2 only on 916.8–918.2 MHz', () => {
    for (const t of run(REGIONAL_PLANS.AU915, 6, 30)) expect([t.freqHz, t.bandwidthHz]).toEqual([917_500_000, 500_000]);
    for (const t of run(REGIONAL_PLANS.AU915, 2, 100)) {
      expect(t.bandwidthHz).toBe(125_000);
      expect(t.freqHz).toBeGreaterThanOrEqual(916_800_000);
      expect(t.freqHz).toBeLessThanOrEqual(918_200_000);
    }
  });

  it('refuses a data rate no channel of the plan carries (EU868 DR6, 250 kHz)', () => {
    expect(() => run(REGIONAL_PLANS.EU868, 6, 1)).toThrow(/EU868: no channel of the plan's set carries DR6/);
  });
});
