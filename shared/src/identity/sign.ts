/**
 * Signing and verifying messages: the signature is ed25519 over the RFC 8785 canonical JSON of the
 * message without its `signature` field, carried as base64 in `signature`.
 */
import { sign as edSign, verify as edVerify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { publicKeyObject, type KeyPair } from './keys.ts';

/** RFC 8785 (JCS) canonical JSON, by the `canonicalize` package (the reference for {@link fastCanonicalJson}). */
export function canonicalJsonReference(value: unknown): string {
  const out = (canonicalize as unknown as (v: unknown) => string | undefined)(value);
  if (out === undefined) throw new TypeError('value has no JSON form');
  return out;
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 512;

/**
 * The same RFC 8785 serialization as `canonicalize` (keys sorted by UTF-16 code units, ECMAScript number
 * and string forms via JSON.stringify, `toJSON` honoured, undefined/symbol members skipped, array holes →
 * null; NaN, ±Infinity, lone surrogates and bigint throw), without its per-character surrogate scan and
 * cycle set: it is on the hot path of every report verified. Cycles throw by depth instead.
 */
function fastCanonicalJson(value: unknown, depth: number, skipKey?: string): string {
  if (depth > MAX_DEPTH) throw new Error('Circular reference or nesting too deep');
  switch (typeof value) {
    case 'string':
      if (SURROGATE.test(value) && LONE_SURROGATE.test(value)) throw new Error('Lone surrogate is not allowed');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      break;
    default:
      return JSON.stringify(value) as string; // undefined, function, symbol: as canonicalize does
  }
  if (value === null) return 'null';
  const obj = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return fastCanonicalJson(obj.toJSON(), depth + 1);
  if (Array.isArray(obj)) {
    let out = '[';
    for (let i = 0; i < obj.length; i++) {
      const v = obj[i];
      if (i > 0) out += ',';
      const item = v === undefined || typeof v === 'symbol' ? 'null' : fastCanonicalJson(v, depth + 1);
      out += item === undefined ? '' : item; // Array#join's rendering of undefined, as canonicalize
    }
    return out + ']';
  }
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    if (k === skipKey) continue;
    const v = obj[k];
    if (v === undefined || typeof v === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += fastCanonicalJson(k, depth + 1) + ':' + fastCanonicalJson(v, depth + 1);
  }
  return out + '}';
}

/** RFC 8785 (JCS) canonical JSON. Throws on values JSON cannot carry (NaN, lone surrogates, bigint). */
export function canonicalJson(value: unknown): string {
  const out = fastCanonicalJson(value, 0) as string | undefined;
  if (out === undefined) throw new TypeError('value has no JSON form');
  return out;
}

/** The bytes a signature covers: canonical JSON of the message with `signature` removed. */
export function signingBytes(message: Record<string, unknown>): Buffer {
  return Buffer.from(fastCanonicalJson(message, 0, 'signature'), 'utf8');
}

/** Raw ed25519 signature of bytes. */
export function signBytes(bytes: Uint8Array, key: KeyPair): Uint8Array {
  return new Uint8Array(edSign(null, bytes, key.privateKeyObject));
}

/** Verify a raw ed25519 signature by the key of `address`. False (never throws) on a bad address. */
export function verifyBytes(bytes: Uint8Array, signature: Uint8Array, address: string): boolean {
  try {
    return signature.length === 64 && edVerify(null, bytes, publicKeyObject(address), signature);
  } catch {
    return false;
  }
}

/** Return a copy of `message` with `signature` (base64) set. */
export function signMessage<T extends Record<string, unknown>>(message: T, key: KeyPair): T & { signature: string } {
  const signature = Buffer.from(signBytes(signingBytes(message), key)).toString('base64');
  return { ...message, signature };
}

/** True when `message.signature` is a valid signature of the message by `address`. */
export function verifyMessage(message: Record<string, unknown>, address: string): boolean {
  const sig = message.signature;
  if (typeof sig !== 'string') return false;
  return verifyBytes(signingBytes(message), Buffer.from(sig, 'base64'), address);
}
