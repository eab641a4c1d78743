/**
 * scripts/check-deps.mjs on small made-up repositories: a one-way graph passes; an undeclared workspace
 * import (static, import(), a relative path into another workspace) and a cycle of declared
 * dependencies fail with the file and line. Cheap: a few files in a temporary directory, one node process each.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('./check-deps.mjs', import.meta.url));
let dir = '';

async function pkg(ws: string, deps: string[]) {
  await mkdir(join(dir, ws, 'src'), { recursive: true });
  await writeFile(join(dir, ws, 'package.json'), JSON.stringify({ name: `@hexium/${ws}`, dependencies: Object.fromEntries(deps.map((d) => [`@hexium/${d}`, '*'])) }));
}

async function check(): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, dir]);
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, out: err.stdout };
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hexium-check-deps-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ workspaces: ['shared', 'sim', 'oracle', 'harness'] }));
  await pkg('shared', []);
  await pkg('sim', ['shared']);
  await pkg('oracle', ['shared']);
  await pkg('harness', ['shared', 'sim', 'oracle']);
  await writeFile(join(dir, 'harness/src/a.ts'), "import { x } from '@hexium/oracle/server';\nconst s = await import('@hexium/sim');\n");
  await writeFile(join(dir, 'sim/src/b.ts'), "import { y } from '@hexium/shared/geo';\nimport { z } from './c.ts';\n");
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('the package-graph check', () => {
  it('passes a one-way graph whose imports are all declared', async () => {
    expect(await check()).toEqual({ code: 0, out: 'package graph: one way (no undeclared workspace import, no cycle)\n' });
  });

  it('names each undeclared import: static, dynamic and by relative path', async () => {
    await writeFile(join(dir, 'sim/src/run.ts'), "// starts an oracle\nimport { startOracle } from '@hexium/oracle/server';\n");
    await writeFile(join(dir, 'oracle/src/h.ts'), "export const h = () => import('@hexium/harness');\n");
    await writeFile(join(dir, 'shared/src/r.ts'), "\n\nexport * from '../../sim/src/b.ts';\n");
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      'package graph: 3 problem(s) (docs/architecture.md "Package graph")',
      '  oracle/src/h.ts:1: imports @hexium/harness, but oracle/package.json does not declare @hexium/harness',
      '  shared/src/r.ts:3: reaches into sim/ by a relative path (../../sim/src/b.ts), but shared/package.json does not declare @hexium/sim',
      '  sim/src/run.ts:2: imports @hexium/oracle/server, but sim/package.json does not declare @hexium/oracle',
      '',
    ]);
  });

  it('finds a cycle of declared dependencies', async () => {
    await pkg('sim', ['shared', 'harness']);
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.out).toContain('cycle in the declared dependencies: @hexium/harness → @hexium/sim → @hexium/harness');
  });
});
