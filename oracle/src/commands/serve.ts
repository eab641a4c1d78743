/** `oracle serve`: run the oracle (broker, pipeline, API) until SIGINT/SIGTERM. */
import { parseFlags, type Command } from '@hexium/shared/cli/args';
import { CONFIG_FIELDS, loadConfig } from '../config.ts';

const flagOptions = Object.fromEntries([
  ['config', { type: 'string' as const }],
  ...CONFIG_FIELDS.filter((f) => f.flag).map((f) => [f.flag!, { type: 'string' as const }]),
]);

const command: Command = {
  name: 'serve',
  summary: 'Run the oracle: MQTT broker, ingest, verifier, rewarder, HTTP API and map',
  help: `Usage: oracle serve [options]

Runs the Hexium oracle with an embedded MQTT broker and PGlite store by default.

Options (flags > environment > --config file > defaults; see "oracle print-config"):
  --config FILE          JSON config file (env HEXIUM_CONFIG)
${CONFIG_FIELDS.filter((f) => f.flag)
  .map((f) => `  --${(f.flag + ' ' + (f.unit.includes('port') ? 'PORT' : 'VALUE')).padEnd(20)} ${f.doc} (env ${f.env})`)
  .join('\n')}

Environment only: MQTT_URL (external broker), DATABASE_URL (PostgreSQL), HEXIUM_FLEETS (id:secret,…),
HEXIUM_ORACLE_KEY_SEED, HEXIUM_AUTH_SKEW_MS, HEXIUM_INGEST_SHARE_GROUP, HEXIUM_METRICS_TOKEN,
HEXIUM_CHALLENGE_HOTSPOT_INTERVAL_S, HEXIUM_CHALLENGE_CALLER_PER_MIN.
Port 0 picks a free port; the chosen ports are logged. Stops cleanly on SIGINT/SIGTERM.

Several processes on one MQTT_URL and DATABASE_URL make one oracle (docs/architecture.md "Several oracle
processes"): give them the same HEXIUM_ORACLE_KEY_SEED, topic prefix and parameters; a process whose key
differs from the one the database recorded refuses to start.

The data directory is created 0700 with its files 0600 and locked (<dataDir>/oracle.lock, with the PID):
a second oracle on the same directory refuses to start; a lock left by a dead process is taken over.
The generated admin token is kept in <dataDir>/admin-token and never logged. An oracle key file that
group or others can read is refused. A store rewarded with another epoch length is refused.
See docs/security.md.
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, flagOptions);
    const config = loadConfig({ flags: values as Record<string, string | undefined>, env: process.env });
    const { startOracle } = await import('../server.ts');
    const oracle = await startOracle(config);
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        io.stderr(`oracle: ${signal}, shutting down\n`);
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        oracle.stop().then(resolve, resolve);
      };
      const onInt = () => shutdown('SIGINT');
      const onTerm = () => shutdown('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
    });
    return 0;
  },
};

export default command;
