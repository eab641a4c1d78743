/**
 * `oracle harness` as a user runs it, in the system tier (`npm run test:system`): the binary, its exit
 * status and its --report for a scenario that cannot run. Every scenario's expectations are checked in
 * harness-all-scenarios.test.ts (part of `npm test`); the honest town's determinism in detail in
 * harness-determinism.test.ts.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './serve-process.ts';

const scenario = (f: string) => path.join(REPO_ROOT, 'test/scenarios', f);

describe('harness scenarios through the simulator and the real oracle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hexium-harness-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('oracle harness (the CLI) exits 1 when a scenario cannot run, and says why in the Markdown report', async () => {
    // a pending scenario: the simulator has no "wrong-region" adversary, so the run is refused
    const report = path.join(dir, 'report.md');
    const res = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [path.join(REPO_ROOT, 'harness/bin/oracle.mjs'), 'harness', scenario('pending/wrong-region.json'), '--report', report], { cwd: REPO_ROOT, timeout: 500_000 }, (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/wrong region\s+ERROR\s+invalid scenario/);
    expect(res.stdout).toContain('0/1 scenarios passed');
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('## wrong region — FAIL');
    expect(md).toContain('/adversaries/0/kind');
  });
});
