/**
 * Counts work in flight (ingest of each received message, each loop tick) so `idle()` can resolve when
 * nothing is running — the simulator's fast mode advances its virtual clock between `idle()` calls.
 */
export class WorkTracker {
  private pending = 0;
  private waiters: (() => void)[] = [];

  /** Mark one unit of work started; call the returned function (once) when it ends. */
  begin(): () => void {
    this.pending++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending--;
      if (this.pending === 0) {
        const ws = this.waiters;
        this.waiters = [];
        ws.forEach((w) => w());
      }
    };
  }

  /** Track a promise as one unit of work. */
  track<T>(p: Promise<T>): Promise<T> {
    const end = this.begin();
    return p.finally(end);
  }

  get inFlight(): number {
    return this.pending;
  }

  /** Resolve when no work is in flight, twice in a row across a macrotask (work may spawn work). */
  async idle(): Promise<void> {
    for (;;) {
      while (this.pending > 0) await new Promise<void>((r) => this.waiters.push(r));
      await new Promise((r) => setImmediate(r));
      if (this.pending === 0) return;
    }
  }
}
