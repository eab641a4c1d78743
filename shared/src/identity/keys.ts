/**
 * Hotspot identity: an ed25519 key pair; its id is the Helium-style base58 address of the public key
 * (@helium/address: version 0, mainnet, ED25519 key type); its display name is the Helium three-word
 * animal name of that address (angry-purple-tiger).
 *
 * Uses node:crypto for ed25519 (pure computation, no I/O) — this module is for Node; the browser map
 * never signs. Keys are derived from a 32-byte seed passed in, so seeded simulations are reproducible.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import heliumAddress from '@helium/address';
import { NetTypes, KeyTypes } from '@helium/address';
import animalHash from 'angry-purple-tiger';

const Address = (heliumAddress as unknown as { default?: typeof heliumAddress }).default ?? heliumAddress;

// RFC 8410 DER prefixes for raw ed25519 keys.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface KeyPair {
  /** 32-byte private seed (keep secret). */
  seed: Uint8Array;
  /** 32-byte raw ed25519 public key. */
  publicKey: Uint8Array;
  /** Helium base58 address of the public key. */
  address: string;
  /** Helium three-word animal name of the address. */
  name: string;
  /** node:crypto private key object, for signing. */
  privateKeyObject: KeyObject;
}

export class IdentityError extends Error {
  override name = 'IdentityError';
}

/** Derive the key pair of a 32-byte seed. */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new IdentityError(`ed25519 seed must be 32 bytes, got ${seed.length}`);
  const privateKeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKeyObject).export({ format: 'jwk' });
  const publicKey = new Uint8Array(Buffer.from(jwk.x as string, 'base64url'));
  const address = addressFromPublicKey(publicKey);
  return { seed: new Uint8Array(seed), publicKey, address, name: animalName(address), privateKeyObject };
}

/** Helium base58 address (mainnet, ed25519) of a raw 32-byte public key. */
export function addressFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new IdentityError(`ed25519 public key must be 32 bytes, got ${publicKey.length}`);
  return new Address(0, NetTypes.MAINNET, KeyTypes.ED25519_KEY_TYPE, Buffer.from(publicKey)).b58;
}

/** Raw 32-byte public key of a Helium ed25519 address; throws IdentityError when it is not one. */
export function publicKeyFromAddress(address: string): Uint8Array {
  let parsed: InstanceType<typeof Address>;
  try {
    parsed = Address.fromB58(address);
  } catch {
    throw new IdentityError(`not a Helium address: "${address}"`);
  }
  if (parsed.keyType !== KeyTypes.ED25519_KEY_TYPE) throw new IdentityError(`not an ed25519 Helium address: "${address}"`);
  return new Uint8Array(parsed.publicKey);
}

/** True when `address` is a valid Helium ed25519 address. */
export function isValidAddress(address: unknown): address is string {
  if (typeof address !== 'string' || address.length < 40 || address.length > 60) return false;
  try {
    publicKeyFromAddress(address);
    return true;
  } catch {
    return false;
  }
}

/** Helium's three-word animal name (e.g. "angry-purple-tiger" style) of an address. */
export function animalName(address: string): string {
  return animalHash(address);
}

const publicKeyObjects = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 200_000;

/** node:crypto public key object for an address, cached (creating one costs more than a verify). */
export function publicKeyObject(address: string): KeyObject {
  let key = publicKeyObjects.get(address);
  if (!key) {
    const raw = publicKeyFromAddress(address);
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeyObjects.size >= MAX_CACHED_KEYS) publicKeyObjects.clear();
    publicKeyObjects.set(address, key);
  }
  return key;
}
