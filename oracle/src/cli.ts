/**
 * `oracle` — the oracle CLI as a function: the server and its offline tools. Each command lives in
 * src/commands/. The binary lives in `@hexium/harness` (harness/bin/oracle.mjs), which adds
 * `oracle harness` (it runs the simulator, which this package cannot import: docs/architecture.md
 * "Package graph").
 */
import { runCli } from '@hexium/shared/node/run-cli';
import type { Command, CommandIo } from '@hexium/shared/cli/args';

export type CommandTable = Record<string, () => Promise<{ default: Command }>>;

export const oracleCommands: CommandTable = {
  serve: () => import('./commands/serve.ts'),
  'print-config': () => import('./commands/print-config.ts'),
  verify: () => import('./commands/verify.ts'),
  density: () => import('./commands/density.ts'),
  rewards: () => import('./commands/rewards.ts'),
  'manifest verify': () => import('./commands/manifest-verify.ts'),
};

/** Run `oracle <argv…>` with the oracle's commands plus `extra` (listed after them); resolves with the exit code. */
export function runOracleCli(argv: string[], extra: CommandTable = {}, io?: CommandIo): Promise<number> {
  return runCli(
    'oracle',
    'Hexium oracle: the network service (serve) and the proof-of-coverage test harness.',
    { ...oracleCommands, ...extra },
    argv,
    io,
  );
}
