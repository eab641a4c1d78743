/**
 * De-duplication window: copies of one uplink heard by several hotspots are collected for
 * `windowMs` from the first copy, then handled once (ChirpStack's de-duplication; Helium Packet
 * Router keys copies by the SHA-256 of the PHYPayload, `hpr_packet_up:phash`). Time comes from the
 * injected clock (virtual time in the simulator's fast mode).
 */
import type { Clock, TimerHandle } from '@hexium/shared/clock';

export interface Copy<T> {
  hotspot: string;
  receivedAtMs: number;
  item: T;
}

export type CopyOutcome = 'first' | 'copy' | 'same_hotspot' | 'late';

/** How long a closed packet's hash is remembered so late copies are recognised (not re-charged). */
export const LATE_MEMORY_MS = 60_000;

export class DedupWindow<T> {
  private readonly open = new Map<string, { copies: Copy<T>[]; timer: TimerHandle }>();
  private readonly closed = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly onClose: (key: string, copies: Copy<T>[]) => void,
  ) {}

  /** Add one copy; the first copy of `key` opens its window. */
  add(key: string, copy: Copy<T>): CopyOutcome {
    const w = this.open.get(key);
    if (w) {
      if (w.copies.some((c) => c.hotspot === copy.hotspot)) return 'same_hotspot';
      w.copies.push(copy);
      return 'copy';
    }
    this.forgetOld();
    if (this.closed.has(key)) return 'late';
    const timer = this.clock.setTimer(this.windowMs, () => this.close(key));
    this.open.set(key, { copies: [copy], timer });
    return 'first';
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Receive time of the oldest copy in an open window (null when none is open). */
  oldestOpenMs(): number | null {
    let min = Infinity;
    for (const w of this.open.values()) for (const c of w.copies) min = Math.min(min, c.receivedAtMs);
    return min === Infinity ? null : min;
  }

  /** Close every window now (shutdown). */
  flush(): void {
    for (const [key, w] of [...this.open]) {
      this.clock.clearTimer(w.timer);
      this.close(key);
    }
  }

  private close(key: string): void {
    const w = this.open.get(key);
    if (!w) return;
    this.open.delete(key);
    this.closed.set(key, this.clock.now());
    this.onClose(key, w.copies);
  }

  private forgetOld(): void {
    const cutoff = this.clock.now() - Math.max(LATE_MEMORY_MS, this.windowMs * 10);
    for (const [key, at] of this.closed) {
      if (at >= cutoff) break; // insertion order = close order
      this.closed.delete(key);
    }
  }
}
