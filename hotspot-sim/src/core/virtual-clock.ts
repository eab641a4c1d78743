/**
 * A virtual {@link Clock} (shared/src/clock.ts) backed by the simulator's event queue: `setTimer` puts
 * a callback event in the queue, `now()` is the time of the event being processed. The runner advances
 * it with {@link VirtualClock.advanceTo}; nothing here reads the wall clock.
 */
import type { Clock, TimerHandle, TimerOptions } from '@hexium/shared/clock';
import { EventQueue, type QueuedEvent } from './event-queue.ts';

export type ClockEvent<T> =
  | { kind: 'timer'; fn: () => void | Promise<void>; background: boolean; standalone: boolean }
  | { kind: 'sim'; event: T };

export class VirtualClock<T> implements Clock {
  readonly queue = new EventQueue<ClockEvent<T>>();
  /** Marks a virtual clock: the oracle must not wait (in idle()) for its timers to fire by themselves. */
  readonly virtual = true;
  private nowMs: number;

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimer(ms: number, fn: () => void | Promise<void>, opts?: TimerOptions): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    return this.queue.push(this.nowMs + delay, { kind: 'timer', fn, background: opts?.background === true, standalone: opts?.standalone === true });
  }

  clearTimer(handle: TimerHandle): void {
    if (handle && typeof handle === 'object' && 'cancelled' in handle) (handle as QueuedEvent<ClockEvent<T>>).cancelled = true;
  }

  /** Schedule a simulator event at an absolute time (the caller keeps it out of the past). */
  schedule(atMs: number, event: T): QueuedEvent<ClockEvent<T>> {
    return this.queue.push(atMs, { kind: 'sim', event });
  }

  /** Move time forward (never backwards), in whole ms: the oracle stores integer timestamps. */
  advanceTo(atMs: number): void {
    const t = Math.floor(atMs);
    if (t > this.nowMs) this.nowMs = t;
  }
}
