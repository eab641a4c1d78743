/**
 * A real outside device against `oracle serve` (issue 9 "Real devices"): Debian's mosquitto_sub and
 * mosquitto_pub (package mosquitto-clients) and the plain-JS helpers of examples/sign.mjs, exactly as
 * docs/devices.md shows them — onboard with a signed POST, connect with a signed token, read the
 * retained entropy, publish a signed beacon report and see it ingested; a bad token is refused. Then
 * examples/device.mjs plays a full PoC round (two hotspots, reciprocity warm-up) and gets a valid verdict.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnServe, REPO_ROOT, type ServeProcess } from './serve-process.ts';

const run = promisify(execFile);
const hasMosquitto = spawnSync('mosquitto_pub', ['--help']).error === undefined;
if (!hasMosquitto) console.warn('device-mosquitto: mosquitto_pub/mosquitto_sub not found (apt-get install mosquitto-clients) — skipping the real-client test');

const SIGN = path.join(REPO_ROOT, 'examples/sign.mjs');
const SEED = 'c3'.repeat(32);
const BERLIN = '8c1f1d48945d9ff'; // res-12 cell at 52.5200 N 13.4050 E (EU868)
const sign = async (...args: string[]) => (await run(process.execPath, [SIGN, ...args])).stdout.trim();
/** Run a command with stdin text, resolve { code, stdout, stderr } (never rejects). */
function sh(cmd: string, args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(cmd, args, { timeout: 300_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1 : 0, stdout, stderr }),
    );
    if (stdin !== undefined) p.stdin!.end(stdin);
  });
}

describe.skipIf(!hasMosquitto)('a device using mosquitto_pub/mosquitto_sub against oracle serve', () => {
  let oracle: ServeProcess;
  let dir: string;
  let port: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hexium-device-'));
    // demo parameters (entropy lives 15 s, long enough for a signing subprocess on a loaded machine),
    // entropy every second and a quick verifier poll, so a round is verified soon after
    const paramsFile = path.join(dir, 'params.json');
    writeFileSync(paramsFile, JSON.stringify({ profile: 'demo', entropyIntervalMs: 1000, verifierPollMs: 300 }));
    oracle = await spawnServe(['--data-dir', 'memory://', '--params', paramsFile, '--admin-token', 'test-admin', '--log-level', 'info']);
    port = new URL(oracle.mqttUrl).port;
  });

  afterAll(async () => {
    await oracle?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${oracle.httpUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.split(' ')[0] === name);
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('onboards, connects with a token, reads entropy, publishes a signed beacon that is ingested', async () => {
    const address = await sign('address', SEED);
    const onboard = await fetch(`${oracle.httpUrl}/api/v1/hotspots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: await sign('onboard', SEED, BERLIN) });
    expect(onboard.status).toBe(201);
    expect(((await onboard.json()) as { hotspot: { region: string } }).hotspot.region).toBe('EU868');

    const sub = await sh('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-i', address, '-u', address, '-P', await sign('token', SEED), '-t', 'hexium/entropy', '-C', '1', '-W', '120']);
    expect(sub.code).toBe(0);
    const entropy = JSON.parse(sub.stdout) as { dataHex: string; timestampS: number };
    expect(entropy.dataHex).toMatch(/^[0-9a-f]{64}$/);

    const beacon = (await sh(process.execPath, [SIGN, 'beacon', SEED, oracle.httpUrl, 'EU868', '1.2'], sub.stdout)).stdout;
    expect(JSON.parse(beacon)).toMatchObject({ hotspot: address, remoteEntropyHex: entropy.dataHex, dataRate: 'SF12BW125' });
    const before = await metric('hexium_reports_ingested_total{kind="beacon"}');
    const pub = await sh('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-i', address, '-u', address, '-P', await sign('token', SEED), '-q', '1', '-t', `hexium/hotspot/${address}/event/beacon`, '-s'], beacon);
    expect(pub.code).toBe(0);
    // ingest is asynchronous: poll the counter (no timing assertion, just a bounded wait)
    let after = before;
    for (const end = Date.now() + 300_000; after === before && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 100));
      after = await metric('hexium_reports_ingested_total{kind="beacon"}');
    }
    expect(after).toBe(before + 1);
    // the stored beacon becomes a PoC round of this hotspot once its entropy has expired
    let rounds: { beaconer: string }[] = [];
    for (const end = Date.now() + 300_000; rounds.length === 0 && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 200));
      rounds = ((await (await fetch(`${oracle.httpUrl}/api/v1/rounds?hotspot=${address}`)).json()) as { rounds: { beaconer: string }[] }).rounds;
    }
    expect(rounds.map((r) => r.beaconer)).toEqual([address]);
  });

  it('refuses a bad token, and a token replayed', async () => {
    const address = await sign('address', SEED);
    const bad = await sh('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-i', address, '-u', address, '-P', '1767225600000.' + 'A'.repeat(86) + '==', '-t', `hexium/hotspot/${address}/event/beacon`, '-m', '{}']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/bad user name or password|not authori[sz]ed|refused/i);
    const token = await sign('token', SEED);
    const first = await sh('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-i', address, '-u', address, '-P', token, '-t', 'hexium/entropy', '-C', '1', '-W', '120']);
    expect(first.code).toBe(0);
    const replay = await sh('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-i', address, '-u', address, '-P', token, '-t', 'hexium/entropy', '-C', '1', '-W', '120']);
    expect(replay.code).not.toBe(0);
    expect(await metric('hexium_mqtt_refused_total{stage="connect",reason="bad_signature"}')).toBe(1);
    expect(await metric('hexium_mqtt_refused_total{stage="connect",reason="replayed_token"}')).toBe(1);
  });

  it('examples/device.mjs plays a full PoC round and gets a valid beacon and a selected witness', async () => {
    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'examples/device.mjs'), '--api', oracle.httpUrl, '--mqtt', oracle.mqttUrl, '--timeout-s', '300'], { timeout: 400_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { beacon: { status: string }; witnesses: { status: string; selected: boolean }[] };
    expect(result.beacon.status).toBe('valid');
    expect(result.witnesses).toHaveLength(1);
    expect(result.witnesses[0]).toMatchObject({ status: 'valid', selected: true });
  });
});
