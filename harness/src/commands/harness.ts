/**
 * `oracle harness <scenario...>`: run harness scenarios end to end (simulator in fast mode → real MQTT →
 * real oracle) and compare verdicts, reasons and rewards with each file's expectations
 * (docs/harness-scenarios.md). Exit 0 when every check passes, 1 on any mismatch or failed run.
 */
import { writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { numberFlag, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { runHarness } from '../run-harness.ts';
import { formatResults, jsonReport, markdownReport } from '../report.ts';

const help = `Usage: oracle harness <scenario.json | dir>... [--report out.json|out.md] [--json] [--seed N] [--determinism]

Runs each harness scenario through the simulator in fast mode (virtual time) and the real oracle over
real MQTT, then compares the oracle's verdicts, invalid reasons, HIP-17 scales and rewards with the
file's "expect" block (format: docs/harness-scenarios.md). A directory means every *.json in it.

Options:
  --report FILE    also write a report: FILE ending in .md → Markdown, else JSON. It adds per-hotspot
                   rewards and, for each adversary group, its detection rate (reports rejected, by
                   reason) and what Helium's rules did not catch.
  --json           print the JSON report on stdout instead of the table
  --seed N         override every scenario's seed
  --determinism    run every scenario twice with the same seed and require identical manifest hashes
                   (scenarios with "expect": { "deterministic": true } always do)
  --help           this text

Exit: 0 all scenarios pass; 1 a check failed or a scenario could not run; 2 bad usage.
Example: npx oracle harness test/scenarios --report harness-report.md
`;

function expand(args: string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    let st;
    try {
      st = statSync(a);
    } catch {
      throw new UsageError(`no such file or directory: ${a}`);
    }
    if (st.isDirectory()) {
      const inDir = readdirSync(a).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(a, f));
      if (inDir.length === 0) throw new UsageError(`no *.json scenario in ${a}`);
      files.push(...inDir);
    } else files.push(a);
  }
  return files;
}

const command: Command = {
  name: 'harness',
  summary: 'Run harness scenarios end to end (simulator → MQTT → oracle) and check their expectations',
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { report: { type: 'string' }, json: { type: 'boolean' }, seed: { type: 'string' }, determinism: { type: 'boolean' } }, true);
    if (positionals.length === 0) throw new UsageError('give at least one scenario file or directory (e.g. test/scenarios)');
    const seed = values.seed === undefined ? undefined : numberFlag('seed', values.seed, { min: 0, integer: true });
    const files = expand(positionals);
    const outcomes = await runHarness(files, {
      seed,
      determinism: values.determinism ?? false,
      onScenario: (o) => {
        if (!values.json) io.stderr(`${o.ok ? 'PASS' : 'FAIL'} ${o.name} (${(o.wallMs / 1000).toFixed(1)} s)\n`);
      },
    });
    if (values.report) {
      const text = values.report.endsWith('.md') ? markdownReport(outcomes) : JSON.stringify(jsonReport(outcomes), null, 2) + '\n';
      await writeFile(values.report, text);
      if (!values.json) io.stderr(`report written to ${values.report}\n`);
    }
    if (values.json) io.stdout(JSON.stringify(jsonReport(outcomes)) + '\n');
    else io.stdout(formatResults(outcomes));
    return outcomes.every((o) => o.ok) ? 0 : 1;
  },
};

export default command;
