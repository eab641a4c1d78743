/**
 * Benchmark helpers. Every figure is reported next to a baseline measured in the same run (machines
 * here are shared and noisy), as a ratio; targets are checked against the ratio or the absolute rate.
 */
export interface BenchRow {
  suite: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  /** Human-readable target, e.g. "≥ 100000 ops/s" or "ratio ≤ 1.2". */
  target?: string;
  pass?: boolean;
}

export type BenchSuite = () => Promise<BenchRow[]>;

/** Run `fn` repeatedly for at least `minMs` and return operations per second (after a warm-up). */
export function opsPerSecond(fn: (i: number) => unknown, minMs = 400): number {
  for (let i = 0; i < 200; i++) fn(i);
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let k = 0; k < 100; k++) fn(n++);
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

/** Median of several repetitions of a measurement, to damp noise. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Best-of-3 ops/s for `fn`. */
export function rate(fn: (i: number) => unknown, minMs = 300): number {
  return median([opsPerSecond(fn, minMs), opsPerSecond(fn, minMs), opsPerSecond(fn, minMs)]);
}

/** Build a row with a baseline and ratio. */
export function row(
  suite: string,
  name: string,
  value: number,
  unit: string,
  extra: { baseline?: { name: string; value: number }; target?: string; pass?: (r: { value: number; ratio?: number }) => boolean } = {},
): BenchRow {
  const ratio = extra.baseline ? value / extra.baseline.value : undefined;
  return {
    suite,
    name,
    value,
    unit,
    baseline: extra.baseline,
    ratio,
    target: extra.target,
    pass: extra.pass ? extra.pass({ value, ratio }) : undefined,
  };
}

/**
 * The rate of `perRep` operations × reps done by the CommonJS `source` in two worker threads at once (the
 * machine's two cores): `workerData` plus `reps` goes to each thread, which replies when done. A warm-up
 * (thread start, key import) first, then the median of three.
 */
export async function twoThreadRate(source: string, workerData: Record<string, unknown>, perRep: number, reps: number): Promise<number> {
  const { Worker } = await import('node:worker_threads');
  const once = async (r: number) => {
    const t0 = performance.now();
    await Promise.all(
      [0, 1].map(
        () =>
          new Promise<void>((resolve, reject) => {
            const w = new Worker(source, { eval: true, workerData: { ...workerData, reps: r } });
            w.once('message', () => void w.terminate().then(() => resolve()));
            w.once('error', reject);
          }),
      ),
    );
    return (2 * r * perRep) / ((performance.now() - t0) / 1000);
  };
  await once(1);
  return median([await once(reps), await once(reps), await once(reps)]);
}
