#!/usr/bin/env node
/**
 * `npm run check-deps` (also part of `npm run check`, hence of `npm test`): the workspace package graph
 * points one way (docs/architecture.md "Package graph").
 *
 * Fails (exit 1) when
 * - a workspace's files import another workspace (`@hexium/<name>`, statically, by `export … from`, by
 *   `import()` or `require()`) that its package.json does not declare;
 * - a workspace's files reach into another workspace by a relative path (`../../oracle/test/helpers/…`)
 *   that its package.json does not declare (a relative path is an import of that workspace all the same);
 * - the declared dependencies between workspaces form a cycle (what `npm ls` would print as deduped
 *   loops).
 * Files outside every workspace (bench/, scripts/, examples/ at the root) sit above all packages and are
 * not checked. Output is sorted (workspace, file, line) so two runs print the same bytes.
 *
 * Usage: node scripts/check-deps.mjs [repository root]   (default: this script's repository)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'output', 'public', '.vite']);
// import/export … from '…', import '…', import('…'), require('…'); the specifier is group 1, 2 or 3.
const IMPORT = /(?:^|[^\w$.])(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[^\w$.])import\s*['"]([^'"]+)['"]|(?:^|[^\w$.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The workspaces from the root package.json: directory, package name, declared @hexium dependencies. */
export function readWorkspaces(dir = root) {
  const rootPkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return rootPkg.workspaces.map((ws) => {
    const pkg = JSON.parse(readFileSync(join(dir, ws, 'package.json'), 'utf8'));
    const declared = new Set(
      [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies, pkg.optionalDependencies].flatMap((d) => Object.keys(d ?? {})),
    );
    return { dir: ws, name: pkg.name, declared };
  });
}

function sourceFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (SOURCE.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Import specifiers of one source text with their 1-based line numbers. */
export function importsOf(text) {
  const found = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const line = text.slice(0, m.index + m[0].length).split('\n').length;
    found.push({ spec, line });
  }
  return found;
}

/** The package name an `@hexium/…` specifier refers to, else null. */
const hexiumPackage = (spec) => (spec.startsWith('@hexium/') ? spec.split('/').slice(0, 2).join('/') : null);

/** Every cycle among the declared workspace dependencies, each as a list of names (first repeated last). */
export function findCycles(workspaces) {
  const names = new Set(workspaces.map((w) => w.name));
  const edges = new Map(workspaces.map((w) => [w.name, [...w.declared].filter((d) => names.has(d)).sort()]));
  const cycles = [];
  const state = new Map(); // 1 on the stack, 2 done
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of edges.get(n)) {
      if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of [...names].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

/** All problems in the repository at `dir`, as sorted lines. */
export function checkDeps(dir = root) {
  const workspaces = readWorkspaces(dir);
  const problems = [];
  for (const c of findCycles(workspaces)) problems.push(`cycle in the declared dependencies: ${c.join(' → ')}`);
  for (const ws of workspaces) {
    const wsRoot = join(dir, ws.dir);
    for (const file of sourceFiles(wsRoot)) {
      const rel = relative(dir, file);
      for (const { spec, line } of importsOf(readFileSync(file, 'utf8'))) {
        const pkg = hexiumPackage(spec);
        if (pkg && pkg !== ws.name && !ws.declared.has(pkg)) {
          problems.push(`${rel}:${line}: imports ${spec}, but ${ws.dir}/package.json does not declare ${pkg}`);
        } else if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (target !== wsRoot && !target.startsWith(wsRoot + sep)) {
            const other = workspaces.find((w) => target === join(dir, w.dir) || target.startsWith(join(dir, w.dir) + sep));
            if (other && !ws.declared.has(other.name)) {
              problems.push(`${rel}:${line}: reaches into ${other.dir}/ by a relative path (${spec}), but ${ws.dir}/package.json does not declare ${other.name}`);
            }
          }
        }
      }
    }
  }
  return problems.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkDeps(process.argv[2] ? resolve(process.argv[2]) : root);
  if (problems.length === 0) {
    process.stdout.write('package graph: one way (no undeclared workspace import, no cycle)\n');
  } else {
    process.stdout.write(`package graph: ${problems.length} problem(s) (docs/architecture.md "Package graph")\n${problems.map((p) => `  ${p}\n`).join('')}`);
    process.exit(1);
  }
}
