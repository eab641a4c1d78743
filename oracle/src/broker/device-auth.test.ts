/** The broker's authentication and authorization rules (docs/protocol.md "Authentication"), one test per rule. */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { keyPairFromSeed, signBytes, signMessage } from '@hexium/shared/identity/index';
import { topics } from '@hexium/shared/protocol/index';
import { connectTokenMessage, createDeviceAuth } from './device-auth.ts';

const key = (n: string) => keyPairFromSeed(createHash('sha256').update(n).digest());
const alice = key('alice');
const bob = key('bob');
const NOW = 1_764_000_000_000;
const token = (k = alice, ts = NOW, signer = k) => `${ts}.${Buffer.from(signBytes(Buffer.from(connectTokenMessage(k.address, ts)), signer)).toString('base64')}`;

function auth() {
  const fleets: Record<string, string | null> = { [alice.address]: null, [bob.address]: 'sim' };
  return createDeviceAuth({ fleets: { sim: 's3cret' }, authSkewMs: 300_000, topics: topics('hexium'), fleetOf: (a) => fleets[a] ?? undefined });
}

const witness = (k = alice) =>
  JSON.stringify(signMessage({ v: 1, hotspot: k.address, dataHex: 'ab'.repeat(51), rssiDbm: -100, snrDb: 3, frequencyHz: 867_100_000, dataRate: 'SF12BW125', tmst: 1, timestampMs: 1 }, k));

describe('connect', () => {
  it('accepts a fresh token signed by the hotspot key', () => {
    expect(auth().authenticate(alice.address, token(), NOW)).toEqual({ ok: true, identity: { kind: 'hotspot', address: alice.address } });
  });
  it('refuses a token signed by another key', () => {
    expect(auth().authenticate(alice.address, token(alice, NOW, bob), NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });
  it('refuses a token more than 5 minutes old or ahead (300 000 ms + 1)', () => {
    const a = auth();
    expect(a.authenticate(alice.address, token(alice, NOW - 300_001), NOW)).toEqual({ ok: false, reason: 'stale_token' });
    expect(a.authenticate(alice.address, token(alice, NOW + 300_001), NOW)).toEqual({ ok: false, reason: 'stale_token' });
    expect(a.authenticate(alice.address, token(alice, NOW - 300_000), NOW).ok).toBe(true);
  });
  it('refuses a replayed token and any older one', () => {
    const a = auth();
    expect(a.authenticate(alice.address, token(alice, NOW - 10), NOW).ok).toBe(true);
    expect(a.authenticate(alice.address, token(alice, NOW - 10), NOW)).toEqual({ ok: false, reason: 'replayed_token' });
    expect(a.authenticate(alice.address, token(alice, NOW - 20), NOW)).toEqual({ ok: false, reason: 'replayed_token' });
    expect(a.authenticate(alice.address, token(alice, NOW - 9), NOW).ok).toBe(true);
  });
  it('refuses a malformed password and a username that is no address', () => {
    expect(auth().authenticate(alice.address, 'hello', NOW)).toEqual({ ok: false, reason: 'bad_token' });
    expect(auth().authenticate('someone', token(), NOW)).toEqual({ ok: false, reason: 'bad_username' });
    expect(auth().authenticate(undefined, undefined, NOW)).toEqual({ ok: false, reason: 'bad_username' });
  });
  it('accepts a fleet with its secret and refuses a wrong secret or unknown fleet', () => {
    expect(auth().authenticate('fleet:sim', 's3cret', NOW)).toEqual({ ok: true, identity: { kind: 'fleet', fleetId: 'sim' } });
    expect(auth().authenticate('fleet:sim', 'nope', NOW)).toEqual({ ok: false, reason: 'bad_fleet_secret' });
    expect(auth().authenticate('fleet:other', 's3cret', NOW)).toEqual({ ok: false, reason: 'bad_fleet_secret' });
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
