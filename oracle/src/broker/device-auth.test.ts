/** The broker's authentication and authorization rules (docs/protocol.md "Authentication"), one test per rule. */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { keyPairFromSeed, signBytes, signMessage } from '@hexium/shared/identity/index';
import { topics } from '@hexium/shared/protocol/index';
import { openPglite } from '../store/pglite-sql.ts';
import { migrate } from '../store/migrate.ts';
import { clientIdAllowed, connackCode, connectTokenMessage, createDeviceAuth } from './device-auth.ts';
import { memoryTokenStore, sqlTokenStore, type ConnectTokenStore } from '../store/connect-token-store.ts';

const key = (n: string) => keyPairFromSeed(createHash('sha256').update(n).digest());
const alice = key('alice');
const bob = key('bob');
/** A valid key that was never onboarded. */
const mallory = key('mallory');
const NOW = 1_764_000_000_000;
const token = (k = alice, ts = NOW, signer = k) => `${ts}.${Buffer.from(signBytes(Buffer.from(connectTokenMessage(k.address, ts)), signer)).toString('base64')}`;

function auth(tokens: ConnectTokenStore = memoryTokenStore()) {
  const fleets: Record<string, string | null> = { [alice.address]: null, [bob.address]: 'sim' };
  return createDeviceAuth({
    fleets: { sim: 's3cret' }, authSkewMs: 300_000, topics: topics('hexium'), fleetOf: (a) => fleets[a] ?? undefined,
    isOnboarded: (a) => Promise.resolve(a in fleets), tokens,
  });
}

const witness = (k = alice) =>
  JSON.stringify(signMessage({ v: 1, hotspot: k.address, dataHex: 'ab'.repeat(51), rssiDbm: -100, snrDb: 3, frequencyHz: 867_100_000, dataRate: 'SF12BW125', tmst: 1, timestampMs: 1 }, k));

describe('connect', () => {
  it('accepts a fresh token signed by the hotspot key', async () => {
    expect(await auth().authenticate(alice.address, token(), NOW, null)).toEqual({ ok: true, identity: { kind: 'hotspot', address: alice.address } });
  });
  it('refuses a token signed by another key', async () => {
    expect(await auth().authenticate(alice.address, token(alice, NOW, bob), NOW, null)).toEqual({ ok: false, reason: 'bad_signature' });
  });
  it('refuses a token more than 5 minutes old or ahead (300 000 ms + 1)', async () => {
    const a = auth();
    expect(await a.authenticate(alice.address, token(alice, NOW - 300_001), NOW, null)).toEqual({ ok: false, reason: 'stale_token' });
    expect(await a.authenticate(alice.address, token(alice, NOW + 300_001), NOW, null)).toEqual({ ok: false, reason: 'stale_token' });
    expect((await a.authenticate(alice.address, token(alice, NOW - 300_000), NOW, null)).ok).toBe(true);
  });
  it('refuses a replayed token and any older one', async () => {
    const a = auth();
    expect((await a.authenticate(alice.address, token(alice, NOW - 10), NOW, null)).ok).toBe(true);
    expect(await a.authenticate(alice.address, token(alice, NOW - 10), NOW, null)).toEqual({ ok: false, reason: 'replayed_token' });
    expect(await a.authenticate(alice.address, token(alice, NOW - 20), NOW, null)).toEqual({ ok: false, reason: 'replayed_token' });
    expect((await a.authenticate(alice.address, token(alice, NOW - 9), NOW, null)).ok).toBe(true);
  });
  it('refuses a malformed password and a username that is no address', async () => {
    expect(await auth().authenticate(alice.address, 'hello', NOW, null)).toEqual({ ok: false, reason: 'bad_token' });
    expect(await auth().authenticate('someone', token(), NOW, null)).toEqual({ ok: false, reason: 'bad_username' });
    expect(await auth().authenticate(undefined, undefined, NOW, null)).toEqual({ ok: false, reason: 'bad_username' });
  });
  it('accepts a fleet with its secret and refuses a wrong secret or unknown fleet', async () => {
    expect(await auth().authenticate('fleet:sim', 's3cret', NOW, null)).toEqual({ ok: true, identity: { kind: 'fleet', fleetId: 'sim' } });
    expect(await auth().authenticate('fleet:sim', 'nope', NOW, null)).toEqual({ ok: false, reason: 'bad_fleet_secret' });
    expect(await auth().authenticate('fleet:other', 's3cret', NOW, null)).toEqual({ ok: false, reason: 'bad_fleet_secret' });
  });
});

