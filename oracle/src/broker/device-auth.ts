/**
 * Broker authentication and authorization rules (docs/protocol.md "Authentication"), as plain functions
 * the embedded broker's hooks call. A hotspot connects with its address as username and the password
 * `<timestampMs>.<base64 ed25519 signature of "hexium-connect:<address>:<timestampMs>">`; the timestamp
 * must be within ±authSkewMs of the oracle clock and strictly newer than the last one accepted for that
 * address (no replay). A fleet connects as `fleet:<fleetId>` with its configured secret.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { isValidAddress, verifyBytes } from '@hexium/shared/identity/index';
import {
  HOTSPOT_EVENT_SCHEMAS,
  HotspotStateSchema,
  type Topics,
} from '@hexium/shared/protocol/index';
import { checkSchema } from './schema-check.ts';

export type Identity = { kind: 'hotspot'; address: string } | { kind: 'fleet'; fleetId: string };

export type RefusalReason =
  | 'bad_username'
  | 'bad_token'
  | 'bad_signature'
  | 'stale_token'
  | 'replayed_token'
  | 'bad_fleet_secret'
  | 'foreign_topic'
  | 'not_fleet_hotspot'
  | 'bad_json'
  | 'bad_schema'
  | 'address_mismatch';

/** The bytes a connect token signs. */
export function connectTokenMessage(address: string, timestampMs: number): string {
  return `hexium-connect:${address}:${timestampMs}`;
}

function sameSecret(a: string, b: string): boolean {
  // compare digests so lengths never leak and timingSafeEqual gets equal-length buffers
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export interface DeviceAuthOptions {
  fleets: Record<string, string>;
  authSkewMs: number;
  topics: Topics;
  /** Fleet of an onboarded hotspot: undefined = not onboarded, null = onboarded without fleet. */
  fleetOf(address: string): string | null | undefined;
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; reason: RefusalReason };
export type PublishResult =
  | { ok: true; kind: 'event' | 'state'; address: string; event?: string; value: Record<string, unknown> }
  | { ok: false; reason: RefusalReason };

export function createDeviceAuth(opts: DeviceAuthOptions) {
  /** Last accepted token timestamp per address (replay protection). */
  const lastTokenMs = new Map<string, number>();
  const t = opts.topics;

  function authenticate(username: string | undefined, password: string | undefined, nowMs: number): AuthResult {
    if (!username) return { ok: false, reason: 'bad_username' };
    if (username.startsWith('fleet:')) {
      const secret = opts.fleets[username.slice(6)];
      if (secret === undefined || password === undefined || !sameSecret(secret, password)) return { ok: false, reason: 'bad_fleet_secret' };
      return { ok: true, identity: { kind: 'fleet', fleetId: username.slice(6) } };
    }
    if (!isValidAddress(username)) return { ok: false, reason: 'bad_username' };
    const m = /^(\d{1,16})\.([A-Za-z0-9+/]{86}==)$/.exec(password ?? '');
    if (!m) return { ok: false, reason: 'bad_token' };
    const ts = Number(m[1]);
    if (!verifyBytes(Buffer.from(connectTokenMessage(username, ts)), Buffer.from(m[2], 'base64'), username)) {
      return { ok: false, reason: 'bad_signature' };
    }
    if (Math.abs(nowMs - ts) > opts.authSkewMs) return { ok: false, reason: 'stale_token' };
    if (ts <= (lastTokenMs.get(username) ?? -1)) return { ok: false, reason: 'replayed_token' };
    lastTokenMs.set(username, ts);
    return { ok: true, identity: { kind: 'hotspot', address: username } };
  }

  /** May `identity` act for hotspot `address`? */
  function mayActFor(identity: Identity, address: string): RefusalReason | null {
    if (identity.kind === 'hotspot') return identity.address === address ? null : 'foreign_topic';
    return opts.fleetOf(address) === identity.fleetId ? null : 'not_fleet_hotspot';
  }

  function authorizePublish(identity: Identity, topic: string, payload: Buffer | string): PublishResult {
    const parsed = t.parse(topic);
    if (!parsed || (parsed.kind !== 'hotspot-event' && parsed.kind !== 'hotspot-state')) return { ok: false, reason: 'foreign_topic' };
    const refused = mayActFor(identity, parsed.address);
    if (refused) return { ok: false, reason: refused };
    let value: unknown;
    try {
      value = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    } catch {
      return { ok: false, reason: 'bad_json' };
    }
    const schema = parsed.kind === 'hotspot-state' ? HotspotStateSchema : HOTSPOT_EVENT_SCHEMAS[parsed.event];
    if (!checkSchema(schema, value)) return { ok: false, reason: 'bad_schema' };
    const v = value as Record<string, unknown>;
    const claimed = parsed.kind === 'hotspot-event' && parsed.event === 'ack' ? v.gatewayId : v.hotspot;
    if (claimed !== parsed.address) return { ok: false, reason: 'address_mismatch' };
    return parsed.kind === 'hotspot-state'
      ? { ok: true, kind: 'state', address: parsed.address, value: v }
      : { ok: true, kind: 'event', address: parsed.address, event: parsed.event, value: v };
  }

  /** Subscriptions: own commands (a fleet: its hotspots' or all commands), entropy, PoC results, manifests. */
  function authorizeSubscribe(identity: Identity, filter: string): boolean {
    const p = t.prefix;
    const publicTopics = [`${p}/entropy`, `${p}/poc/+/result`, `${p}/rewards/manifest`];
    if (publicTopics.includes(filter)) return true;
    const pr = /^(.*)\/poc\/([^/+#]+)\/result$/.exec(filter);
    if (pr && pr[1] === p) return true;
    const m = new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/hotspot/([^/]+)/command/([^/]+)$`).exec(filter);
    if (!m) return false;
    const [, address, leaf] = m;
    if (leaf !== '+' && leaf !== 'down' && leaf !== 'challenge') return false;
    if (identity.kind === 'hotspot') return address === identity.address;
    return address === '+' || opts.fleetOf(address) === identity.fleetId;
  }

  return { authenticate, authorizePublish, authorizeSubscribe };
}

export type DeviceAuth = ReturnType<typeof createDeviceAuth>;
