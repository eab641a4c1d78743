/**
 * Reports packed into bytes (docs/architecture.md "Sustained load: memory and garbage collection"). A
 * live oracle holds minutes of reports in memory: the log's segments not yet retired and the verifier's
 * pending witnesses, a million or more at 8,000 reports/s. Held as objects (a record and its four
 * strings, each), every major garbage collection had to mark all of them, which held the oracle thread
 * for 300–600 ms. Here a report's strings sit in shared byte chunks and its receive time and kind in
 * typed arrays, so the collector sees a few dozen objects however many reports are held. A report
 * becomes an object again only when it is read (`get`).
 *
 * Records are numbered by slot, in the order pushed. The typed arrays come in blocks of 65,536 slots, so
 * the store never copies a million entries to grow, nor allocates tens of megabytes at once (that held
 * the thread for a garbage collection of its own). A holder that consumes records from the front (a
 * queue) can drop the slots before a point (`dropBefore`); whole blocks and chunks behind it are freed. Each slot also carries a
 * number given at push (`key`) and a second one (`tag`), a flag (`mark`) and a link to another slot (`next`), for a holder that
 * keeps records settled or chained by key without objects of its own.
 */
import type { LoggedReport } from './report-log.ts';

/** Bytes per chunk (a report is ~0.7 KB; a larger one gets a chunk of its own size). */
const CHUNK_BYTES = 1 << 20;
/** Slots per block of typed arrays (2.5 MB a block); the first block starts small and doubles up to it. */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const FIRST_BLOCK = 256;
const NO_SLOT = -1;

/** The per-slot columns of {@link BLOCK} (or, for the first block, fewer) slots. */
class Block {
  readonly times: Float64Array;
  readonly kinds: Uint8Array;
  readonly flags: Uint8Array;
  readonly links: Float64Array;
  readonly keys: Uint32Array;
  readonly tags: Uint32Array;
  readonly chunkNo: Float64Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;

  constructor(
    readonly size: number,
    from?: Block,
  ) {
    this.times = new Float64Array(size);
    this.kinds = new Uint8Array(size);
    this.flags = new Uint8Array(size);
    this.links = new Float64Array(size);
    this.keys = new Uint32Array(size);
    this.tags = new Uint32Array(size);
    this.chunkNo = new Float64Array(size);
    this.offsets = new Uint32Array(size);
    this.lengths = new Uint32Array(size);
    if (from) {
      this.times.set(from.times);
      this.kinds.set(from.kinds);
      this.flags.set(from.flags);
      this.links.set(from.links);
      this.keys.set(from.keys);
      this.tags.set(from.tags);
      this.chunkNo.set(from.chunkNo);
      this.offsets.set(from.offsets);
      this.lengths.set(from.lengths);
    }
  }
}

export class PackedReports {
  /** Slot number of the first slot of `blocks[0]`. */
  private base = 0;
  /** Slots before this one were dropped. */
  private dropped = 0;
  /** Slots in use from `base` on. */
  private n = 0;
  private blocks: Block[] = [new Block(FIRST_BLOCK)];
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

  /**
   * Pack a report, with a number the caller files it under (`key`) and one more it may compare slots
   * by (`tag`); returns its slot.
   */
  push(r: LoggedReport, key = 0, tag = 0): number {
    const i = this.n;
    const b = this.blockFor(i);
    const j = i & (BLOCK - 1);
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
    b.times[j] = r.receivedAtMs;
    b.kinds[j] = r.kind === 'beacon' ? 0 : 1;
    b.flags[j] = 0;
    b.links[j] = NO_SLOT;
    b.keys[j] = key;
    b.tags[j] = tag;
    b.chunkNo[j] = this.firstChunk + this.chunks.length - 1;
    b.offsets[j] = this.used;
    b.lengths[j] = len;
    this.used += len;
    this.n++;
    return this.base + i;
  }

  receivedAtMs(slot: number): number {
    const i = slot - this.base;
    return this.blocks[i >>> BLOCK_BITS].times[i & (BLOCK - 1)];
  }

  /** The number the slot was pushed with. */
  key(slot: number): number {
    const i = slot - this.base;
    return this.blocks[i >>> BLOCK_BITS].keys[i & (BLOCK - 1)];
  }

