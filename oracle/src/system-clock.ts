/** The wall clock, the only place the oracle reads real time (every other module takes a Clock). */
import type { Clock } from '@hexium/shared/clock';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => setTimeout(fn, Math.max(0, ms)),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
