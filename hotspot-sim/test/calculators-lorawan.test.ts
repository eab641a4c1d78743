/**
 * CLI contract tests (issue 4) for `decode`, `session-keys`, `beacon` and `keygen`: check the JSON keys
 * and values and the exit codes (0 ok, 2 bad input with a message on stderr). One block spawns the real
 * bin (`node harness/bin/hotspot-sim.mjs …`) for each command; the other cases run the same command
 * table through the same CLI main loop in-process (runCli), because every spawn costs seconds of tsx
 * start-up on a shared CI machine.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '@hexium/shared/node/run-cli';

// The binary lives in @hexium/harness (it wires the in-process oracle for `run`); spawned by path, not
// imported, so this package still depends on nothing above it.
const BIN = fileURLToPath(new URL('../../harness/bin/hotspot-sim.mjs', import.meta.url));

type Result = { code: number; stdout: string; stderr: string };

function spawnCli(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 300_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const table = {
  decode: () => import('../src/commands/decode.ts'),
  'session-keys': () => import('../src/commands/session-keys.ts'),
  beacon: () => import('../src/commands/beacon.ts'),
  keygen: () => import('../src/commands/keygen.ts'),
};

async function run(...args: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), readInput: async () => '' };
  const code = await runCli('hotspot-sim', 'test', table, args, io);
  return { code, stdout, stderr };
}

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const r = await run(...args, '--json');
  expect(r.stderr.includes('Error') ? r.stderr : '').toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1); // one JSON object
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const T = 300_000;

describe('the real bin (spawned)', () => {
  it('runs each command with --json and exits 2 on bad input', { timeout: 600_000 }, async () => {
    const [decode, keys, beacon, keygen, bad] = await Promise.all([
      spawnCli('decode', '40F17DBE4900020001954378762B11FF0D', '--nwkskey', '44024241ed4ce9a68c6a8bc055233fd3', '--appskey', 'ec925802ae430ca77fd3dd73cb2cc588', '--json'),
      spawnCli('session-keys', '--appkey', '01020304050607080102030405060708', '--netid', '010203', '--join-nonce', '65536', '--dev-nonce', '258', '--json'),
      spawnCli('beacon', '--remote-entropy', '00'.repeat(32), '--remote-ts', '1700000000', '--local-entropy', '01020304', '--region', 'EU868', '--json'),
      spawnCli('keygen', '--seed', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', '--json'),
      spawnCli('decode', 'zz'),
    ]);
    for (const r of [decode, keys, beacon, keygen]) expect(r.code).toBe(0);
    expect(JSON.parse(decode.stdout)).toMatchObject({ mType: 'UnconfirmedDataUp', micValid: true, payloadHex: '74657374' });
    expect(JSON.parse(keys.stdout)).toEqual({ nwkSKey: 'df53c35f3034ccced0ff354c70de04df', appSKey: '927b9c911183cffe4cb2ff4b75545f6d' });
    expect(JSON.parse(beacon.stdout)).toMatchObject({ dataRate: 'SF12BW125', txPowerDbm: 14 }); // default gain 1.2 dBi
    expect(JSON.parse(keygen.stdout).publicKeyHex).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/PHYPayload must be hex or base64/);
  });
});

describe('hotspot-sim decode', () => {
  it('decodes and decrypts the lora-packet README frame (hex), checking the MIC', { timeout: T }, async () => {
    const out = await json('decode', '40F17DBE4900020001954378762B11FF0D', '--nwkskey', '44024241ed4ce9a68c6a8bc055233fd3', '--appskey', 'ec925802ae430ca77fd3dd73cb2cc588');
    expect(out).toMatchObject({
      mType: 'UnconfirmedDataUp', devAddr: '49be7df1', fCnt: 2, fPort: 1, fOptsHex: '', adr: false, ack: false, micHex: '2b11ff0d', micValid: true,
      payloadHex: '74657374', // "test"
    });
  });

  it('reads base64, leaves micValid out without a key and adds fCnt32 with --fcnt-msb', { timeout: T }, async () => {
    const out = await json('decode', 'QPF9vkkAAgABlUN4disR/w0=', '--fcnt-msb', '1');
    expect(out).toMatchObject({ mType: 'UnconfirmedDataUp', devAddr: '49be7df1', fCnt: 2, fCnt32: 65538, payloadHex: '95437876' });
    expect(out).not.toHaveProperty('micValid');
  });

  it('decodes ChirpStack’s join request and join accept examples', { timeout: T }, async () => {
    const appKey = '0102030405060708090a0b0c0d0e0f10';
    const jr = await json('decode', '0001010101010101010202020202020202030309b97b32', '--appkey', appKey);
    expect(jr).toEqual({ mType: 'JoinRequest', joinEui: '0101010101010101', devEui: '0202020202020202', devNonce: 771, micHex: '09b97b32', micValid: true });
    const ja = await json('decode', '2023cf335489aae3183c0be0baa8dee5f3', '--appkey', appKey);
    expect(ja).toMatchObject({ mType: 'JoinAccept', joinNonce: 65793, netId: '020202', devAddr: '01020304', micHex: '3449f212', micValid: true });
  });

  it('prints a table by default and exits 2 with a message on garbage', { timeout: T }, async () => {
    const table = await run('decode', 'e0010203');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/mType\s+Proprietary/);
    const bad = await run('decode', '40f1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a LoRaWAN frame/);
    const badKey = await run('decode', '40F17DBE4900020001954378762B11FF0D', '--nwkskey', '1234');
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/--nwkskey must be 32 hex/);
  });
});

describe('hotspot-sim session-keys', () => {
  it('derives ChirpStack lrwn keys.rs lorawan_1_0 keys', { timeout: T }, async () => {
    const out = await json('session-keys', '--appkey', '01020304050607080102030405060708', '--netid', '010203', '--join-nonce', '65536', '--dev-nonce', '258');
    // [223, 83, 195, 95, 48, 52, 204, 206, 208, 255, 53, 76, 112, 222, 4, 223] and [146, 123, 156, 145, …, 109]
    expect(out).toEqual({ nwkSKey: 'df53c35f3034ccced0ff354c70de04df', appSKey: '927b9c911183cffe4cb2ff4b75545f6d' });
  });

  it('exits 2 when a required flag is missing', { timeout: T }, async () => {
    const r = await run('session-keys', '--appkey', '01020304050607080102030405060708', '--netid', '010203', '--join-nonce', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dev-nonce is required/);
  });
});

describe('hotspot-sim beacon', () => {
  it('gives the EU868 beacon: SF12BW125, 16.1 − 1.2 → 14 dBm, channel from the first two payload bytes', { timeout: T }, async () => {
    const out = await json('beacon', '--remote-entropy', '00'.repeat(32), '--remote-ts', '1700000000', '--local-entropy', '01020304', '--region', 'EU868', '--gain', '1.2');
    expect(out.dataRate).toBe('SF12BW125');
    expect(out.txPowerDbm).toBe(14);
    const payload = Buffer.from(out.payloadHex as string, 'hex');
    expect(payload.length).toBe(51);
    expect(out.frequencyHz).toBe(867_100_000 + 200_000 * (payload.readUInt16LE(0) % 8));
  });

  it('gives SF9BW125 in US915 and 36.0 − 6.0 = 30 dBm', { timeout: T }, async () => {
    const out = await json('beacon', '--remote-entropy', 'ab'.repeat(32), '--remote-ts', '1', '--local-entropy', 'deadbeef', '--region', 'US915', '--gain', '6');
    expect(out).toMatchObject({ dataRate: 'SF9BW125', txPowerDbm: 30 });
  });

  it('refuses an unknown region and entropy version 2', { timeout: T }, async () => {
    const r = await run('beacon', '--remote-entropy', '00', '--remote-ts', '1', '--local-entropy', '00', '--region', 'XX999');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--region must be one of/);
    const v = await run('beacon', '--remote-entropy', '00', '--remote-ts', '1', '--remote-version', '2', '--local-entropy', '00', '--region', 'EU868');
    expect(v.code).toBe(2);
  });
});

describe('hotspot-sim keygen', () => {
  it('derives the identity of a given seed (RFC 8032 TEST 1 public key) and warns about the secret', { timeout: T }, async () => {
    const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    const r = await run('keygen', '--seed', seed, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/SECRET/);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(out.publicKeyHex).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(out.seedHex).toBe(seed);
    expect(out.address).toMatch(/^1[1-9A-HJ-NP-Za-km-z]{40,60}$/);
    expect(out.name.split(' ')).toHaveLength(3);
  });

  it('makes a fresh random identity without --seed and refuses a short seed', { timeout: T }, async () => {
    const [a, b] = await Promise.all([json('keygen'), json('keygen')]);
    expect(a.seedHex).toMatch(/^[0-9a-f]{64}$/);
    expect(a.seedHex).not.toBe(b.seedHex);
    const bad = await run('keygen', '--seed', 'abcd');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--seed must be 64 hex/);
  });
});
