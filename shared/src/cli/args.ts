/**
 * Small helpers for the CLIs: flag parsing over node:util parseArgs with typed number checks and one
 * error type. Commands throw {@link UsageError} for bad input; the entry file prints it to stderr and
 * exits non-zero (2 for usage errors, 1 for failures).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Command {
  /** Name as typed after the program (`airtime`, `manifest verify`, …). */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Run with the arguments after the command name; resolves to the exit code. */
  run(argv: string[], io: CommandIo): Promise<number>;
}

/** Output and input streams, passed in so tests can capture them. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Read a file path, or stdin for `-`. */
  readInput: (pathOrDash: string) => Promise<string>;
}

/** parseArgs in strict mode with a UsageError for unknown or malformed flags. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals, allowNegative: false });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A number flag: finite, optionally an integer and within bounds. */
export function numberFlag(
  name: string,
  raw: string | undefined,
  opts: { required?: boolean; integer?: boolean; min?: number; max?: number; default?: number } = {},
): number {
  if (raw === undefined) {
    if (opts.default !== undefined) return opts.default;
    if (opts.required) throw new UsageError(`--${name} is required`);
    return NaN;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
  if (opts.integer && !Number.isInteger(value)) throw new UsageError(`--${name} must be an integer, got "${raw}"`);
  if (opts.min !== undefined && value < opts.min) throw new UsageError(`--${name} must be ≥ ${opts.min}, got ${raw}`);
  if (opts.max !== undefined && value > opts.max) throw new UsageError(`--${name} must be ≤ ${opts.max}, got ${raw}`);
  return value;
}

/** Render rows as an aligned plain-text table. */
export function formatTable(rows: (string | number)[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths = all[0]?.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length))) ?? [];
  const line = (r: (string | number)[]) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n') + '\n';
}
