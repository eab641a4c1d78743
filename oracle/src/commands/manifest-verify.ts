/** `oracle manifest verify <dir or file...>`: check reward manifests — hashes, signatures, chain. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { verifyManifestChain } from '../rewards/index.ts';

const help = `Usage: oracle manifest verify <dir | file.json> [more ...]

Check reward manifests (RewardManifest JSON, one per file or an array per file; a directory means
every *.json in it): each manifest's schema, SHA-256 hash of its canonical JSON (without hash and
signature), ed25519 signature by its "oracle" address, rewards sorted by hotspot, total ≤ emission;
then, in epoch order, consecutive epochs, prevHash = previous hash and startS = previous endS.

Output:
  { "valid": true|false, "manifests": <count>, "epochs": [first, last] | null, "errors": [ "..." ] }

Exit: 0 when valid, 1 when any check fails, 2 on unreadable input.
`;

async function filesOf(path: string): Promise<string[]> {
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!s.isDirectory()) return [path];
  return (await readdir(path)).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f));
}

const command: Command = {
  name: 'manifest verify',
  summary: 'verify reward manifests: hashes, signatures, chain',
  help,
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {}, true);
    if (positionals.length === 0) throw new UsageError('expected at least one manifest file or directory');
    const manifests: unknown[] = [];
    for (const p of positionals) {
      for (const f of await filesOf(p)) {
        const text = await io.readInput(f);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          throw new UsageError(`${f} is not valid JSON: ${(e as Error).message}`);
        }
        manifests.push(...(Array.isArray(value) ? value : [value]));
      }
    }
    if (manifests.length === 0) throw new UsageError('no manifests found');
    const check = verifyManifestChain(manifests);
    const epochs = manifests.map((m) => (m as { epoch?: unknown }).epoch).filter((e): e is number => typeof e === 'number');
    io.stdout(
      JSON.stringify({ valid: check.valid, manifests: manifests.length, epochs: epochs.length ? [Math.min(...epochs), Math.max(...epochs)] : null, errors: check.errors }, null, 2) + '\n',
    );
    return check.valid ? 0 : 1;
  },
};
export default command;
