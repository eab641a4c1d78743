/** Validate a decoded message against its schema, with readable error lines. */
import Value from 'typebox/value';
import type { TSchema, Static } from 'typebox';

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function validateMessage<S extends TSchema>(schema: S, value: unknown): Validation<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value: value as Static<S> };
  const errors = [...Value.Errors(schema, value)].slice(0, 10).map((e) => `${e.instancePath || '/'}: ${e.message}`);
  return { ok: false, errors };
}

/** Parse a JSON payload (bytes or string) and validate it. */
export function decodeMessage<S extends TSchema>(schema: S, payload: Uint8Array | string): Validation<Static<S>> {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  } catch (e) {
    return { ok: false, errors: [`payload is not JSON: ${(e as Error).message}`] };
  }
  return validateMessage(schema, value);
}
