/**
 * Event-loop stalls of the oracle's main thread, as `hexium_event_loop_delay_seconds`: a timer set every
 * PROBE_MS observes how late it fired. Ingest stamps, checks and acknowledges reports on this thread, so a
 * stall of d seconds delays every report arriving during it by up to d (docs/architecture.md "What runs
 * where"). Wall-clock only (live `oracle serve`); the timer is unref'd and never keeps the process alive.
 */
import type { Histogram } from 'prom-client';

/** Probe period, ms: fine enough to see a 25 ms stall, 50 timers a second (negligible CPU). */
export const PROBE_MS = 20;

export function startEventLoopProbe(delay: Histogram): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const arm = () => {
    const due = performance.now() + PROBE_MS;
    timer = setTimeout(() => {
      delay.observe(Math.max(0, performance.now() - due) / 1000);
      if (!stopped) arm();
    }, PROBE_MS);
    timer.unref();
  };
  arm();
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
