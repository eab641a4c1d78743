/**
 * `hotspot-sim experiment`: run a radio experiment file (an `experiment` section, docs/simulator.md
 * "Experiment scenarios") on the medium alone and print DER and the loss breakdown
 * (docs/radio-validation.md).
 */
import { writeFile } from 'node:fs/promises';
import { formatTable, numberFlag, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { parseExperiment, ScenarioError, type ResolvedExperiment } from '../core/scenario/load-scenario.ts';
import { runSweep, sweepCsv, sweepSeries, type SweepPoint, type Spread } from '../experiment/sweep.ts';
import { plotSvg } from '../experiment/plot-svg.ts';

const MAX_GATEWAY_ROWS = 20;

const help = `Usage: hotspot-sim experiment <file.json> [--json] [--out results.csv] [--runs N] [--seed N] [--plot out.svg]

Run a LoRa radio experiment on the simulated medium alone (no oracle, no MQTT, no signatures): nodes
around gateways, Poisson traffic, log-distance path loss, collisions with capture, destructive or none,
demodulator paths per gateway. The file is a scenario with an "experiment" section
(docs/simulator.md "Experiment scenarios"; examples in hotspot-sim/experiments/).

Prints for each node count: DER (packets received by at least one gateway ÷ packets sent), packets
that collided, packets lost to sensitivity / collision / the demodulator limit, and per-SF and
per-gateway breakdowns. A list of node counts in the file is a sweep: one row per count.

  --runs N        run each point N times with seeds seed, seed+1, …; prints mean ± sample std dev (default 1)
  --seed N        override the file's seed
  --out FILE      write one CSV row per node count (mean and sd of every figure)
  --plot FILE     draw DER against the number of nodes as an SVG figure (with the pure-ALOHA curve
                  e^(-2G) when every node uses one SF/BW/CR/channel)
  --json          print one JSON object { name, points: [...] } instead of the tables
  --help          this text

Example:
  hotspot-sim experiment hotspot-sim/experiments/lorasim.json --runs 5 --out lorasim.csv --plot lorasim.svg`;

/** Flags after validation (exported for tests). */
export interface ExperimentFlags {
  file: string;
  json: boolean;
  out?: string;
  plot?: string;
  runs: number;
  seed?: number;
}

export function parseExperimentFlags(argv: string[]): ExperimentFlags {
  const { values, positionals } = parseFlags(
    argv,
    { json: { type: 'boolean' }, out: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, plot: { type: 'string' } },
    true,
  );
  if (positionals.length !== 1) throw new UsageError(`give exactly one experiment file (or - for stdin), got ${positionals.length}`);
  const runs = numberFlag('runs', values.runs, { integer: true, min: 1, max: 1000, default: 1 });
  const seed = values.seed === undefined ? undefined : numberFlag('seed', values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 });
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a file name');
  if (values.plot !== undefined && !/\.svg$/i.test(values.plot)) throw new UsageError(`--plot must name an .svg file, got "${values.plot}"`);
  return { file: positionals[0], json: values.json ?? false, out: values.out, plot: values.plot, runs, seed };
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const pm = (s: Spread, f: (v: number) => string, runs: number) => (runs > 1 ? `${f(s.mean)} ± ${f(s.sd)}` : f(s.mean));

function renderText(x: ResolvedExperiment, points: SweepPoint[]): string {
  const runs = points[0].runs;
  const parts: string[] = [`${x.name}: ${x.gateways.length} gateway(s), ${x.collisions.model} collisions, ${x.demodulators} demodulator paths, ${runs} run(s) per point${runs > 1 ? ' (mean ± sd)' : ''}\n\n`];
  parts.push(
    formatTable(
      points.map((p) => [p.nodes, pm(p.der, pct, runs), pm(p.sent, num, runs), pm(p.received, num, runs), pm(p.collided, num, runs), pm(p.lostSensitivity, num, runs), pm(p.lostCollision, num, runs), pm(p.lostDemodulator, num, runs)]),
      ['nodes', 'DER', 'sent', 'received', 'collided', 'lost: sensitivity', 'lost: collision', 'lost: demodulators'],
    ),
  );
  for (const p of points) {
    parts.push(`\n${p.nodes} nodes, ${num(p.simulatedS)} s simulated, per SF${runs > 1 ? ' (means)' : ''}:\n`);
    parts.push(formatTable(p.perSf.map((s) => [`SF${s.sf}`, num(s.sent), num(s.received), pct(s.der), num(s.lostSensitivity), num(s.lostCollision), num(s.lostDemodulator)]), ['SF', 'sent', 'received', 'DER', 'lost: sensitivity', 'lost: collision', 'lost: demodulators']));
    parts.push(`per gateway${runs > 1 ? ' (means)' : ''}:\n`);
    const rows = p.perGateway.slice(0, MAX_GATEWAY_ROWS).map((g) => [g.gateway, num(g.heard), num(g.received), num(g.collided), num(g.demodulatorLimit)]);
    parts.push(formatTable(rows, ['gateway', 'in range', 'received', 'collided', 'demodulator limit']));
    if (p.perGateway.length > MAX_GATEWAY_ROWS) parts.push(`… ${p.perGateway.length - MAX_GATEWAY_ROWS} more gateways (--json lists all)\n`);
  }
  return parts.join('');
}

const command: Command = {
  name: 'experiment',
  summary: 'Run a LoRa radio experiment (DER against nodes, collisions, capture) on the medium alone',
  help,
  async run(argv, io) {
    const flags = parseExperimentFlags(argv);
    let x: ResolvedExperiment;
    try {
      x = parseExperiment(await io.readInput(flags.file));
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(`${flags.file}: ${e.message}`);
      throw new UsageError(`${flags.file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const points = runSweep(x, flags.runs, flags.seed ?? x.seed);
    if (flags.out) await writeFile(flags.out, sweepCsv(points));
    if (flags.plot) {
      await writeFile(
        flags.plot,
        plotSvg({ title: `${x.name}: data extraction rate`, xLabel: 'Number of nodes', yLabel: 'Data extraction rate (DER)', series: sweepSeries(x, points) }),
      );
    }
    if (flags.json) io.stdout(JSON.stringify({ name: x.name, seed: flags.seed ?? x.seed, runs: flags.runs, points }) + '\n');
    else io.stdout(renderText(x, points));
    return 0;
  },
};

export default command;
