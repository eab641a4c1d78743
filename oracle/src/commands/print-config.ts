/** `oracle print-config`: the effective configuration, each field with its unit, default and effect. */
import { parseFlags, type Command } from '@hexium/shared/cli/args';
import { CONFIG_FIELDS, describeConfig, loadConfig } from '../config.ts';

const flagOptions = Object.fromEntries([
  ['config', { type: 'string' as const }],
  ...CONFIG_FIELDS.filter((f) => f.flag).map((f) => [f.flag!, { type: 'string' as const }]),
]);

const command: Command = {
  name: 'print-config',
  summary: 'Print the effective oracle configuration, commented',
  help: `Usage: oracle print-config [--config FILE] [any "oracle serve" flag]

Prints every configuration field with its documentation, unit, default, environment variable and flag,
and the value that "oracle serve" would use with the same flags and environment (secrets masked).
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, flagOptions);
    io.stdout(describeConfig(loadConfig({ flags: values as Record<string, string | undefined>, env: process.env })));
    return 0;
  },
};

export default command;
