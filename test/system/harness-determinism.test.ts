/**
 * The same scenario and seed twice give identical reward manifest hashes (issue 9), through the whole
 * pipeline: the honest town run twice by the harness, in fast mode, real oracle, real MQTT.
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { runHarness } from '@hexium/harness/run-harness';
import { formatResults } from '@hexium/harness/report';
import { REPO_ROOT } from './serve-process.ts';

describe('determinism of the whole pipeline', () => {
  it('honest town twice with one seed: identical manifest hashes; rewards paid within the emission', async () => {
    const [o] = await runHarness([path.join(REPO_ROOT, 'test/scenarios/honest-town.json')]);
    const explain = formatResults([o]);
    expect(o.error, explain).toBeNull();
    expect(o.determinism, explain).toMatchObject({ identical: true });
    expect(o.determinism!.runs[0]).toHaveLength(1); // one epoch ⇒ one manifest
    expect(o.determinism!.runs[0][0]).toMatch(/^[0-9a-f]{64}$/);
    // the reward expectations of the file: paid, and never more than the demo epoch's
    // PoC + unused data-transfer share (570,776,255 bones, worked out in the file's description)
    const byName = Object.fromEntries(o.checks.map((c) => [c.what, c]));
    for (const what of ['reward epochs (manifests)', 'honest: rewards total', 'honest: rewards earning', 'honest: beacons valid', 'honest: witnesses valid']) {
      expect(byName[what]?.ok, `${what}\n${explain}`).toBe(true);
    }
  });
});
