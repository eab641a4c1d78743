import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two tiers, one config:
// - `unit` (`npm test`): unit tests beside the code and the package integration tests in <package>/test/
//   (real MQTT over TCP, PGlite and PostgreSQL, the HTTP API, the router, restarts).
// - `system` (`npm run test:system`): cross-package tests in test/ — harness scenarios through the
//   simulator and a live oracle, devices using mosquitto_pub, the map in headless chromium. They start
//   whole oracle processes and simulated towns, so they take tens of minutes on a shared 2-core machine.
// `npm run test:all` runs both.
const ignored = ['**/node_modules/**', '**/dist/**'];
const systemTests = ['test/**/*.test.ts'];
// Files in test/ that `npm test` runs too: pure helpers that start nothing, every harness scenario
// (about a minute in all), the device rules through a real RabbitMQ calling the oracle's broker-auth
// endpoints (about 20 s), kill -9 of `oracle serve` during ingest and reward catch-up (about a minute),
// and one scenario on two `oracle serve` processes over Mosquitto + PostgreSQL (about 2 min, mostly two
// 30 s epochs on the wall clock; skipped without TEST_MQTT_URL / TEST_DATABASE_URL). The last one joined
// once the rewarder waited for the verifier (docs/architecture.md "Paying an epoch"): before, a round
// verified after its epoch was paid added shares to that epoch and the recomputed hashes differed.
// test/browser/map-tiles.test.ts (the map on vector tiles in headless chromium against one oracle, its
// basemap from a small San Francisco fixture) took 30–48 s on a 2-core machine at load 10–18, so it runs
// in `npm test` (and so in .ci/run); the older test/browser/map.test.ts stays in the system tier.
// test/system/determinism-2000.test.ts runs a 2,000-hotspot scenario twice in fast mode, two child
// processes side by side (about 30 s CPU and 0.9 GB each), and compares the event logs byte for byte.
const systemButQuick = [
  'test/system/device-helpers.test.ts',
  'test/system/harness-all-scenarios.test.ts',
  'test/system/broker-rabbitmq.test.ts',
  'test/system/crash-safety.test.ts',
  'test/system/multi-oracle.test.ts',
  'test/system/determinism-2000.test.ts',
  'test/browser/map-tiles.test.ts',
];

export default defineConfig({
  test: {
    exclude: ignored,
    // Time limits only catch a hang. CI runs on shared machines that are at times ten times slower than a
    // quiet laptop (a fresh PGlite cluster took minutes there), so a test that waits for a condition may
    // wait long; it ends as soon as the condition holds.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one worker on a 2-core machine. Most integration
    // tests wait on the network and timers, so two files side by side finish sooner there.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{shared,hotspot-sim,oracle,harness,map-ui}/src/**/*.test.ts', 'shared/node/**/*.test.ts', 'scripts/**/*.test.ts', '{hotspot-sim,oracle,harness}/test/**/*.test.ts', ...systemButQuick],
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: systemTests,
          exclude: [...ignored, ...systemButQuick],
        },
      },
    ],
  },
});
