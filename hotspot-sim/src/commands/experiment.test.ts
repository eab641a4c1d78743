/** `hotspot-sim experiment` flag and file validation: every mistake is a UsageError naming the flag or the JSON path. */
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { UsageError, type CommandIo } from '@hexium/shared/cli/args';
import command, { parseExperimentFlags } from './experiment.ts';

const SMALL = {
  name: 'small',
  seed: 1,
  experiment: {
    gateways: { points: [[0, 0]] },
    nodes: { count: [10, 20], placement: { disc: { radiusM: 200 } }, intervalS: 60, payloadBytes: 20, sf: 9, txPowerDbm: 14 },
    pathLoss: { d0M: 40, pl0Db: 127.41, gamma: 2.08, sigmaDb: 0 },
    collisions: { model: 'capture' },
    duration: { seconds: 600 },
  },
};

describe('hotspot-sim experiment flags', () => {
  let dir: string;
  let out = '';
  const io: CommandIo = { stdout: (t) => void (out += t), stderr: () => undefined, readInput: (p) => readFile(p, 'utf8') };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hexium-exp-'));
    await writeFile(path.join(dir, 'small.json'), JSON.stringify(SMALL));
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ ...SMALL, experiment: { ...SMALL.experiment, collisions: { model: 'capture', thresholdDb: -1 } } }));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('accepts the documented flags', () => {
    expect(parseExperimentFlags(['f.json', '--json', '--runs', '5', '--out', 'r.csv', '--plot', 'p.svg', '--seed', '3'])).toEqual({ file: 'f.json', json: true, out: 'r.csv', plot: 'p.svg', runs: 5, seed: 3 });
    expect(parseExperimentFlags(['f.json'])).toMatchObject({ runs: 1, json: false });
  });

  it.each([
    [[], /exactly one experiment file/],
    [['a.json', 'b.json'], /exactly one experiment file/],
    [['f.json', '--runs', '0'], /--runs must be ≥ 1/],
    [['f.json', '--runs', '2.5'], /--runs must be an integer/],
    [['f.json', '--runs', 'many'], /--runs must be a number/],
    [['f.json', '--seed=-1'], /--seed must be ≥ 0/],
    [['f.json', '--plot', 'out.png'], /--plot must name an .svg file/],
    [['f.json', '--out', ' '], /--out needs a file name/],
    [['f.json', '--frobnicate'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseExperimentFlags(argv)).toThrow(message);
    expect(() => parseExperimentFlags(argv)).toThrow(UsageError);
  });

  it('names the JSON path of a bad field and a missing file', async () => {
    await expect(command.run([path.join(dir, 'bad.json')], io)).rejects.toThrow(/\/experiment\/collisions/);
    await expect(command.run([path.join(dir, 'missing.json')], io)).rejects.toThrow(/cannot read it \(ENOENT\)/);
  });

  it('writes one CSV row per node count and an SVG figure', async () => {
    const csv = path.join(dir, 'r.csv');
    const svg = path.join(dir, 'p.svg');
    out = '';
    expect(await command.run([path.join(dir, 'small.json'), '--runs', '2', '--out', csv, '--plot', svg, '--json'], io)).toBe(0);
    const rows = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(rows[0].startsWith('nodes,runs,derMean,derSd')).toBe(true);
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 2).join(','))).toEqual(['10,2', '20,2']);
    const fig = await readFile(svg, 'utf8');
    expect(fig).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(fig).toContain('Data extraction rate (DER)');
    const j = JSON.parse(out) as { points: { nodes: number; runs: number }[] };
    expect(j.points.map((p) => [p.nodes, p.runs])).toEqual([[10, 2], [20, 2]]);
  });
});
