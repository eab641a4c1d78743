/**
 * Signing and verifying messages: the signature is ed25519 over the RFC 8785 canonical JSON of the
 * message without its `signature` field, carried as base64 in `signature`.
 */
import { sign as edSign, verify as edVerify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { publicKeyObject, type KeyPair } from './keys.ts';

/** RFC 8785 (JCS) canonical JSON. Throws on values JSON cannot carry (NaN, lone surrogates, bigint). */
export function canonicalJson(value: unknown): string {
  const out = (canonicalize as unknown as (v: unknown) => string | undefined)(value);
  if (out === undefined) throw new TypeError('value has no JSON form');
  return out;
}

/** The bytes a signature covers: canonical JSON of the message with `signature` removed. */
export function signingBytes(message: Record<string, unknown>): Buffer {
  const { signature: _omit, ...rest } = message;
  return Buffer.from(canonicalJson(rest), 'utf8');
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
