/**
 * A loop driven by the injected Clock (never the wall clock): run `tick`, then wait `nextDelayMs()`.
 * Each tick is tracked as work in flight so `idle()` waits for it; a failing tick is logged and the
 * loop goes on.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '@hexium/shared/clock';
import type { WorkTracker } from './work-tracker.ts';

export interface LoopOptions {
  name: string;
  clock: Clock;
  tracker: WorkTracker;
  logger: Logger;
  /** Delay before the first tick and between ticks, ms (evaluated after each tick). */
  nextDelayMs: () => number;
  tick: () => Promise<void>;
  /** Run a tick right at start instead of waiting the first delay. */
  runAtStart?: boolean;
}

export interface Loop {
  /** Run one tick now (waits for a running one first). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startLoop(o: LoopOptions): Loop {
  let timer: TimerHandle | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const runOnce = (): Promise<void> => {
    const end = o.tracker.begin();
    running = running
      .then(() => (stopped ? undefined : o.tick()))
      .catch((err) => o.logger.error({ err, loop: o.name }, 'loop tick failed'))
      .finally(end);
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = o.clock.setTimer(Math.max(0, o.nextDelayMs()), () => {
      timer = null;
      void runOnce().then(schedule);
    });
  };

  if (o.runAtStart) void runOnce().then(schedule);
  else schedule();

  return {
    runNow: runOnce,
    async stop() {
      stopped = true;
      if (timer !== null) o.clock.clearTimer(timer);
      await running;
    },
  };
}
