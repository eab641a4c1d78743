import { describe, it, expect } from 'vitest';
import mqemitter from 'mqemitter';
import { createMessageEmitter, MAX_NESTED } from './message-emitter.ts';

/**
 * One slow delivery holds the only slot while N messages nobody subscribes to queue behind it; freeing the
 * slot drains the queue. Each queued message costs plain mqemitter about six nested frames (released → _do
 * → parallel → callback … → released), so 50,000 of them are far past V8's default stack (~10,800 frames
 * of this size on Node 20).
 */
async function drain(mq: mqemitter.MQEmitter, n: number): Promise<number[]> {
  let release!: () => void;
  mq.on('slow', (_m, done) => {
    release = done;
  });
  const order: number[] = [];
  const all = new Promise<void>((resolve, reject) => {
    mq.emit({ topic: 'slow' });
    for (let i = 0; i < n; i++)
      mq.emit({ topic: 'nobody', i }, (err) => {
        if (err) reject(err);
        order.push(i);
        if (order.length === n) resolve();
      });
  });
  await new Promise((r) => setImmediate(r)); // the listener is registered
  expect(order).toEqual([]); // all queued behind the slow delivery
  release();
  await all;
  return order;
}

describe('createMessageEmitter', () => {
  it('drains 50,000 queued messages behind a slow delivery without overflowing the stack, in emit order', async () => {
    const n = 50_000;
    const order = await drain(createMessageEmitter(1), n);
    expect(order).toHaveLength(n);
    expect(order.every((v, i) => v === i)).toBe(true);
  });

  it('plain mqemitter overflows the stack on the same queue (the failure the trampoline prevents)', async () => {
    await expect(drain(mqemitter({ concurrency: 1 }), 50_000)).rejects.toThrow(/call stack/);
  });

  it('starts at most MAX_NESTED queued messages in one call stack', async () => {
    const mq = createMessageEmitter(1);
    let release!: () => void;
    mq.on('slow', (_m, done) => {
      release = done;
    });
    mq.emit({ topic: 'slow' });
    let sync = 0;
    let inRelease = true;
    for (let i = 0; i < 1000; i++) mq.emit({ topic: 'nobody' }, () => void (inRelease && sync++));
    await new Promise((r) => setImmediate(r));
    release();
    inRelease = false;
    expect(sync).toBe(MAX_NESTED);
  });
});
