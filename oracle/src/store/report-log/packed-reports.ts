/**
 * Reports packed into bytes (docs/architecture.md "Sustained load: memory and garbage collection"). A
 * live oracle holds minutes of reports in memory: the log's segments not yet retired and the verifier's
 * pending witnesses, a million or more at 8,000 reports/s. Held as objects (a record and its four
 * strings, each), every major garbage collection had to mark all of them, which held the oracle thread
 * for 300–600 ms. Here a report's strings sit in shared byte chunks and its receive time and kind in
 * typed arrays, so the collector sees a few dozen objects however many reports are held. A report
 * becomes an object again only when it is read (`get`).
 *
 * Records are numbered by slot, in the order pushed. A holder that consumes them from the front (a queue)
 * can drop the slots before a point (`dropBefore`) and their chunks are freed. Each slot also carries a
 * number given at push (`key`), a flag (`mark`) and a link to another slot (`next`), for a holder that
 * keeps records settled or chained by key without objects of its own.
 */
import type { LoggedReport } from './report-log.ts';

/** Bytes per chunk (a report is ~0.7 KB; a larger one gets a chunk of its own size). */
const CHUNK_BYTES = 1 << 20;
/** Dropped slots are squeezed out of the index arrays once there are this many and they are half of them. */
const SQUEEZE_MIN = 4096;
const NO_SLOT = -1;

export class PackedReports {
  /** Slot number of index 0 of the arrays below. */
  private base = 0;
  /** Slots before this one were dropped (their index entries are squeezed out lazily). */
  private dropped = 0;
  /** Index entries in use (slots base … base + n − 1). */
  private n = 0;
  private times = new Float64Array(256);
  private kinds = new Uint8Array(256);
  private flags = new Uint8Array(256);
  private links = new Float64Array(256);
  private keys = new Uint32Array(256);
  private chunkNo = new Float64Array(256);
  private offsets = new Uint32Array(256);
  private lengths = new Uint32Array(256);
  /** Chunk `firstChunk + i` is `chunks[i]`. */
  private chunks: Buffer[] = [];
  private firstChunk = 0;
  private used = CHUNK_BYTES;

  /** The first slot still held. */
  get start(): number {
    return this.dropped;
  }

  /** The slot the next push gets (one past the last). */
  get end(): number {
    return this.base + this.n;
  }

  /** Pack a report, with a number the caller files it under (`key`); returns its slot. */
  push(r: LoggedReport, key = 0): number {
    if (this.n === this.times.length) this.grow();
    // hotspot, payload and challenge id never hold a tab (address, hex, id), so the raw JSON needs no escape
    const body = `${r.hotspot}\t${r.dataHex}\t${r.challengeId ?? ''}\t${r.raw}`;
    const len = Buffer.byteLength(body, 'utf8');
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.used + len > chunk.length) {
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, len));
      this.chunks.push(chunk);
      this.used = 0;
    }
    chunk.write(body, this.used, len, 'utf8');
    const i = this.n++;
    this.times[i] = r.receivedAtMs;
    this.kinds[i] = r.kind === 'beacon' ? 0 : 1;
    this.flags[i] = 0;
    this.links[i] = NO_SLOT;
    this.keys[i] = key;
    this.chunkNo[i] = this.firstChunk + this.chunks.length - 1;
    this.offsets[i] = this.used;
    this.lengths[i] = len;
    this.used += len;
    return this.base + i;
  }

  receivedAtMs(slot: number): number {
    return this.times[slot - this.base];
  }

  /** The number the slot was pushed with. */
  key(slot: number): number {
    return this.keys[slot - this.base];
  }

  /** The report in `slot`, as an object again. */
  get(slot: number): LoggedReport {
    const i = slot - this.base;
    const at = this.offsets[i];
    const s = this.chunks[this.chunkNo[i] - this.firstChunk].toString('utf8', at, at + this.lengths[i]);
    const t1 = s.indexOf('\t');
    const t2 = s.indexOf('\t', t1 + 1);
    const t3 = s.indexOf('\t', t2 + 1);
    return {
      kind: this.kinds[i] === 0 ? 'beacon' : 'witness',
      receivedAtMs: this.times[i],
      hotspot: s.slice(0, t1),
      dataHex: s.slice(t1 + 1, t2),
      challengeId: t3 > t2 + 1 ? s.slice(t2 + 1, t3) : null,
      raw: s.slice(t3 + 1),
    };
  }

  /** Set the slot's flag. */
  mark(slot: number): void {
    this.flags[slot - this.base] = 1;
  }

  /** Whether the slot's flag is set (a dropped slot counts as marked). */
  marked(slot: number): boolean {
    return slot < this.dropped || this.flags[slot - this.base] === 1;
  }

  /** The slot linked from this one ({@link NO_SLOT} = -1 when none). */
  next(slot: number): number {
    return this.links[slot - this.base];
  }

  setNext(slot: number, to: number): void {
    this.links[slot - this.base] = to;
  }

  /** Forget every slot before `slot` (the caller no longer reads them); frees the chunks they filled. */
  dropBefore(slot: number): void {
    if (slot <= this.dropped) return;
    this.dropped = Math.min(slot, this.end);
    if (this.dropped === this.end) {
      // nothing held: start over in a fresh chunk
      this.chunks = [];
      this.firstChunk = 0;
      this.used = CHUNK_BYTES;
      this.base = this.dropped;
      this.n = 0;
      return;
    }
    const keepChunk = this.chunkNo[this.dropped - this.base];
    if (keepChunk > this.firstChunk) {
      this.chunks.splice(0, keepChunk - this.firstChunk);
      this.firstChunk = keepChunk;
    }
    const k = this.dropped - this.base;
    if (k >= SQUEEZE_MIN && k * 2 >= this.n) {
      for (const a of this.arrays()) a.copyWithin(0, k, this.n);
      this.n -= k;
      this.base = this.dropped;
    }
  }

  private arrays() {
    return [this.times, this.kinds, this.flags, this.links, this.keys, this.chunkNo, this.offsets, this.lengths] as const;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const bigger = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.times = bigger(this.times, (k) => new Float64Array(k));
    this.kinds = bigger(this.kinds, (k) => new Uint8Array(k));
    this.flags = bigger(this.flags, (k) => new Uint8Array(k));
    this.links = bigger(this.links, (k) => new Float64Array(k));
    this.keys = bigger(this.keys, (k) => new Uint32Array(k));
    this.chunkNo = bigger(this.chunkNo, (k) => new Float64Array(k));
    this.offsets = bigger(this.offsets, (k) => new Uint32Array(k));
    this.lengths = bigger(this.lengths, (k) => new Uint32Array(k));
  }
}
