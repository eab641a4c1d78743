/**
 * Signature checks off the main thread (issue 6 "Ingest"): a pool of `worker_threads` running
 * signature-worker.mjs. Requests made in the same turn of the event loop are packed into one batch per
 * worker (round robin) to amortise the message-passing cost. The canonical bytes are computed here, so
 * the worker needs nothing but node:crypto.
 */
import { Worker } from 'node:worker_threads';

/** Fewest signatures worth a message of their own to a second worker (one verify ≈ 0.1 ms here, a hand-off ≈ 0.05 ms). */
const MIN_PART = 16;

export interface SignatureJob {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

interface Pending {
  jobs: SignatureJob[];
  resolves: ((ok: boolean) => void)[];
}

export class SignaturePool {
  private readonly workers: Worker[];
  private next = 0;
  private seq = 0;
  private queue: Pending = { jobs: [], resolves: [] };
  private scheduled = false;
  private readonly inflight = new Map<number, ((ok: boolean) => void)[]>();

  constructor(size = 2, private readonly maxBatch = 512) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./signature-worker.mjs', import.meta.url));
      w.on('message', ({ id, ok }: { id: number; ok: Uint8Array }) => {
        const rs = this.inflight.get(id);
        this.inflight.delete(id);
        rs?.forEach((r, i) => r(ok[i] === 1));
      });
      w.unref();
      return w;
    });
  }

  /** True when `signature` is a valid ed25519 signature of `message` by `publicKey`. */
  verify(job: SignatureJob): Promise<boolean> {
    if (job.publicKey.length !== 32 || job.signature.length !== 64) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.queue.jobs.push(job);
      this.queue.resolves.push(resolve);
      if (this.queue.jobs.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const { jobs, resolves } = this.queue;
    if (jobs.length === 0) return;
    this.queue = { jobs: [], resolves: [] };
    // A turn's batch is shared out among the workers so they verify it side by side (a report waits for
    // its batch, not for one worker to get through all of it); a small batch goes to one worker whole.
    const parts = Math.min(this.workers.length, Math.ceil(jobs.length / MIN_PART));
    const per = Math.ceil(jobs.length / parts);
    for (let from = 0; from < jobs.length; from += per) this.post(jobs.slice(from, from + per), resolves.slice(from, from + per));
  }

  private post(jobs: SignatureJob[], resolves: ((ok: boolean) => void)[]): void {
    let size = 0;
    for (const j of jobs) size += 100 + j.message.length;
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    for (const j of jobs) {
      buf.set(j.publicKey, off);
      buf.set(j.signature, off + 32);
      buf.writeUInt32LE(j.message.length, off + 96);
      buf.set(j.message, off + 100);
      off += 100 + j.message.length;
    }
    const id = ++this.seq;
    this.inflight.set(id, resolves);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    this.workers[this.next++ % this.workers.length].postMessage({ id, buf: ab, count: jobs.length }, [ab as ArrayBuffer]);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const rs of this.inflight.values()) rs.forEach((r) => r(false));
    this.inflight.clear();
  }
}
