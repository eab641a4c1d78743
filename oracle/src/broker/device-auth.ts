/**
 * Broker authentication and authorization rules (docs/protocol.md "Authentication", docs/security.md
 * "Devices and MQTT"), as plain functions the embedded broker's hooks and the HTTP auth endpoints for
 * external brokers (auth-http.ts) call. A hotspot connects with its address as username and the password
 * `<timestampMs>.<base64 ed25519 signature of "hexium-connect:<address>:<timestampMs>">`; the timestamp
 * must be within ±authSkewMs of the oracle clock and strictly newer than the last one accepted for that
 * address (no replay, remembered across restarts: store/connect-token-store.ts), and the hotspot must be onboarded.
 * A fleet connects as `fleet:<fleetId>` with its configured secret.
 *
 * The client id is bound to the authenticated identity (as Mosquitto's `use_identity_as_username` binds
 * the certificate's name): a hotspot's client id is its address; a fleet's is `fleet:<fleetId>` or
 * `fleet:<fleetId>:<suffix>`. A CONNECT with another identity's client id is refused before the broker
 * looks up sessions, so it can never close that identity's session; the same key reconnecting with its
 * own client id replaces its old session, as MQTT requires (MQTT 3.1.1 §3.1.4, MQTT-3.1.4-2).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { isValidAddress, verifyBytes } from '@hexium/shared/identity/index';
import {
  HOTSPOT_EVENT_SCHEMAS,
  HotspotStateSchema,
  LIMITS,
  parseStrictJson,
  type ParsedTopic,
  type Topics,
} from '@hexium/shared/protocol/index';
import { checkSchema } from './schema-check.ts';
import type { ConnectTokenStore } from '../store/connect-token-store.ts';

export type Identity = { kind: 'hotspot'; address: string } | { kind: 'fleet'; fleetId: string };

export type RefusalReason =
  | 'bad_username'
  | 'bad_token'
  | 'bad_signature'
  | 'stale_token'
  | 'replayed_token'
  | 'bad_fleet_secret'
  | 'not_onboarded'
  | 'foreign_client_id'
  | 'foreign_topic'
  | 'not_fleet_hotspot'
  | 'bad_json'
  | 'duplicate_key'
  | 'bad_unicode'
  | 'payload_too_large'
  | 'bad_schema'
  | 'address_mismatch';

/**
 * CONNACK return code of a connect refusal (MQTT 3.1.1 §3.2.2.3): 2 identifier rejected (the client id
 * belongs to another identity), 5 not authorized (a valid key never onboarded), 4 bad user name or
 * password (everything else). MQTT 5 equivalents: 0x85, 0x87, 0x86.
 */
export function connackCode(reason: RefusalReason): 2 | 4 | 5 {
  if (reason === 'foreign_client_id') return 2;
  if (reason === 'not_onboarded') return 5;
  return 4;
}

/** Payload refusals: the message is acknowledged and dropped, the connection stays (embedded-broker.ts). */
export const PAYLOAD_REFUSALS: ReadonlySet<RefusalReason> = new Set([
  'bad_json', 'duplicate_key', 'bad_unicode', 'payload_too_large', 'bad_schema', 'address_mismatch',
]);

const FLEET_CLIENT_SUFFIX = /^[A-Za-z0-9_.-]{1,64}$/;

/** Is `clientId` one the identity may use? (hotspot: its address; fleet: `fleet:<id>` or `fleet:<id>:<suffix>`) */
export function clientIdAllowed(identity: Identity, clientId: string): boolean {
  if (identity.kind === 'hotspot') return clientId === identity.address;
  const own = `fleet:${identity.fleetId}`;
  return clientId === own || (clientId.startsWith(own + ':') && FLEET_CLIENT_SUFFIX.test(clientId.slice(own.length + 1)));
}

export type DecodedPayload = { ok: true; value: Record<string, unknown> } | { ok: false; reason: RefusalReason };

/**
 * Decode and check a hotspot message: size bound, strict UTF-8 and JSON (no duplicate member names, no
 * lone surrogates), schema, and the address in the payload equal to the topic's. Shared by the embedded
 * broker's publish check and ingest (external broker), so both refuse the same messages.
 */
