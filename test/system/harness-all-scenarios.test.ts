/**
 * Every harness scenario in test/scenarios/ (the pending ones in test/scenarios/pending/ aside) meets
 * its expectations end to end: the simulator in fast mode against the real oracle over real MQTT, each
 * file's checks worked out by hand in its description (docs/harness-scenarios.md). Part of `npm test`
 * (the unit project in vitest.config.ts): the whole set takes about a minute on a quiet 2-core machine.
 * Scenarios that say `"deterministic": true` are run twice and must give identical manifest hashes.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runHarness } from '@hexium/harness/run-harness';
import { formatResults } from '@hexium/harness/report';
import { REPO_ROOT } from './serve-process.ts';

const dir = path.join(REPO_ROOT, 'test/scenarios');
// sorted by name: the order the runs take (and the report lists) never depends on the file system
const files = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.json'))
  .map((e) => e.name)
  .sort();

describe('every harness scenario in test/scenarios', () => {
  it('finds the scenario files (14 when this test was written; more may be added)', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(files)('%s meets its expectations', async (f) => {
    const [o] = await runHarness([path.join(dir, f)]);
    const explain = formatResults([o]);
    expect(o.error, explain).toBeNull();
    expect(o.checks.length, explain).toBeGreaterThan(0);
    expect(o.checks.filter((c) => !c.ok).map((c) => c.what), explain).toEqual([]);
    expect(o.ok, explain).toBe(true);
    if (o.determinism) expect(o.determinism.identical, explain).toBe(true);
  });
});