describe('publish', () => {
  const me = { kind: 'hotspot' as const, address: alice.address };
  it('accepts a valid report under its own event topic', () => {
    const r = auth().authorizePublish(me, `hexium/hotspot/${alice.address}/event/witness`, witness());
    expect(r).toMatchObject({ ok: true, kind: 'event', event: 'witness', address: alice.address });
  });
  it("refuses another hotspot's topic", () => {
    expect(auth().authorizePublish(me, `hexium/hotspot/${bob.address}/event/witness`, witness(bob))).toEqual({ ok: false, reason: 'foreign_topic' });
  });
  it('refuses topics outside the hotspot tree (commands, entropy, results)', () => {
    const a = auth();
    for (const t of [`hexium/hotspot/${alice.address}/command/challenge`, 'hexium/entropy', `hexium/poc/${alice.address}/result`, 'other/x']) {
      expect(a.authorizePublish(me, t, '{}')).toEqual({ ok: false, reason: 'foreign_topic' });
    }
  });
  it('refuses a payload that fails its schema, and one that is not JSON', () => {
    const bad = JSON.parse(witness());
    bad.rssiDbm = 'loud';
    expect(auth().authorizePublish(me, `hexium/hotspot/${alice.address}/event/witness`, JSON.stringify(bad))).toEqual({ ok: false, reason: 'bad_schema' });
    expect(auth().authorizePublish(me, `hexium/hotspot/${alice.address}/event/witness`, '{nope')).toEqual({ ok: false, reason: 'bad_json' });
  });
  it("refuses a report naming another hotspot than the topic's", () => {
    expect(auth().authorizePublish(me, `hexium/hotspot/${alice.address}/event/witness`, witness(bob))).toEqual({ ok: false, reason: 'address_mismatch' });
  });
  it('lets a fleet publish only for the hotspots onboarded with its fleet id', () => {
    const fleet = { kind: 'fleet' as const, fleetId: 'sim' };
    expect(auth().authorizePublish(fleet, `hexium/hotspot/${bob.address}/event/witness`, witness(bob)).ok).toBe(true);
    expect(auth().authorizePublish(fleet, `hexium/hotspot/${alice.address}/event/witness`, witness())).toEqual({ ok: false, reason: 'not_fleet_hotspot' });
  });
  it('accepts the retained connection state (the last will)', () => {
    const r = auth().authorizePublish(me, `hexium/hotspot/${alice.address}/state/conn`, JSON.stringify({ v: 1, hotspot: alice.address, state: 'OFFLINE' }));
    expect(r).toMatchObject({ ok: true, kind: 'state' });
  });
});

describe('subscribe', () => {
  const me = { kind: 'hotspot' as const, address: alice.address };
  it('allows its own commands and the public topics', () => {
    const a = auth();
    for (const f of [`hexium/hotspot/${alice.address}/command/+`, `hexium/hotspot/${alice.address}/command/challenge`, 'hexium/entropy', 'hexium/poc/+/result', `hexium/poc/${bob.address}/result`, 'hexium/rewards/manifest']) {
      expect(a.authorizeSubscribe(me, f), f).toBe(true);
    }
  });
  it("refuses another hotspot's commands, wildcards over the tree and others' events", () => {
    const a = auth();
    for (const f of [`hexium/hotspot/${bob.address}/command/+`, 'hexium/hotspot/+/command/+', 'hexium/#', `hexium/hotspot/${bob.address}/event/beacon`, 'hexium/org/x/up']) {
      expect(a.authorizeSubscribe(me, f), f).toBe(false);
    }
  });
  it("lets a fleet subscribe to all commands (delivery is filtered to its hotspots) or one of its hotspots'", () => {
    const fleet = { kind: 'fleet' as const, fleetId: 'sim' };
    expect(auth().authorizeSubscribe(fleet, 'hexium/hotspot/+/command/+')).toBe(true);
    expect(auth().authorizeSubscribe(fleet, `hexium/hotspot/${bob.address}/command/down`)).toBe(true);
    expect(auth().authorizeSubscribe(fleet, `hexium/hotspot/${alice.address}/command/down`)).toBe(false);
  });
});

