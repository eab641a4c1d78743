/**
 * Time is passed in (STYLE.md §4). Servers use the wall clock (oracle/src/system-clock.ts); the
 * simulator and harness use a virtual clock driven by a discrete-event queue.
 */
export type TimerHandle = unknown;

export interface Clock {
  /** Current time, Unix ms. */
  now(): number;
  /** Call `fn` after `ms` milliseconds of this clock's time. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}
