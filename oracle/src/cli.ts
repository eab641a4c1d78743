/** `oracle` — the oracle CLI: the server and the test-harness commands. Each lives in src/commands/. */
import { runCli } from '@hexium/shared/node/run-cli';

const commands = {
  serve: () => import('./commands/serve.ts'),
  'print-config': () => import('./commands/print-config.ts'),
  verify: () => import('./commands/verify.ts'),
  density: () => import('./commands/density.ts'),
  rewards: () => import('./commands/rewards.ts'),
  'manifest verify': () => import('./commands/manifest-verify.ts'),
  harness: () => import('./commands/harness.ts'),
};

process.exitCode = await runCli(
  'oracle',
  'Hexium oracle: the network service (serve) and the proof-of-coverage test harness.',
  commands,
  process.argv.slice(2),
);
