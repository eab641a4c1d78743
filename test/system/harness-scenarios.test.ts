/**
 * Harness scenarios end to end in `npm test` (issue 9): several test/scenarios files through the
 * simulator in fast mode and the real oracle over real MQTT, each compared with its expectations; the
 * honest town twice with the same seed (identical reward manifest hashes). Then `oracle harness` as a
 * user runs it (the binary, exit status, --report). Kept to a few small scenarios (< ~2 min on 2 cores).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runHarness, type ScenarioOutcome } from '@hexium/oracle/harness-e2e/run-harness';
import { formatResults } from '@hexium/oracle/harness-e2e/report';
import { REPO_ROOT } from './serve-process.ts';

const scenario = (f: string) => path.join(REPO_ROOT, 'test/scenarios', f);
const explain = (o: ScenarioOutcome) => formatResults([o]);

describe('harness scenarios through the simulator and the real oracle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hexium-harness-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('honest town: only structural invalid reasons, rewards paid, same seed ⇒ identical manifest hashes', async () => {
    const [o] = await runHarness([scenario('honest-town.json')]);
    expect(o.error, explain(o)).toBeNull();
    expect(o.ok, explain(o)).toBe(true);
    expect(o.determinism?.identical).toBe(true);
    expect(o.determinism!.runs[0].length).toBe(1); // one epoch ⇒ one manifest
  }, 300_000);

  it.each(['rssi-inflater.json', 'deny-listed.json', 'colluding-ring.json'])('%s meets its expectations', async (f) => {
    const [o] = await runHarness([scenario(f)]);
    expect(o.error, explain(o)).toBeNull();
    expect(o.ok, explain(o)).toBe(true);
  }, 200_000);

  it('oracle harness (the CLI) exits 1 on a mismatch and writes the Markdown report', async () => {
    // the deny-listed scenario with an expectation that cannot hold (denied hotspots paid)
    const bad = JSON.parse(readFileSync(scenario('deny-listed.json'), 'utf8'));
    bad.expect = { epochs: 1, groups: { 'deny-listed': { rewards: { total: '> 0' } } } };
    const file = path.join(dir, 'impossible.json');
    (await import('node:fs')).writeFileSync(file, JSON.stringify(bad));
    const report = path.join(dir, 'report.md');
    const res = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [path.join(REPO_ROOT, 'oracle/bin/oracle.mjs'), 'harness', file, '--report', report], { cwd: REPO_ROOT, timeout: 190_000 }, (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/deny-listed: rewards total\s+> 0\s+0\s+FAIL/);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('### Adversaries: detection');
    expect(md).toMatch(/\| deny-listed \| 2 \|/);
  }, 200_000);
});