  /** The second number the slot was pushed with. */
  tag(slot: number): number {
    const i = slot - this.base;
    return this.blocks[i >>> BLOCK_BITS].tags[i & (BLOCK - 1)];
  }

  /**
   * Whether the packed body of `slot` starts with these bytes, read in place. The body starts with
   * `hotspot \t dataHex \t`, so that prefix finds one hotspot's report of one payload without unpacking.
   */
  hasPrefix(slot: number, prefix: Uint8Array): boolean {
    const i = slot - this.base;
    const b = this.blocks[i >>> BLOCK_BITS];
    const j = i & (BLOCK - 1);
    if (b.lengths[j] < prefix.length) return false;
    const at = b.offsets[j];
    return this.chunks[b.chunkNo[j] - this.firstChunk].compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
  }

  /** The report in `slot`, as an object again. */
  get(slot: number): LoggedReport {
    const i = slot - this.base;
    const b = this.blocks[i >>> BLOCK_BITS];
    const j = i & (BLOCK - 1);
    const at = b.offsets[j];
    const s = this.chunks[b.chunkNo[j] - this.firstChunk].toString('utf8', at, at + b.lengths[j]);
    const t1 = s.indexOf('\t');
    const t2 = s.indexOf('\t', t1 + 1);
    const t3 = s.indexOf('\t', t2 + 1);
    return {
      kind: b.kinds[j] === 0 ? 'beacon' : 'witness',
      receivedAtMs: b.times[j],
      hotspot: s.slice(0, t1),
      dataHex: s.slice(t1 + 1, t2),
      challengeId: t3 > t2 + 1 ? s.slice(t2 + 1, t3) : null,
      raw: s.slice(t3 + 1),
    };
  }

  /** Set the slot's flag. */
  mark(slot: number): void {
    const i = slot - this.base;
    this.blocks[i >>> BLOCK_BITS].flags[i & (BLOCK - 1)] = 1;
  }

  /** Whether the slot's flag is set (a dropped slot counts as marked). */
  marked(slot: number): boolean {
    if (slot < this.dropped) return true;
    const i = slot - this.base;
    return this.blocks[i >>> BLOCK_BITS].flags[i & (BLOCK - 1)] === 1;
  }

  /** The slot linked from this one ({@link NO_SLOT} = -1 when none). */
  next(slot: number): number {
    const i = slot - this.base;
    return this.blocks[i >>> BLOCK_BITS].links[i & (BLOCK - 1)];
  }

  setNext(slot: number, to: number): void {
    const i = slot - this.base;
    this.blocks[i >>> BLOCK_BITS].links[i & (BLOCK - 1)] = to;
  }

  /** Forget every slot before `slot` (the caller no longer reads them); frees the blocks and chunks behind it. */
  dropBefore(slot: number): void {
    if (slot <= this.dropped) return;
    this.dropped = Math.min(slot, this.end);
    if (this.dropped === this.end) {
      // nothing held: start over in a fresh chunk and block
      this.chunks = [];
      this.firstChunk = 0;
      this.used = CHUNK_BYTES;
      this.blocks = [new Block(FIRST_BLOCK)];
      this.base = this.dropped;
      this.n = 0;
      return;
    }
    const whole = (this.dropped - this.base) >>> BLOCK_BITS;
    if (whole > 0) {
      this.blocks.splice(0, whole);
      this.base += whole * BLOCK;
      this.n -= whole * BLOCK;
    }
    const i = this.dropped - this.base;
    const keepChunk = this.blocks[i >>> BLOCK_BITS].chunkNo[i & (BLOCK - 1)];
    if (keepChunk > this.firstChunk) {
      this.chunks.splice(0, keepChunk - this.firstChunk);
      this.firstChunk = keepChunk;
    }
  }

  /** The block that index `i` (from `base`) falls in, grown or added when `i` is the next one. */
  private blockFor(i: number): Block {
    const k = i >>> BLOCK_BITS;
    let b = this.blocks[k];
    if (b === undefined) this.blocks.push((b = new Block(BLOCK)));
    else if ((i & (BLOCK - 1)) >= b.size) this.blocks[k] = b = new Block(Math.min(BLOCK, b.size * 2), b);
    return b;
  }
}
