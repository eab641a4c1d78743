/**
 * The harness commands reproduce the worked examples of docs/harness.md (inputs and outputs live in
 * docs/examples/harness/, every output checked by hand in the doc), and refuse bad input with the JSON
 * path of the problem.
 */
import { describe, it, expect } from 'vitest';
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runCli, processIo } from '@hexium/shared/node/run-cli';
import type { CommandIo } from '@hexium/shared/cli/args';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = join(root, 'docs', 'examples', 'harness');
const table = {
  verify: () => import('../src/commands/verify.ts'),
  density: () => import('../src/commands/density.ts'),
  rewards: () => import('../src/commands/rewards.ts'),
  'manifest verify': () => import('../src/commands/manifest-verify.ts'),
};

async function oracle(argv: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readInput: (p) => (p === '-' && stdin !== undefined ? Promise.resolve(stdin) : processIo.readInput(p)),
  };
  const code = await runCli('oracle', 'test', table, argv, io);
  return { code, stdout, stderr };
}
const example = (name: string) => join(examples, name);
const expected = async (name: string) => JSON.parse(await readFile(example(name), 'utf8'));
const roundText = () => readFile(example('round.json'), 'utf8');

describe('oracle harness commands on the documented examples', () => {
  it('verify reproduces docs/examples/harness/round.out.json', async () => {
    const r = await oracle(['verify', example('round.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(await expected('round.out.json'));
  });

  it('density reproduces docs/examples/harness/locations.out.json', async () => {
    const r = await oracle(['density', example('locations.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(await expected('locations.out.json'));
  });

  it('rewards reproduces docs/examples/harness/epoch.out.json', async () => {
    const r = await oracle(['rewards', example('epoch.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(await expected('epoch.out.json'));
  });

  it('manifest verify accepts the documented chain and rejects the tampered one with exit 1', async () => {
    const good = await oracle(['manifest', 'verify', example('manifests')]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual(await expected('manifests.out.json'));
    const bad = await oracle(['manifest', 'verify', example('manifests-broken')]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual(await expected('manifests-broken.out.json'));
  });

  it('reads the input from stdin when the file is -', async () => {
    const r = await oracle(['verify', '-'], await roundText());
    expect(JSON.parse(r.stdout)).toEqual(await expected('round.out.json'));
  });
});

describe('oracle harness commands on bad input', () => {
  it('name the JSON path of a missing or mistyped field and exit 2', async () => {
    const round = JSON.parse(await roundText());
    delete round.beacon.receivedAtMs;
    round.witnesses[1].rssiDbm = 'loud';
    const r = await oracle(['verify', '-'], JSON.stringify(round));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('/beacon');
    expect(r.stderr).toContain('receivedAtMs');
    expect(r.stderr).toContain('/witnesses/1/rssiDbm');
  });

  it('refuse text that is not JSON', async () => {
    const r = await oracle(['rewards', '-'], '{ nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not valid JSON');
  });

  it('refuse a round whose beaconer region has no parameters (Helium would retry it)', async () => {
    const round = JSON.parse(await roundText());
    for (const h of round.hotspots) h.region = 'EU433';
    const r = await oracle(['verify', '-'], JSON.stringify(round));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no region parameters for region "EU433"');
  });

  it('refuse an invalid cell in the density input with its index', async () => {
    const r = await oracle(['density', '-'], JSON.stringify({ locations: ['8c1969c9b2001ff', 'ffffffffffffffff'] }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/locations/1');
  });

  it('refuse unknown parameter profiles', async () => {
    const r = await oracle(['rewards', '-'], JSON.stringify({ params: 'mainnet', epochEmissionsBones: '1', hntPrice: 1, hntPriceDecimals: 8, gateways: {} }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown parameter profile "mainnet"');
  });

  it('print the input format with --help', async () => {
    const r = await oracle(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('remoteEntropyHex');
  });
});

describe('the oracle binary', () => {
  it('runs a harness command end to end and exits 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'oracle', 'bin', 'oracle.mjs'), 'rewards', example('epoch.json')], { cwd: root });
    expect(JSON.parse(stdout)).toEqual(await expected('epoch.out.json'));
  });
});
