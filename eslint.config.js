// ESLint flat config. The pure cores (all of shared/, the simulator core, the oracle's poc/ and rewards/)
// may not import I/O modules, read the clock or draw unseeded randomness: see ../shared/STYLE.md §1.
// Every workspace may import only the @hexium packages its package.json declares, so the package graph
// stays one way (docs/architecture.md "Package graph"; scripts/check-deps.mjs also checks import() and
// cycles).
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https',
  'child_process', 'node:child_process', 'worker_threads', 'node:worker_threads', 'dgram', 'node:dgram',
  'os', 'node:os', 'readline', 'node:readline', 'mqtt', 'aedes', 'fastify', 'pg', '@electric-sql/pglite', 'ws', 'pino',
];

const ioPaths = ioModules.map((name) => ({ name, message: 'Pure core: no I/O imports here (STYLE.md §1). Put I/O in an adapter.' }));

// The pure folders of each workspace.
const pureFolders = {
  shared: ['shared/src/**/*.ts'],
  'hotspot-sim': ['hotspot-sim/src/core/**/*.ts'],
  oracle: ['oracle/src/poc/**/*.ts', 'oracle/src/rewards/**/*.ts'],
};

const readJson = (file) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
const workspaces = readJson('./package.json').workspaces.map((dir) => {
  const pkg = readJson(`./${dir}/package.json`);
  return { dir, name: pkg.name, declared: new Set(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) };
});

/** The workspace packages `ws` does not declare, as no-restricted-imports patterns. */
function undeclaredWorkspaces(ws) {
  const others = workspaces.filter((o) => o.name !== ws.name && !ws.declared.has(o.name)).map((o) => o.name).sort();
  if (others.length === 0) return [];
  return [{ group: others.flatMap((n) => [n, `${n}/*`]), message: `${ws.dir}/package.json does not declare this workspace: the package graph points one way (docs/architecture.md "Package graph").` }];
}

/** One no-restricted-imports setting per file set (a later setting of a rule replaces an earlier one). */
const importRules = workspaces.map((ws) => ({
  files: [`${ws.dir}/**/*.{ts,tsx,js,mjs}`],
  rules: { 'no-restricted-imports': ['error', { paths: [], patterns: undeclaredWorkspaces(ws) }] },
}));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test/output/**', 'bench/results/**', 'data/**', 'map-ui/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...importRules,
  ...workspaces.filter((ws) => pureFolders[ws.dir]).map((ws) => ({
    files: pureFolders[ws.dir],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioPaths, patterns: undeclaredWorkspaces(ws) }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Pure core: take time as a parameter (Clock), never Date.now().' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pure core: take time as a parameter, never new Date().' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Pure core: use the seeded RNG passed in, never Math.random().' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Pure core: configuration is passed in, never read from process.env.' },
      ],
    },
  })),
);
