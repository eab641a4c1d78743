import { defineConfig } from 'vitest/config';

// One vitest run covers every package: unit tests beside the code, package integration tests in
// <package>/test/, cross-package system and browser tests in test/.
export default defineConfig({
  test: {
    include: ['{shared,hotspot-sim,oracle,map-ui}/src/**/*.test.ts', 'shared/node/**/*.test.ts', '{hotspot-sim,oracle}/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Time limits only catch a hang. CI runs on shared machines that are at times ten times slower than a
    // quiet laptop (a fresh PGlite cluster took minutes there), so a test that waits for a condition may
    // wait long; it ends as soon as the condition holds.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
