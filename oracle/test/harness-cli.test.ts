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

describe('oracle harness command options', () => {
  it('density with the original HIP-17 table gives the hand-worked 0.0833 / 0.25 / 1 (docs/harness.md)', async () => {
    const input = JSON.parse(await readFile(example('locations.json'), 'utf8'));
    const r = await oracle(['density', '-'], JSON.stringify({ ...input, params: 'hip17' }));
    expect(Object.values(JSON.parse(r.stdout).scales)).toEqual(['0.0833', '0.0833', '0.0833', '0.25', '0.25', '0.25', '1']);
  });

  it('density with a custom table that never clips gives every cell scale 1', async () => {
    const input = JSON.parse(await readFile(example('locations.json'), 'utf8'));
    const r = await oracle(['density', '-'], JSON.stringify({ ...input, params: {} }));
    expect(new Set(Object.values(JSON.parse(r.stdout).scales))).toEqual(new Set(['1']));
  });

  it('verify takes given hex scales keyed by u64 decimal cells instead of the density map', async () => {
    const round = JSON.parse(await roundText());
    const beaconerCell = round.hotspots[0].location as string;
    round.hexScales = { [BigInt('0x' + beaconerCell).toString()]: '0.25' };
    const out = JSON.parse((await oracle(['verify', '-'], JSON.stringify(round))).stdout);
    // w = 2 → units 0.5 / 1; the scale is the given 0.25.
    expect(out.beacon).toEqual({ status: 'valid', reason: null, hexScale: '0.25', rewardUnit: '0.5' });
    expect(out.witnesses[0]).toMatchObject({ hexScale: '0.25', rewardUnit: '1', selected: true });
  });

  it('verify uses regionParams: a one-channel EU868 plan moves the beacon to 867.1 MHz, so the reported 867.9 MHz is invalid_packet', async () => {
    const round = JSON.parse(await roundText());
    round.regionParams = { EU868: [{ channelFrequencyHz: 867_100_000, bandwidthHz: 125_000, maxEirpDbm: 16.1, spreading: [{ sf: 12, maxPacketSize: 65 }] }] };
    const out = JSON.parse((await oracle(['verify', '-'], JSON.stringify(round))).stdout);
    expect(out.beacon.reason).toBe('invalid_packet');
    expect(out.witnesses.every((w: { reason: string }) => w.reason === 'invalid_packet')).toBe(true);
  });

  it('verify applies parameter overrides (a 100 ms lag limit makes the 380 ms and 420 ms witnesses too late)', async () => {
    const round = JSON.parse(await roundText());
    round.params = { maxBeaconToWitnessLagMs: 100 };
    const out = JSON.parse((await oracle(['verify', '-'], JSON.stringify(round))).stdout);
    expect(out.witnesses.slice(0, 2).map((w: { reason: string }) => w.reason)).toEqual(['too_late', 'too_late']);
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
  // The binary lives in @hexium/harness (it adds `oracle harness`, which runs the simulator); spawned by
  // path, not imported, so the oracle package still depends on nothing above it.
  it('runs a harness command end to end and exits 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'harness', 'bin', 'oracle.mjs'), 'rewards', example('epoch.json')], { cwd: root });
    expect(JSON.parse(stdout)).toEqual(await expected('epoch.out.json'));
  });
});
