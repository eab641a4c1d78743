/**
 * Discrete-event queue: a binary min-heap ordered by (atMs, seq). `seq` is the insertion counter, so
 * events at the same time run in the order they were scheduled — deterministic as long as scheduling
 * is (DESIGN.md "Time and determinism"). Cancelled entries are skipped lazily.
 */
export interface QueuedEvent<T> {
  atMs: number;
  seq: number;
  payload: T;
  cancelled: boolean;
}

export class EventQueue<T> {
  private heap: QueuedEvent<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedule `payload` at `atMs`; the returned handle can be cancelled. */
  push(atMs: number, payload: T): QueuedEvent<T> {
    if (!Number.isFinite(atMs)) throw new RangeError(`event time must be finite, got ${atMs}`);
    const ev: QueuedEvent<T> = { atMs, seq: this.seq++, payload, cancelled: false };
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
    return ev;
  }

  cancel(ev: QueuedEvent<T>): void {
    ev.cancelled = true;
  }

  /** Time of the next live event, or undefined when empty. */
  peekTime(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.atMs;
  }

  /** The next live event without removing it. */
  peek(): QueuedEvent<T> | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Remove and return the next live event. */
  pop(): QueuedEvent<T> | undefined {
    this.dropCancelled();
    return this.take();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.take();
  }

  private take(): QueuedEvent<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function less<T>(a: QueuedEvent<T>, b: QueuedEvent<T>): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
