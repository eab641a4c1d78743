/**
 * `hotspot-sim keygen`: a hotspot identity — ed25519 key pair, Helium base58 address and animal name
 * (shared/src/identity/keys.ts). Public contract (issue 4): JSON { address, name, publicKeyHex,
 * seedHex }. The seed is the private key: the command says so on stderr.
 */
import { randomBytes } from 'node:crypto';
import { formatTable, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { keyPairFromSeed } from '@hexium/shared/identity/index';

const help = `Usage: hotspot-sim keygen [--seed HEX] [--json]

Make a hotspot identity: an ed25519 key pair, its Helium address (base58, mainnet, ed25519) and its
three-word animal name. Without --seed a random 32-byte seed comes from node:crypto.

The output contains the SECRET seed (the private key). Keep it private; anyone with it can sign as
this hotspot. A warning is printed on stderr.

Options:
  --seed HEX   32-byte seed as 64 hex characters (same seed ⇒ same identity)
  --json       print one JSON object: { "address", "name", "publicKeyHex", "seedHex" }
  --help       this text
`;

const command: Command = {
  name: 'keygen',
  summary: 'Make a hotspot identity (ed25519 key, Helium address, animal name); prints a secret',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, { seed: { type: 'string' }, json: { type: 'boolean' } });
    let seed: Uint8Array;
    if (values.seed !== undefined) {
      const s = values.seed.replace(/^0x/i, '');
      if (!/^[0-9a-fA-F]{64}$/.test(s)) throw new UsageError(`--seed must be 64 hex characters (32 bytes), got "${values.seed}"`);
      seed = new Uint8Array(Buffer.from(s, 'hex'));
    } else {
      seed = new Uint8Array(randomBytes(32));
    }
    const kp = keyPairFromSeed(seed);
    const out = {
      address: kp.address,
      name: kp.name,
      publicKeyHex: Buffer.from(kp.publicKey).toString('hex'),
      seedHex: Buffer.from(kp.seed).toString('hex'),
    };
    io.stderr('keygen: the output includes the SECRET seed (private key); store it safely.\n');
    if (values.json) {
      io.stdout(JSON.stringify(out) + '\n');
      return 0;
    }
    io.stdout(
      formatTable(
        [
          ['address', out.address],
          ['name', out.name],
          ['public key', out.publicKeyHex],
          ['seed (SECRET)', out.seedHex],
        ],
        ['field', 'value'],
      ),
    );
    return 0;
  },
};

export default command;
