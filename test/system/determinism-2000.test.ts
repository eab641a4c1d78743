/**
 * Issue 12 "Determinism at any size": the same scenario and seed give a byte-identical event log and
 * identical manifests at 2,000 hotspots. `hotspot-sim run test/fixtures/determinism-2000.json --mode fast`
 * is run twice, as a user runs it, in two child processes side by side (one per core), and the two
 * event logs (SHA-256), the two summaries and the manifest hashes must be equal. The scenario file's
 * description says how it was generated and why it is cut to a 35 s run around a short epoch (about
 * 30 s CPU per run; 63 s wall for one run at load 14 on 2 cores).
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './serve-process.ts';

const SCENARIO = path.join(REPO_ROOT, 'test/fixtures/determinism-2000.json');
// The scenario's start and epoch length (test/fixtures/determinism-2000.json).
const START_MS = 1_767_225_580_000;
const EPOCH_MS = 60_000;
// The epoch holding the start: floor(1,767,225,580,000 / 60,000) = 29,453,759; it ends at
// 29,453,760 × 60,000 ms = 1,767,225,600,000, 20 s after the start.
const FIRST_EPOCH = 29_453_759;

interface Run {
  log: string;
  summary: Record<string, unknown>;
}

/** `hotspot-sim run <scenario> --mode fast --out <dir>/<name>.jsonl --json` in a child process. */
function runOnce(dir: string, name: string): Promise<Run> {
  const out = path.join(dir, `${name}.jsonl`);
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'harness/bin/hotspot-sim.mjs'), 'run', SCENARIO, '--mode', 'fast', '--out', out, '--json'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`run ${name} exited with ${code ?? signal}:\n${stderr.slice(-4000)}`));
        return;
      }
      resolve({ log: readFileSync(out, 'utf8'), summary: JSON.parse(stdout) as Record<string, unknown> });
    });
  });
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** "identical" or the first line where the two logs part, with its number and both versions. */
function firstDifference(a: string, b: string): string {
  if (a === b) return 'identical';
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `logs first differ at line ${i + 1} of ${la.length} / ${lb.length}:\n  A: ${la[i] ?? '(end of log)'}\n  B: ${lb[i] ?? '(end of log)'}`;
  }
  return 'identical';
}

describe('determinism at 2,000 hotspots', () => {
  it('one scenario and seed run twice in fast mode: byte-identical event logs, summaries and manifest hashes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hexium-determinism-'));
    try {
      const [a, b] = await Promise.all([runOnce(dir, 'a'), runOnce(dir, 'b')]);
      expect(firstDifference(a.log, b.log)).toBe('identical');
      expect(sha256(a.log)).toBe(sha256(b.log));
      expect(b.summary).toEqual(a.summary);

      const events = a.log
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { t: number; ev: string; [k: string]: unknown });
      const s = a.summary as { hotspots: number; manifestHashes: string[]; rounds: number; validBeacons: number; validWitnesses: number; dcSpent: number };
      expect(s.hotspots).toBe(2000);

      // One manifest: the first epoch (a 20 s stub) is paid inside the 35 s run; the next one ends after it.
      const manifests = events.filter((e) => e.ev === 'manifest');
      expect(manifests.map((m) => m.epoch)).toEqual([FIRST_EPOCH]);
      expect(manifests[0].t).toBeGreaterThan(START_MS + 20_000);
      expect(s.manifestHashes).toEqual([manifests[0].hash]);
      expect(s.manifestHashes[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(b.summary.manifestHashes).toEqual(s.manifestHashes);
      expect(FIRST_EPOCH * EPOCH_MS).toBeLessThan(START_MS);

      // Enough traffic that the comparison means something. Floors, not expected figures (those come
      // from the radio model). Each hotspot beacons once per 60 s window at a uniformly drawn second of
      // [0, 55) (hotspot-sim beacon-schedule.ts, 5 s guard), so about 2000 × 15/55 ≈ 545 hotspots draw a
      // second in [40, 55) and beacon before the boundary (binomial σ ≈ √(2000 · 0.27 · 0.73) ≈ 20); their
      // entropy expires at most 15 s later (demo lifespan), inside the run, so each report becomes a round.
      // ≥ 400 rounds leaves room for duty-cycle skips. A beacon is valid only with at least one valid
      // witness (gateway_no_valid_witnesses otherwise), so valid witnesses ≥ valid beacons; ≥ 200 valid
      // beacons and ≥ 500 valid witnesses keep every verdict path in play while only hotspots that
      // have beaconed themselves may witness validly (HIP-106 reciprocity), about a quarter of them here.
      expect(s.rounds).toBeGreaterThanOrEqual(400);
      expect(s.validBeacons).toBeGreaterThanOrEqual(200);
      expect(s.validWitnesses).toBeGreaterThanOrEqual(500);
      expect(events.filter((e) => e.ev === 'poc').length).toBe(s.rounds);
      // 100 sensors sending every 30 s for 35 s: the router bought packets, so DC shares reach the manifest.
      expect(s.dcSpent).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
