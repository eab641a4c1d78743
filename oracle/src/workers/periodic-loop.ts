/**
 * A loop driven by the injected Clock (never the wall clock): run `tick`, then wait `nextDelayMs(now)`.
 * Each tick is tracked as work in flight so `idle()` waits for it; a failing tick is logged and the
 * loop goes on.
 *
 * On a virtual clock (the simulator's fast mode) a background loop's tick may still be running when the
 * clock has moved on (shared/src/clock.ts `TimerOptions`). So there: every loop on that clock runs its
 * ticks one at a time in the order their timers fired, each tick gets the time its timer fired at
 * (`tick(atMs)`), and the next tick is due `nextDelayMs(atMs)` after that time, not after the tick ends.
 * Loops that are not background run only when the simulator has settled, so for them that is the same.
 * A standalone loop (the entropy minter; `TimerOptions.standalone`) is the exception: its ticks run
 * outside that chain, since they touch nothing the others read or write in an order that matters, and
 * the simulator awaits each one without settling first.
 */
import type { Logger } from 'pino';
import { isVirtualClock, type Clock, type TimerHandle } from '@hexium/shared/clock';
import type { WorkTracker } from './work-tracker.ts';

export interface LoopOptions {
  name: string;
  clock: Clock;
  tracker: WorkTracker;
  logger: Logger;
  /** Delay before the first tick and between ticks, ms (evaluated after each tick, given the clock's time then). */
  nextDelayMs: (nowMs: number) => number;
  /**
   * `atMs`: the tick's time. On a virtual clock, when its timer fired (or `runNow` was called); on
   * others, the clock's time as the tick starts.
   */
  tick: (atMs: number) => Promise<void>;
  /** Run a tick right at start instead of waiting the first delay. */
  runAtStart?: boolean;
  /**
   * The ticks send nothing to devices (see `TimerOptions.background`). On a virtual clock the next tick
   * is then scheduled when this one starts, so `nextDelayMs` must not depend on what the tick does.
   */
  background?: boolean;
  /**
   * The ticks read nothing devices send and nothing other loops write in an order that matters (see
   * `TimerOptions.standalone`). On a virtual clock they run outside the chain of the other loops' ticks,
   * and the timer hands its driver a promise of the tick's end (with the next tick scheduled).
   */
  standalone?: boolean;
}

/** Ticks of all loops on one virtual clock, one at a time. */
const virtualChains = new WeakMap<Clock, Promise<void>>();

export interface Loop {
  /** Run one tick now (waits for a running one first). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startLoop(o: LoopOptions): Loop {
  let timer: TimerHandle | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const virtual = isVirtualClock(o.clock);

  /** Resolves with the tick's time: on a virtual clock when it was asked for, else when it started. */
  const runOnce = (): Promise<number> => {
    const end = o.tracker.begin();
    let atMs = o.clock.now();
    const chained = virtual && o.standalone !== true;
    const after = chained ? (virtualChains.get(o.clock) ?? Promise.resolve()) : running;
    running = after
      .then(() => {
        if (!virtual) atMs = o.clock.now();
        return stopped ? undefined : o.tick(atMs);
      })
      .catch((err) => o.logger.error({ err, loop: o.name }, 'loop tick failed'))
      .finally(end);
    if (chained) virtualChains.set(o.clock, running);
    return running.then(() => atMs);
  };

  const schedule = (lastAtMs: number) => {
    if (stopped) return;
    const base = virtual ? lastAtMs : o.clock.now();
    const delay = Math.max(0, o.nextDelayMs(base));
    const ms = virtual ? Math.max(0, base + delay - o.clock.now()) : delay;
    timer = o.clock.setTimer(ms, () => {
      timer = null;
      // A background tick on a virtual clock may end after the clock has passed its successor's time:
      // the successor is scheduled as this one fires (so `nextDelayMs` must not depend on the tick).
      if (virtual && o.background) {
        const atMs = o.clock.now();
        void runOnce();
        schedule(atMs);
        return undefined;
      }
      return runOnce().then(schedule);
    }, { background: o.background === true, standalone: o.standalone === true });
  };

  if (o.runAtStart) void runOnce().then(schedule);
  else schedule(o.clock.now());

  return {
    runNow: async () => void (await runOnce()),
    async stop() {
      stopped = true;
      if (timer !== null) o.clock.clearTimer(timer);
      await running;
    },
  };
}
