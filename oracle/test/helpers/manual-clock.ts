/** A Clock whose time only moves when the test says so; timers fire in time order. */
import type { Clock, TimerHandle } from '@hexium/shared/clock';

interface Timer {
  id: number;
  atMs: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(private nowMs: number) {}

  now(): number {
    return this.nowMs;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = { id: ++this.seq, atMs: this.nowMs + Math.max(0, ms), fn };
    this.timers.push(t);
    return t.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /**
   * Move time forward by `ms`, firing each due timer at its own time, in order (ties by creation), and
   * awaiting `settle` after each so work started by a timer finishes before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const end = this.nowMs + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.atMs - b.atMs || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.atMs > end) break;
      this.timers.shift();
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.fn();
      await settle();
    }
    this.nowMs = end;
    await settle();
  }
}