export function decodeHotspotPayload(parsed: Extract<ParsedTopic, { kind: 'hotspot-event' | 'hotspot-state' }>, payload: Buffer | string): DecodedPayload {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (bytes > LIMITS.devicePayloadBytes) return { ok: false, reason: 'payload_too_large' };
  let text: string;
  if (typeof payload === 'string') text = payload;
  else {
    try {
      text = utf8.decode(payload);
    } catch {
      return { ok: false, reason: 'bad_unicode' };
    }
  }
  const json = parseStrictJson(text);
  if (!json.ok) return { ok: false, reason: json.reason };
  const schema = parsed.kind === 'hotspot-state' ? HotspotStateSchema : HOTSPOT_EVENT_SCHEMAS[parsed.event];
  if (!checkSchema(schema, json.value)) return { ok: false, reason: 'bad_schema' };
  const v = json.value as Record<string, unknown>;
  const claimed = parsed.kind === 'hotspot-event' && parsed.event === 'ack' ? v.gatewayId : v.hotspot;
  if (claimed !== parsed.address) return { ok: false, reason: 'address_mismatch' };
  return { ok: true, value: v };
}

/** MQTT payloads are bytes; ours must be UTF-8 (RFC 8259 §8.1): invalid sequences are refused, not replaced. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  /** Is the hotspot onboarded? (the store is asked when the cache misses: another oracle may have onboarded it) */
  isOnboarded(address: string): Promise<boolean>;
  /** Replay memory of connect tokens (durable in the store). */
  tokens: ConnectTokenStore;
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; reason: RefusalReason };
export type PublishResult =
  | { ok: true; kind: 'event' | 'state'; address: string; event?: string; value: Record<string, unknown> }
  | { ok: false; reason: RefusalReason };

export function createDeviceAuth(opts: DeviceAuthOptions) {
  /** Last accepted token timestamp per address: a fast refusal of replays before asking the store. */
  const lastTokenMs = new Map<string, number>();
  const t = opts.topics;

  /**
   * Check a CONNECT. `clientId` null: the broker does not say (an HTTP auth hook without the client id);
   * the client-id rule is then the broker's to enforce (docs/security.md "External brokers").
   */
  async function authenticate(username: string | undefined, password: string | undefined, nowMs: number, clientId: string | null): Promise<AuthResult> {
    if (!username || username.length > 200) return { ok: false, reason: 'bad_username' };
    if (username.startsWith('fleet:')) {
      const fleetId = username.slice(6);
      const secret = Object.hasOwn(opts.fleets, fleetId) ? opts.fleets[fleetId] : undefined;
      if (secret === undefined || password === undefined || !sameSecret(secret, password)) return { ok: false, reason: 'bad_fleet_secret' };
      const identity: Identity = { kind: 'fleet', fleetId };
      if (clientId !== null && !clientIdAllowed(identity, clientId)) return { ok: false, reason: 'foreign_client_id' };
      return { ok: true, identity };
    }
    if (!isValidAddress(username)) return { ok: false, reason: 'bad_username' };
    const m = /^(\d{1,16})\.([A-Za-z0-9+/]{86}==)$/.exec(password ?? '');
    if (!m) return { ok: false, reason: 'bad_token' };
    const ts = Number(m[1]);
    if (!verifyBytes(Buffer.from(connectTokenMessage(username, ts)), Buffer.from(m[2], 'base64'), username)) {
      return { ok: false, reason: 'bad_signature' };
    }
    if (Math.abs(nowMs - ts) > opts.authSkewMs) return { ok: false, reason: 'stale_token' };
    const identity: Identity = { kind: 'hotspot', address: username };
    // Checked before the token is spent: a refused CONNECT leaves the token usable by its owner.
    if (clientId !== null && !clientIdAllowed(identity, clientId)) return { ok: false, reason: 'foreign_client_id' };
    if (!(await opts.isOnboarded(username))) return { ok: false, reason: 'not_onboarded' };
    if (ts <= (lastTokenMs.get(username) ?? -1)) return { ok: false, reason: 'replayed_token' };
    if (!(await opts.tokens.claim(username, ts))) return { ok: false, reason: 'replayed_token' };
    if (ts > (lastTokenMs.get(username) ?? -1)) lastTokenMs.set(username, ts);
    return { ok: true, identity };
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
    const decoded = decodeHotspotPayload(parsed, payload);
    if (!decoded.ok) return decoded;
    const v = decoded.value;
    return parsed.kind === 'hotspot-state'
      ? { ok: true, kind: 'state', address: parsed.address, value: v }
      : { ok: true, kind: 'event', address: parsed.address, event: parsed.event, value: v };
  }

  /** May `identity` publish on `topic`? The topic rule alone (an HTTP auth hook sees no payload). */
  function authorizePublishTopic(identity: Identity, topic: string): RefusalReason | null {
    const parsed = t.parse(topic);
    if (!parsed || (parsed.kind !== 'hotspot-event' && parsed.kind !== 'hotspot-state')) return 'foreign_topic';
    return mayActFor(identity, parsed.address);
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

  return { authenticate, authorizePublish, authorizePublishTopic, authorizeSubscribe };
}

export type DeviceAuth = ReturnType<typeof createDeviceAuth>;
