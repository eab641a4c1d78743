/** The shared main loop of a CLI: command lookup, `--help`, errors to stderr, exit codes. */
import { readFile } from 'node:fs/promises';
import { UsageError, type Command, type CommandIo } from '../src/cli/args.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readInput: async (p) => {
    if (p === '-') return readStdin();
    try {
      return await readFile(p, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  },
};

/**
 * Run `argv` (arguments after the program name) against a lazily loaded command table. Multi-word
 * commands (`manifest verify`) are table keys with a space.
 */
export async function runCli(
  program: string,
  description: string,
  table: Record<string, () => Promise<{ default: Command }>>,
  argv: string[],
  io: CommandIo = processIo,
): Promise<number> {
  const names = Object.keys(table);
  const usage = async () => {
    const lines = [`Usage: ${program} <command> [options]`, '', description, '', 'Commands:'];
    for (const n of names) {
      try {
        lines.push(`  ${n.padEnd(16)} ${(await table[n]()).default.summary}`);
      } catch {
        lines.push(`  ${n.padEnd(16)} (unavailable)`);
      }
    }
    lines.push('', `Run "${program} <command> --help" for a command's options.`);
    return lines.join('\n') + '\n';
  };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(await usage());
    return argv.length === 0 ? 2 : 0;
  }
  const two = argv.slice(0, 2).join(' ');
  const key = table[two] ? two : argv[0];
  const rest = argv.slice(key.split(' ').length);
  if (!table[key]) {
    io.stderr(`${program}: unknown command "${argv[0]}"\n\n${await usage()}`);
    return 2;
  }
  const cmd = (await table[key]()).default;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.help.endsWith('\n') ? cmd.help : cmd.help + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${program} ${key}: ${e.message}\n(see "${program} ${key} --help")\n`);
      return 2;
    }
    io.stderr(`${program} ${key}: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
