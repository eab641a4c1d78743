/**
 * Time is passed in (STYLE.md §4). Servers use the wall clock (oracle/src/system-clock.ts); the
 * simulator and harness use a virtual clock driven by a discrete-event queue.
 */
export type TimerHandle = unknown;

export interface TimerOptions {
  /**
   * The timer's work sends nothing to devices (the oracle's verifier and HIP-17 density loops: the
   * verifier publishes PoC results for observers only). A driver of virtual time may let such work run
   * while its clock moves on, so the work must not read the clock's `now()` (it gets its own time) and
   * must wait for whatever it reads. Wall clocks ignore it.
   */
  background?: boolean;
  /**
   * The timer's work reads nothing that devices send and nothing another timer's work writes in an
   * order that matters (the oracle's entropy minter: it stores and publishes a value derived from its
   * time alone). A driver of virtual time need not settle before it fires: it awaits the promise `fn`
   * returns (the work has ended and its messages are handed to the broker) and lets those messages
   * arrive before it moves on. Wall clocks ignore it.
   */
  standalone?: boolean;
}

export interface Clock {
  /** Current time, Unix ms. */
  now(): number;
  /**
   * Call `fn` after `ms` milliseconds of this clock's time. What `fn` returns is ignored, except by a
   * virtual clock's driver for a `standalone` timer (see {@link TimerOptions}).
   */
  setTimer(ms: number, fn: () => void | Promise<void>, opts?: TimerOptions): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** True for a clock driven by a simulator's event queue (it marks itself `virtual: true`). */
export function isVirtualClock(clock: Clock): boolean {
  return (clock as { virtual?: unknown }).virtual === true;
}
