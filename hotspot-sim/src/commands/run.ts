/** `hotspot-sim run`: run a scenario live or in virtual time against the oracle. */
import { createWriteStream } from 'node:fs';
import cliProgress from 'cli-progress';
import { UsageError, parseFlags, numberFlag, type Command } from '@hexium/shared/cli/args';
import { readScenarioArg } from './scenario-arg.ts';
import { runScenario } from '../runner/run-scenario.ts';
import type { OracleLauncher } from '../runner/oracle-launcher.ts';
import { formatSummary } from '../runner/summary-table.ts';

/**
 * The command, given how to start an oracle when --broker/--oracle are omitted (the `hotspot-sim` binary
 * in `@hexium/harness` passes the in-process oracle; without one such a run stops with a clear error).
 */
export const runCommand = (launchOracle?: OracleLauncher): Command => ({
  name: 'run',
  summary: 'Run a scenario live or fast (virtual time) against the oracle over MQTT',
  help: `Usage: hotspot-sim run <scenario.json> [--mode live|fast] [--speed N] [--seed N] [--out run.jsonl] [--json]
                        [--broker URL --oracle URL [--fleet id:secret] [--admin-token T]]

  --mode fast   virtual time (default): an in-process oracle on a virtual clock, driven event by event;
                deterministic (same scenario + seed ⇒ same event log and manifest hashes)
  --mode live   real time against a running oracle (--broker mqtt://… --oracle http://…), or an
                in-process one when those are omitted; --speed N runs N× faster (in-process only)
  --seed N      override the scenario seed
  --out FILE    write the event log (JSON lines)
  --json        print one summary object instead of the table
  --fleet id:secret, --admin-token T   credentials for an external oracle (fleet connection beyond
                2000 hotspots; the admin token creates the sensors' organization; env HEXIUM_ADMIN_TOKEN)`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        mode: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        broker: { type: 'string' },
        oracle: { type: 'string' },
        fleet: { type: 'string' },
        'admin-token': { type: 'string' },
      },
      true,
    );
    const mode = values.mode ?? 'fast';
    if (mode !== 'fast' && mode !== 'live') throw new UsageError(`--mode must be live or fast, got "${mode}"`);
    let fleet: { id: string; secret: string } | undefined;
    if (values.fleet) {
      const i = values.fleet.indexOf(':');
      if (i <= 0) throw new UsageError('--fleet must be id:secret');
      fleet = { id: values.fleet.slice(0, i), secret: values.fleet.slice(i + 1) };
    }
    const scenario = await readScenarioArg(positionals, io);
    if (mode === 'live' && values.broker && !fleet) {
      io.stderr('hotspot-sim run: no --fleet credential, so no observer connection: the summary will not include the oracle\'s PoC verdicts\n');
    }
    const out = values.out ? createWriteStream(values.out) : null;
    const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: ' {bar} {percentage}% | sim {simTime}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
    bar?.start(100, 0, { simTime: '' });
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await runScenario(scenario, {
        mode,
        speed: numberFlag('speed', values.speed, { min: 0.001, default: 1 }),
        seed: values.seed === undefined ? undefined : numberFlag('seed', values.seed, { integer: true, min: 0 }),
        brokerUrl: values.broker,
        oracleUrl: values.oracle,
        launchOracle,
        fleet,
        adminToken: values['admin-token'] ?? process.env.HEXIUM_ADMIN_TOKEN,
        onLog: out ? (line) => void out.write(line + '\n') : undefined,
        onProgress: bar ? (f, t) => bar.update(Math.round(f * 100), { simTime: new Date(t).toISOString() }) : undefined,
        signal: abort.signal,
      });
      bar?.stop();
      for (const w of result.warnings ?? []) io.stderr(`hotspot-sim run: ${w}\n`);
      if (values.json) io.stdout(JSON.stringify(result.summary) + '\n');
      else io.stdout(formatSummary(result.summary));
      return 0;
    } finally {
      bar?.stop();
      process.off('SIGINT', onSigint);
      if (out) await new Promise((r) => out.end(r));
    }
  },
});

export default runCommand();
