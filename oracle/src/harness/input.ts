/** Parse and validate a harness JSON document against a TypeBox schema; errors carry the JSON path. */
import Value from 'typebox/value';
import type { Static, TSchema } from 'typebox';
import { UsageError } from '@hexium/shared/cli/args';

/** JSON.parse + schema check; throws UsageError listing up to 10 problems as "<path>: <message>". */
export function parseInput<S extends TSchema>(text: string, schema: S, what: string): Static<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  const problems = [...Value.Errors(schema, value)].slice(0, 10).map((e) => `  ${e.instancePath || '/'}: ${e.message}`);
  if (problems.length > 0) throw new UsageError(`${what} does not match the expected format:\n${problems.join('\n')}`);
  return value as Static<S>;
}

