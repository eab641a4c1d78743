/** `hotspot-sim gateway` flag validation: every mistake is a UsageError naming the flag, before any I/O. */
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { UsageError, type CommandIo } from '@hexium/shared/cli/args';
import command, { parseUdpAddress, readKeyFile } from './gateway.ts';

const io: CommandIo = { stdout: () => undefined, stderr: () => undefined, readInput: async () => '' };
// RFC 8032 test 1 secret key; its address is computed by keyPairFromSeed, so a file with a wrong one is refused
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';

describe('hotspot-sim gateway flags', () => {
  let dir: string;
  let key: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hexium-gw-'));
    key = path.join(dir, 'key.json');
    await writeFile(key, JSON.stringify({ seedHex: SEED }));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('parses HOST:PORT and [IPv6]:PORT', () => {
    expect(parseUdpAddress('0.0.0.0:1680')).toEqual({ host: '0.0.0.0', port: 1680 });
    expect(parseUdpAddress('[::]:1700')).toEqual({ host: '::', port: 1700 });
    expect(() => parseUdpAddress('1680')).toThrow(UsageError);
    expect(() => parseUdpAddress('host:70000')).toThrow(UsageError);
  });

  it('reads a keygen file and refuses one whose address is not its seed\'s', async () => {
    const kp = await readKeyFile(key);
    expect(kp.seed).toEqual(new Uint8Array(Buffer.from(SEED, 'hex')));
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ seedHex: SEED, address: '11notit' }));
    await expect(readKeyFile(bad)).rejects.toThrow(/not the address of its seed/);
    await expect(readKeyFile(path.join(dir, 'missing.json'))).rejects.toThrow(UsageError);
  });

  it.each([
    [['--udp', '0.0.0.0:1680', '--broker', 'mqtt://x', '--oracle', 'http://x'], /--key is required/],
    [['--key', 'K', '--broker', 'mqtt://x', '--oracle', 'http://x'], /one --udp per --key/],
    [['--key', 'K', '--udp', '0.0.0.0:1680', '--oracle', 'http://x'], /--broker is required/],
    [['--key', 'K', '--udp', '0.0.0.0:1680', '--broker', 'http://x', '--oracle', 'http://x'], /--broker must start with mqtt:/],
    [['--key', 'K', '--udp', '0.0.0.0:1680', '--broker', 'mqtt://x', '--oracle', 'nope'], /--oracle must be a URL/],
    [['--key', 'K', '--key', 'K', '--udp', '0.0.0.0:1680', '--udp', '0.0.0.0:1680', '--broker', 'mqtt://x', '--oracle', 'http://x'], /given twice/],
    [['--key', 'K', '--udp', 'nope', '--broker', 'mqtt://x', '--oracle', 'http://x'], /--udp must be HOST:PORT/],
  ])('refuses %j', async (argv, message) => {
    const args = argv.map((a) => (a === 'K' ? key : a));
    await expect(command.run(args, io)).rejects.toThrow(message);
  });
});
