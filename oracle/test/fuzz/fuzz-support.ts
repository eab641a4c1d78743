/**
 * Shared pieces of the fuzz suites (docs/security-testing.md): how many inputs to run, the fixed seed,
 * the refusal vocabulary the docs promise, and nasty values that schema-shaped inputs are mutated with.
 *
 * `FUZZ_RUNS` sets the inputs per target: `npm run fuzz` sets 10 000; the unit tier (`npm test`) runs the
 * default slice below with a fixed seed so a failure reproduces. `FUZZ_SEED` replaces the seed (fast-check
 * prints the seed and the shrunk counterexample of a failure). `FUZZ_KNOWN_FAILING=1` also runs the
 * input families listed as known failing in each suite, inside the main properties.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** Inputs per target: 10 000 in `npm run fuzz`, a small slice in the unit tier. */
export const FUZZ_RUNS = envInt('FUZZ_RUNS', 120);
/** A fixed seed so the unit-tier slice is the same inputs on every run. */
export const FUZZ_SEED = envInt('FUZZ_SEED', 0x14e);
/** Run the known-failing families inside the main properties too (after the fixes are merged). */
export const INCLUDE_KNOWN_FAILING = process.env.FUZZ_KNOWN_FAILING === '1';

export const fcParams = (runs = FUZZ_RUNS): fc.Parameters<unknown> => ({ numRuns: runs, seed: FUZZ_SEED, endOnFailure: false });

/** The text between `start` and the next `end` heading (or the end of the file). */
function section(text: string, start: string, end?: string): string {
  const i = text.indexOf(start);
  if (i < 0) throw new Error(`docs section "${start}" not found`);
  const j = end === undefined ? -1 : text.indexOf(end, i + start.length);
  return text.slice(i, j < 0 ? text.length : j);
}

const doc = (name: string) => readFileSync(`${REPO}docs/${name}`, 'utf8');

/**
 * Every HTTP error code the docs promise: backticked UPPER_SNAKE names in docs/api.md (table "Errors",
 * onboarding checks) and docs/data-credits.md (organization routes).
 */
export function documentedHttpCodes(): Set<string> {
  const text = doc('api.md') + doc('data-credits.md');
  return new Set([...text.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]));
}

/**
 * Every MQTT refusal and ingest drop reason the docs promise: the backticked lower_snake names of
 * docs/api.md "Metrics" (`hexium_mqtt_refused_total` and `hexium_reports_dropped_total` reasons) and of
 * docs/protocol.md "Authorization" and "Signing" (the refusal table and "Other drop reasons").
 */
export function documentedMqttReasons(): Set<string> {
  const text = section(doc('api.md'), '## Metrics') + section(doc('protocol.md'), '## Authorization', '## Messages');
  return new Set([...text.matchAll(/`([a-z][a-z_]+)`/g)].map((m) => m[1]));
}

/** A string holding one UTF-16 surrogate half with nothing to pair with (not valid Unicode). */
export const loneSurrogate = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 4 }))
    .map(([a, s, b]) => `${a}${String.fromCharCode(s)}${b.replace(/[\ud800-\udfff]/g, '')}`)
    .filter((s) => LONE.test(s));

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_ESCAPED = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

/** True when JSON text holds a lone surrogate, raw or written as a `\uXXXX` escape. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE.test(text) || LONE_ESCAPED.test(text);
}

/** Numbers around the limits a route or column may have: int4/int8, 2^53, floats, negatives. */
export const edgeNumber = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 63, -(2 ** 31) - 1, 1e308, -1e308, 5e-324, 0.5, -0.0),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );

/** Any value a JSON parser can produce, with the edge numbers and odd strings mixed in. */
export const nastyJson = (opts: { loneSurrogates: boolean }): fc.Arbitrary<unknown> => {
  const str = fc.oneof(
    fc.string(),
    // 'binary' may draw surrogate halves: without `loneSurrogates` keep only well-formed strings.
    fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => opts.loneSurrogates || !LONE.test(s)),
    fc.constantFrom('', ' ', '0', '-1', 'null', 'true', '__proto__', 'constructor', '../../etc/passwd', '%00', '\u0000', '\u202e', 'NaN', '1e999', '९'),
    ...(opts.loneSurrogates ? [loneSurrogate()] : []),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      edgeNumber(),
      str,
      fc.array(tie('value'), { maxLength: 4 }),
      // Keys `__proto__` / `constructor` are a family of their own (http-fuzz.test.ts `json.proto-key`).
      fc.dictionary(str.filter((k) => k !== '__proto__' && k !== 'constructor'), tie('value'), { maxKeys: 4 }),
    ),
  }));
  return value;
};

/** Object paths of a JSON value (arrays by index), for mutating one field of a schema-shaped input. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

export type Mutation = { op: 'replace'; value: unknown } | { op: 'delete' } | { op: 'add'; key: string; value: unknown };

/** A deep copy of `base` with one mutation applied at `path` (the root when the path is empty). */
export function applyMutation(base: unknown, path: (string | number)[], m: Mutation): unknown {
  const copy = structuredClone(base) as any;
  if (path.length === 0) {
    if (m.op === 'replace') return m.value;
    if (m.op === 'add' && copy !== null && typeof copy === 'object' && !Array.isArray(copy)) {
      copy[m.key] = m.value;
      return copy;
    }
    return m.op === 'delete' ? undefined : copy;
  }
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path[path.length - 1];
  if (m.op === 'replace') parent[last] = m.value;
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last])) parent[last][m.key] = m.value;
  else parent[last] = m.value;
  return copy;
}

/** A schema-shaped value with one field replaced, deleted or given a sibling. */
export function mutated(base: fc.Arbitrary<unknown>, nasty: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return base.chain((b) => {
    const paths = pathsOf(b);
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      { arbitrary: nasty.map((value): Mutation => ({ op: 'replace', value })), weight: 4 },
      { arbitrary: fc.constant<Mutation>({ op: 'delete' }), weight: 1 },
      { arbitrary: fc.tuple(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__' && k !== 'constructor'), nasty).map(([key, value]): Mutation => ({ op: 'add', key, value })), weight: 1 },
    );
    return fc.tuple(fc.constantFrom(...paths), mutation).map(([p, m]) => applyMutation(b, p, m));
  });
}
