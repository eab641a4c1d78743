/**
 * Validate a decoded message against its schema, with readable error lines. Checks are compiled once per
 * schema (TypeBox `Compile`: ≈ 6 µs a report against ≈ 200 µs for the interpreted `Value.Check`); where
 * code generation is not allowed (a page whose CSP forbids eval) the interpreted check is used.
 */
import Value from 'typebox/value';
import { Compile } from 'typebox/compile';
import type { TSchema, Static } from 'typebox';

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const compiled = new WeakMap<TSchema, ((value: unknown) => boolean) | null>();

/** True when `value` matches `schema` (the compiled check, built on first use). */
export function checkSchema(schema: TSchema, value: unknown): boolean {
  let check = compiled.get(schema);
  if (check === undefined) {
    try {
      const c = Compile(schema);
      check = (v: unknown) => c.Check(v);
    } catch {
      check = null;
    }
    compiled.set(schema, check);
  }
  return check ? check(value) : Value.Check(schema, value);
}

export function validateMessage<S extends TSchema>(schema: S, value: unknown): Validation<Static<S>> {
  if (checkSchema(schema, value)) return { ok: true, value: value as Static<S> };
  const errors = [...Value.Errors(schema, value)].slice(0, 10).map((e) => `${e.instancePath || '/'}: ${e.message}`);
  return { ok: false, errors };
}

/** Why a payload is not acceptable JSON (documented drop reasons, docs/protocol.md "Drop reasons"). */
export type JsonRefusal = 'bad_json' | 'duplicate_key' | 'bad_unicode';
export type StrictJson = { ok: true; value: unknown } | { ok: false; reason: JsonRefusal; error: string };

/** A UTF-16 surrogate not paired: with the `u` flag a well-formed pair is one code point, never matched. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Parse JSON strictly: RFC 8259 syntax (JSON.parse), no object with the same member name twice at any depth
 * (RFC 8259 §4 says names SHOULD be unique and leaves duplicates to each parser: the one that signed and the
 * one that reads could see different values), and no lone UTF-16 surrogate in any string or name, escaped or
 * not (RFC 8259 §8.2 calls such strings unpredictable; RFC 8785 canonical JSON, which signatures cover,
 * cannot encode them). Iterative, so deep nesting cannot overflow the stack.
 */
export function parseStrictJson(text: string): StrictJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: 'bad_json', error: (e as Error).message };
  }
  // The text is valid JSON: scan its tokens for member names (per open object) and strings.
  const objects: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      objects.push(new Set());
      expectName = true;
    } else if (c === 0x5b /* [ */) {
      objects.push(null);
      expectName = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      objects.pop();
      expectName = false;
    } else if (c === 0x2c /* , */) {
      expectName = objects.length > 0 && objects[objects.length - 1] !== null;
    } else if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      // most strings have no escape: their text is their value, with no JSON.parse per string (a hot path:
      // every MQTT payload passes here)
      const raw = text.slice(i + 1, j);
      const str = raw.includes('\\') ? (JSON.parse(text.slice(i, j + 1)) as string) : raw;
      if (LONE_SURROGATE.test(str)) return { ok: false, reason: 'bad_unicode', error: `lone UTF-16 surrogate in string at offset ${i}` };
      if (expectName) {
        const names = objects[objects.length - 1]!;
        if (names.has(str)) return { ok: false, reason: 'duplicate_key', error: `duplicate member name ${JSON.stringify(str)} at offset ${i}` };
        names.add(str);
        expectName = false;
      }
      i = j;
    }
  }
  return { ok: true, value };
}

/** Parse a JSON payload (bytes or string) strictly (parseStrictJson) and validate it. */
export function decodeMessage<S extends TSchema>(schema: S, payload: Uint8Array | string): Validation<Static<S>> {
  const parsed = parseStrictJson(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  if (!parsed.ok) {
    return { ok: false, errors: [parsed.reason === 'bad_json' ? `payload is not JSON: ${parsed.error}` : `payload refused (${parsed.reason}): ${parsed.error}`] };
  }
  return validateMessage(schema, parsed.value);
}