describe('issue 14: who may connect, with which client id', () => {
  it('refuses a valid key that was never onboarded: CONNACK 5, not authorized (MQTT 3.1.1 §3.2.2.3)', async () => {
    const r = await auth().authenticate(mallory.address, token(mallory), NOW, mallory.address);
    expect(r).toEqual({ ok: false, reason: 'not_onboarded' });
    expect(connackCode('not_onboarded')).toBe(5);
  });
  it("refuses another hotspot's client id with CONNACK 2, identifier rejected, and leaves the token unspent", async () => {
    const a = auth();
    expect(await a.authenticate(bob.address, token(bob), NOW, alice.address)).toEqual({ ok: false, reason: 'foreign_client_id' });
    expect(connackCode('foreign_client_id')).toBe(2);
    // a foreign or missing client id: refused; the owner's own id then works with the same token
    expect(await a.authenticate(bob.address, token(bob), NOW, `${bob.address}-2`)).toEqual({ ok: false, reason: 'foreign_client_id' });
    expect(await a.authenticate(bob.address, token(bob), NOW, bob.address)).toEqual({ ok: true, identity: { kind: 'hotspot', address: bob.address } });
  });
  it('binds fleet client ids to the fleet: fleet:<id> or fleet:<id>:<suffix>', async () => {
    const fleet = { kind: 'fleet' as const, fleetId: 'sim' };
    expect(clientIdAllowed(fleet, 'fleet:sim')).toBe(true);
    expect(clientIdAllowed(fleet, 'fleet:sim:sim-4242')).toBe(true);
    expect(clientIdAllowed(fleet, 'fleet:simx')).toBe(false);
    expect(clientIdAllowed(fleet, alice.address)).toBe(false);
    expect(await auth().authenticate('fleet:sim', 's3cret', NOW, alice.address)).toEqual({ ok: false, reason: 'foreign_client_id' });
    expect((await auth().authenticate('fleet:sim', 's3cret', NOW, 'fleet:sim:a')).ok).toBe(true);
  });
  it('a hotspot cannot take a fleet client id, nor a fleet a hotspot one', () => {
    expect(clientIdAllowed({ kind: 'hotspot', address: alice.address }, 'fleet:sim')).toBe(false);
    expect(clientIdAllowed({ kind: 'hotspot', address: alice.address }, bob.address)).toBe(false);
  });
  it('does not take fleet ids from the object prototype ("fleet:constructor")', async () => {
    expect(await auth().authenticate('fleet:constructor', 'x', NOW, null)).toEqual({ ok: false, reason: 'bad_fleet_secret' });
  });
});

