import { defineConfig } from 'vitest/config';

// One vitest run covers every package: unit tests beside the code, package integration tests in
// <package>/test/, cross-package system and browser tests in test/.
export default defineConfig({
  test: {
    include: ['{shared,hotspot-sim,oracle,map-ui}/src/**/*.test.ts', 'shared/node/**/*.test.ts', '{hotspot-sim,oracle}/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
