import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';
import { PROBE_MS, startEventLoopProbe } from './event-loop-probe.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cumulative count of the `le` bucket of `hexium_event_loop_delay_seconds`. */
async function bucket(m: ReturnType<typeof createMetrics>, le: number): Promise<number> {
  const h = (await m.eventLoopDelay.get()).values.find((v) => v.metricName === 'hexium_event_loop_delay_seconds_bucket' && v.labels.le === le);
  return h?.value ?? 0;
}

describe('startEventLoopProbe', () => {
  it('records a synchronous 200 ms stall as one probe at least 100 ms late', async () => {
    const m = createMetrics();
    const probe = startEventLoopProbe(m.eventLoopDelay);
    try {
      await sleep(3 * PROBE_MS);
      const slowBefore = (await m.eventLoopDelay.get()).values.find((v) => v.metricName === 'hexium_event_loop_delay_seconds_count')!.value - (await bucket(m, 0.1));
      // Hold the thread 200 ms: the probe armed before it fires at least 200 − PROBE_MS = 180 ms late
      // (later still on a loaded machine), so it lands above the 0.1 s bucket.
      const until = performance.now() + 200;
      while (performance.now() < until) {
        // busy
      }
      await sleep(2 * PROBE_MS);
      const count = (await m.eventLoopDelay.get()).values.find((v) => v.metricName === 'hexium_event_loop_delay_seconds_count')!.value;
      expect(count - (await bucket(m, 0.1))).toBeGreaterThan(slowBefore);
    } finally {
      probe.stop();
    }
  });

  it('stops observing once stopped', async () => {
    const m = createMetrics();
    const probe = startEventLoopProbe(m.eventLoopDelay);
    await sleep(3 * PROBE_MS);
    probe.stop();
    const count = () => m.eventLoopDelay.get().then((h) => h.values.find((v) => v.metricName === 'hexium_event_loop_delay_seconds_count')!.value);
    const at = await count();
    await sleep(5 * PROBE_MS);
    expect(await count()).toBe(at);
  });
});
