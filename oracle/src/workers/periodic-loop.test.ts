import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ManualClock } from '../../test/helpers/manual-clock.ts';
import type { TimerHandle, TimerOptions } from '@hexium/shared/clock';
import { startLoop } from './periodic-loop.ts';
import { WorkTracker } from './work-tracker.ts';
import { entropyBytes } from './entropy-service.ts';
import { createHash } from 'node:crypto';

const logger = pino({ level: 'silent' });

describe('startLoop on a manual clock', () => {
  it('ticks every interval of clock time, never on wall time, and idle() waits for a tick', async () => {
    const clock = new ManualClock(1_000);
    const tracker = new WorkTracker();
    const at: number[] = [];
    let release!: () => void;
    const loop = startLoop({
      name: 't', clock, tracker, logger, nextDelayMs: () => 500,
      tick: async () => {
        at.push(clock.now());
        if (at.length === 2) await new Promise<void>((r) => (release = r));
      },
    });
    await clock.advance(499, () => tracker.idle());
    expect(at).toEqual([]);
    await clock.advance(1, () => tracker.idle());
    expect(at).toEqual([1_500]);
    // second tick blocks: idle() must not resolve until it ends
    const adv = clock.advance(500);
    await adv;
    let idle = false;
    const p = tracker.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(idle).toBe(false);
    release();
    await p;
    expect(at).toEqual([1_500, 2_000]);
    await loop.stop();
    await clock.advance(5_000, () => tracker.idle());
    expect(at).toEqual([1_500, 2_000]);
  });
  it('keeps going after a failing tick', async () => {
    const clock = new ManualClock(0);
    const tracker = new WorkTracker();
    let n = 0;
    const loop = startLoop({ name: 'f', clock, tracker, logger, nextDelayMs: () => 100, tick: async () => { n++; throw new Error('boom'); } });
    await clock.advance(300, () => tracker.idle());
    expect(n).toBe(3);
    await loop.stop();
  });
});

/** A manual clock that marks itself virtual (like the simulator's) and records each timer's options. */
class VirtualTestClock extends ManualClock {
  readonly virtual = true;
  readonly background: boolean[] = [];
  readonly standalone: boolean[] = [];
  /** What each standalone timer's callback returned, in firing order (a driver awaits it). */
  readonly returned: unknown[] = [];
  override setTimer(ms: number, fn: () => void | Promise<void>, opts?: TimerOptions): TimerHandle {
    this.background.push(opts?.background === true);
    this.standalone.push(opts?.standalone === true);
    return super.setTimer(ms, () => {
      const r = fn();
      if (opts?.standalone) this.returned.push(r);
    });
  }
}

describe('startLoop on a virtual clock', () => {
  it('runs background ticks one at a time in firing order, each at its timer time, the next scheduled as one fires', async () => {
    const clock = new VirtualTestClock(0);
    const tracker = new WorkTracker();
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = startLoop({
      name: 'a', clock, tracker, logger, background: true, nextDelayMs: () => 100,
      tick: async (atMs) => {
        if (atMs === 100) await gate; // the first tick of `a` holds everything behind it
        ran.push(`a@${atMs}`);
      },
    });
    const b = startLoop({ name: 'b', clock, tracker, logger, background: true, nextDelayMs: () => 150, tick: async (atMs) => void ran.push(`b@${atMs}`) });
    // time moves on without waiting for the ticks (settle does nothing), as in fast mode
    await clock.advance(400);
    expect(ran).toEqual([]);
    release();
    await tracker.idle();
    // timers at 100 (a), 150 (b), 200 (a), 300 (b, created at 150; then a, created at 200), 400 (a)
    expect(ran).toEqual(['a@100', 'b@150', 'a@200', 'b@300', 'a@300', 'a@400']);
    expect(clock.background.every((x) => x)).toBe(true);
    await a.stop();
    await b.stop();
  });
});

describe('a standalone loop on a virtual clock', () => {
  it('ticks outside the chain of the other loops, and its timer hands back a promise of the tick with the next one scheduled', async () => {
    const clock = new VirtualTestClock(0);
    const tracker = new WorkTracker();
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // a background tick at 100 that holds every chained tick behind it
    const held = startLoop({
      name: 'held', clock, tracker, logger, background: true, nextDelayMs: () => 100,
      tick: async (atMs) => {
        if (atMs === 100) await gate;
        ran.push(`held@${atMs}`);
      },
    });
    const minter = startLoop({ name: 'minter', clock, tracker, logger, standalone: true, nextDelayMs: () => 250, tick: async (atMs) => void ran.push(`minter@${atMs}`) });
    await clock.advance(250);
    // the minter's timer at 250 fired while held@100 waits: its tick is not behind it
    expect(clock.returned).toHaveLength(1);
    await clock.returned[0];
    expect(ran).toEqual(['minter@250']);
    // once the promise resolved, the next minter timer is already set (250 + 250 = 500)
    const before = clock.returned.length;
    await clock.advance(250);
    expect(clock.returned.length).toBe(before + 1);
    await clock.returned[1];
    expect(ran.filter((r) => r.startsWith('minter'))).toEqual(['minter@250', 'minter@500']);
    expect(ran.some((r) => r.startsWith('held'))).toBe(false);
    release();
    await tracker.idle();
    // the held loop's ticks ran in their own order, at their own times (100 … 500)
    expect(ran.filter((r) => r.startsWith('held'))).toEqual(['held@100', 'held@200', 'held@300', 'held@400', 'held@500']);
    // the minter's timers say standalone and not background; the held loop's the other way round
    expect(clock.standalone.filter((x) => x).length).toBe(clock.returned.length + 1);
    await held.stop();
    await minter.stop();
  });
});

describe('entropyBytes', () => {
  it('is SHA-256(utf8(seed) ‖ u64_be(timestampMs)) with a seed, 32 random bytes without', () => {
    // 1764000000000 = 0x0000019AB697E800 big-endian (hex of the integer)
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from('seed'), Buffer.from('0000019ab697e800', 'hex')])).digest();
    expect(entropyBytes('seed', 1_764_000_000_000)).toEqual(expected);
    expect(entropyBytes(null, 1).length).toBe(32);
    expect(entropyBytes(null, 1).equals(entropyBytes(null, 1))).toBe(false);
  });
});