describe('issue 14: connect-token replay memory survives a restart', () => {
  it('a token accepted before a restart is refused after it (same store, new broker state)', async () => {
    const sql = await openPglite('memory://');
    try {
      await migrate(sql);
      const before = auth(await sqlTokenStore(sql, { nowMs: NOW, authSkewMs: 300_000 }));
      expect((await before.authenticate(alice.address, token(alice, NOW - 5), NOW, alice.address)).ok).toBe(true);
      // "restart": a fresh auth (empty in-memory cache) over the same database
      const after = auth(await sqlTokenStore(sql, { nowMs: NOW + 1000, authSkewMs: 300_000 }));
      expect(await after.authenticate(alice.address, token(alice, NOW - 5), NOW + 1000, alice.address)).toEqual({ ok: false, reason: 'replayed_token' });
      expect(await after.authenticate(alice.address, token(alice, NOW - 6), NOW + 1000, alice.address)).toEqual({ ok: false, reason: 'replayed_token' });
      expect((await after.authenticate(alice.address, token(alice, NOW - 4), NOW + 1000, alice.address)).ok).toBe(true);
      // two concurrent connects with one token: exactly one is accepted (the conditional upsert)
      const twice = await Promise.all([1, 2].map(() => auth(sqlTokenStoreSync(sql)).authenticate(bob.address, token(bob, NOW), NOW, bob.address)));
      expect(twice.filter((r) => r.ok)).toHaveLength(1);
      // rows past the token lifetime are pruned at start: NOW - 4 + 300 000 < NOW + 400 000
      await sqlTokenStore(sql, { nowMs: NOW + 400_000, authSkewMs: 300_000 });
      expect((await sql.query('SELECT address FROM connect_tokens')).rows).toEqual([]);
    } finally {
      await sql.close();
    }
  });
});

/** A store over `sql` without the start-up prune (two processes sharing one database). */
function sqlTokenStoreSync(sql: Parameters<typeof sqlTokenStore>[0]): ConnectTokenStore {
  return {
    async claim(address, tokenMs) {
      const r = await sql.query(
        `INSERT INTO connect_tokens (address, last_token_ms) VALUES ($1, $2) ON CONFLICT (address) DO UPDATE SET last_token_ms = EXCLUDED.last_token_ms
         WHERE connect_tokens.last_token_ms < EXCLUDED.last_token_ms RETURNING address`,
        [address, tokenMs],
      );
      return r.rows.length === 1;
    },
  };
}

describe('issue 14: bounded, unambiguous payloads', () => {
  const me = { kind: 'hotspot' as const, address: alice.address };
  const topic = `hexium/hotspot/${alice.address}/event/witness`;
  it('refuses a payload over 16 KiB before parsing it (payload_too_large)', () => {
    const big = witness().replace(/}$/, `,"pad":"${'x'.repeat(16_384)}"}`);
    expect(auth().authorizePublish(me, topic, big)).toEqual({ ok: false, reason: 'payload_too_large' });
    expect(auth().authorizePublish(me, topic, Buffer.from(big))).toEqual({ ok: false, reason: 'payload_too_large' });
  });
  it('refuses a signed report with a duplicated field (duplicate_key), although its signature is valid', () => {
    // {"v":1,…,"v":1}: JSON.parse keeps the last value; the stored text would show both
    const dup = witness().replace(/^\{/, '{"hotspot":"' + bob.address + '",');
    expect(auth().authorizePublish(me, topic, dup)).toEqual({ ok: false, reason: 'duplicate_key' });
  });
  it('refuses a lone UTF-16 surrogate (bad_unicode) and bytes that are not UTF-8', () => {
    const w = JSON.parse(witness());
    const text = JSON.stringify(w).replace('"dataHex"', '"dataHex\\ud800"');
    expect(auth().authorizePublish(me, topic, text)).toEqual({ ok: false, reason: 'bad_unicode' });
    // 0xC3 0x28: an invalid 2-byte UTF-8 sequence (RFC 3629 §3)
    const bytes = Buffer.concat([Buffer.from('{"v":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(auth().authorizePublish(me, topic, bytes)).toEqual({ ok: false, reason: 'bad_unicode' });
  });
  it("a broker's HTTP hook sees only the topic: the same topic rule", () => {
    const a = auth();
    expect(a.authorizePublishTopic(me, topic)).toBeNull();
    expect(a.authorizePublishTopic(me, `hexium/hotspot/${bob.address}/event/witness`)).toBe('foreign_topic');
    expect(a.authorizePublishTopic({ kind: 'fleet', fleetId: 'sim' }, `hexium/hotspot/${alice.address}/state/conn`)).toBe('not_fleet_hotspot');
  });
});
