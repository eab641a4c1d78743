#!/usr/bin/env node
/**
 * `npm run check`: the type check (`npm run typecheck`), ESLint (`npm run lint`) and the package-graph check
 * (`npm run check-deps`: no undeclared workspace import, no cycle) at the same time. The first two are
 * single-threaded, so on two cores they finish in the time of the slower one (the graph check takes
 * a fraction of a second). Each one's output
 * is printed whole when it ends (never interleaved); the exit status is non-zero when either fails.
 */
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm run <script>` in the repository root; resolves with its exit code and combined output. */
function run(script) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(npm, ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (err) => done({ script, code: 1, output: `${err.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) =>
      done({ script, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8'), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

// Printed in this fixed order, whichever finishes first.
const results = await Promise.all(['typecheck', 'lint', 'check-deps'].map(run));
for (const r of results) {
  process.stdout.write(`── npm run ${r.script}: ${r.code === 0 ? 'ok' : `failed (exit ${r.code})`} in ${r.seconds.toFixed(0)} s\n`);
  if (r.output.trim()) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
