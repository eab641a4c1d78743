/**
 * `hotspot-sim` — the simulator CLI as a function. Each command lives in src/commands/<name>.ts. The
 * binary lives in `@hexium/harness` (harness/bin/hotspot-sim.mjs): it passes the in-process oracle
 * launcher, which this package cannot import (docs/architecture.md "Package graph").
 */
import { runCli } from '@hexium/shared/node/run-cli';
import type { Command, CommandIo } from '@hexium/shared/cli/args';
import type { OracleLauncher } from './runner/oracle-launcher.ts';

export interface HotspotSimCliOptions {
  /** Starts an oracle for `run` without --broker/--oracle. */
  launchOracle?: OracleLauncher;
  io?: CommandIo;
}

/** The command table (lazily loaded modules; multi-word commands would be keys with a space). */
export function hotspotSimCommands(o: HotspotSimCliOptions = {}): Record<string, () => Promise<{ default: Command }>> {
  return {
    airtime: () => import('./commands/airtime.ts'),
    link: () => import('./commands/link.ts'),
    decode: () => import('./commands/decode.ts'),
    'session-keys': () => import('./commands/session-keys.ts'),
    beacon: () => import('./commands/beacon.ts'),
    keygen: () => import('./commands/keygen.ts'),
    generate: () => import('./commands/generate.ts'),
    run: async () => ({ default: (await import('./commands/run.ts')).runCommand(o.launchOracle) }),
    gateway: () => import('./commands/gateway.ts'),
    forwarder: () => import('./commands/forwarder.ts'),
    experiment: () => import('./commands/experiment.ts'),
  };
}

/** Run `hotspot-sim <argv…>`; resolves with the exit code. */
export function runHotspotSimCli(argv: string[], o: HotspotSimCliOptions = {}): Promise<number> {
  return runCli(
    'hotspot-sim',
    'Hexium hotspot simulator: LoRa calculators, scenarios, and simulated hotspots and sensors over MQTT.',
    hotspotSimCommands(o),
    argv,
    o.io,
  );
}
