// ESLint flat config. The pure cores (all of shared/, the simulator core, the oracle's poc/ and rewards/)
// may not import I/O modules, read the clock or draw unseeded randomness: see ../shared/STYLE.md §1.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https',
  'child_process', 'node:child_process', 'worker_threads', 'node:worker_threads', 'dgram', 'node:dgram',
  'os', 'node:os', 'readline', 'node:readline', 'mqtt', 'aedes', 'fastify', 'pg', '@electric-sql/pglite', 'ws', 'pino',
];

const pureFolders = ['shared/src/**/*.ts', 'hotspot-sim/src/core/**/*.ts', 'oracle/src/poc/**/*.ts', 'oracle/src/rewards/**/*.ts'];

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
  {
    files: pureFolders,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.map((name) => ({ name, message: 'Pure core: no I/O imports here (STYLE.md §1). Put I/O in an adapter.' })) }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Pure core: take time as a parameter (Clock), never Date.now().' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pure core: take time as a parameter, never new Date().' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Pure core: use the seeded RNG passed in, never Math.random().' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Pure core: configuration is passed in, never read from process.env.' },
      ],
    },
  },
);
