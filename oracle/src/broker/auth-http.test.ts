/**
 * The HTTP auth endpoints for external brokers (auth-http.ts) through Fastify inject: the requests
 * RabbitMQ 3.10's rabbitmq_auth_backend_http sends (query strings as logged from a real node:
 * `user?username&password&vhost&client_id`, `topic?…&routing_key=hexium.hotspot.<a>.event.beacon&
 * variable_map.client_id=…`) and the JSON hooks of EMQX / mosquitto-go-auth.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import { keyPairFromSeed, signBytes } from '@hexium/shared/identity/index';
import { topics } from '@hexium/shared/protocol/index';
import { connectTokenMessage, createDeviceAuth } from './device-auth.ts';
import { memoryTokenStore } from '../store/connect-token-store.ts';
import { brokerAuthRoutes, mqttTopicFromRoutingKey } from './auth-http.ts';

const key = (n: string) => keyPairFromSeed(createHash('sha256').update(n).digest());
const alice = key('alice');
const bob = key('bob');
const mallory = key('mallory');
const NOW = 1_764_000_000_000;
const token = (k = alice, ts = NOW) => `${ts}.${Buffer.from(signBytes(Buffer.from(connectTokenMessage(k.address, ts)), k)).toString('base64')}`;

async function app() {
  const onboarded: Record<string, string | null> = { [alice.address]: null, [bob.address]: 'sim' };
  const refusals: string[] = [];
  const auth = createDeviceAuth({
    fleets: { sim: 's3cret' }, authSkewMs: 300_000, topics: topics('hexium'), fleetOf: (a) => onboarded[a] ?? undefined,
    isOnboarded: (a) => Promise.resolve(a in onboarded), tokens: memoryTokenStore(),
  });
  const a = Fastify();
  await a.register(brokerAuthRoutes({ auth, clock: { now: () => NOW }, fleets: { sim: 's3cret' }, onRefused: (r, s) => refusals.push(`${s}.${r}`) }));
  await a.ready();
  return { a, refusals };
}

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

describe('RabbitMQ rabbitmq_auth_backend_http paths', () => {
  it('user: allow a fresh token with its own client id; deny a replay, a foreign client id and a key never onboarded', async () => {
    const { a, refusals } = await app();
    const user = async (o: Record<string, string>) => (await a.inject({ url: `/api/v1/broker-auth/rabbitmq/user?${q({ vhost: '/', ...o })}` })).body;
    expect(await user({ username: alice.address, password: token(), client_id: alice.address })).toBe('allow');
    expect(await user({ username: alice.address, password: token(), client_id: alice.address })).toBe('deny');
    expect(await user({ username: bob.address, password: token(bob), client_id: alice.address })).toBe('deny');
    expect(await user({ username: mallory.address, password: token(mallory), client_id: mallory.address })).toBe('deny');
    expect(await user({ username: 'fleet:sim', password: 'wrong', client_id: 'fleet:sim' })).toBe('deny');
    expect(refusals).toEqual(['connect.replayed_token', 'connect.foreign_client_id', 'connect.not_onboarded', 'connect.bad_fleet_secret']);
    // the POST form RabbitMQ sends with auth_http.http_method = post
    const post = await a.inject({ method: 'POST', url: '/api/v1/broker-auth/rabbitmq/user', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: q({ username: 'fleet:sim', password: 's3cret', client_id: 'fleet:sim:1' }) });
    expect(post.body).toBe('allow');
  });

  it('topic: maps routing keys back to MQTT topics and applies the topic rules', async () => {
    // RabbitMQ's MQTT plugin swaps "/" and "." and writes "+" as "*"
    expect(mqttTopicFromRoutingKey('hexium.hotspot.abc.command.*')).toBe('hexium/hotspot/abc/command/+');
    expect(mqttTopicFromRoutingKey('a/b.c')).toBe('a.b/c');
    const { a, refusals } = await app();
    const topic = async (permission: string, key: string, clientId = alice.address, username = alice.address) =>
      (await a.inject({ url: `/api/v1/broker-auth/rabbitmq/topic?${q({ username, vhost: '/', resource: 'topic', name: 'amq.topic', permission, routing_key: key, 'variable_map.client_id': clientId })}` })).body;
    expect(await topic('write', `hexium.hotspot.${alice.address}.event.beacon`)).toBe('allow');
    expect(await topic('write', `hexium.hotspot.${bob.address}.event.beacon`)).toBe('deny');
    expect(await topic('read', `hexium.hotspot.${alice.address}.command.*`)).toBe('allow');
    expect(await topic('read', `hexium.hotspot.${bob.address}.command.*`)).toBe('deny');
    expect(await topic('read', 'hexium.#')).toBe('deny');
    // a session whose client id is not the username's own is denied everything
    expect(await topic('write', `hexium.hotspot.${alice.address}.event.beacon`, bob.address)).toBe('deny');
    // a fleet cannot subscribe to every hotspot's commands here (no per-delivery filter on RabbitMQ)
    expect(await topic('read', 'hexium.hotspot.*.command.*', 'fleet:sim', 'fleet:sim')).toBe('deny');
    expect(await topic('read', `hexium.hotspot.${bob.address}.command.*`, 'fleet:sim', 'fleet:sim')).toBe('allow');
    expect(refusals).toEqual(['publish.foreign_topic', 'subscribe.foreign_topic', 'subscribe.foreign_topic', 'publish.foreign_topic', 'subscribe.foreign_topic']);
  });

  it("resource: the MQTT exchange and the client's own subscription queues only", async () => {
    const { a } = await app();
    const res = async (resource: string, name: string, permission: string) =>
      (await a.inject({ url: `/api/v1/broker-auth/rabbitmq/resource?${q({ username: alice.address, vhost: '/', resource, name, permission, client_id: alice.address })}` })).body;
    expect(await res('exchange', 'amq.topic', 'write')).toBe('allow');
    expect(await res('exchange', 'amq.direct', 'write')).toBe('deny');
    expect(await res('queue', `mqtt-subscription-${alice.address}qos1`, 'configure')).toBe('allow');
    expect(await res('queue', `mqtt-subscription-${bob.address}qos1`, 'read')).toBe('deny');
  });
});

describe('JSON hooks (EMQX, mosquitto-go-auth)', () => {
  it('connect and acl answer 200 allow or 403 deny with the reason', async () => {
    const { a } = await app();
    const ok = await a.inject({ method: 'POST', url: '/api/v1/broker-auth/connect', payload: { username: alice.address, password: token(), clientid: alice.address } });
    expect([ok.statusCode, ok.json()]).toEqual([200, { result: 'allow', ok: true }]);
    const no = await a.inject({ method: 'POST', url: '/api/v1/broker-auth/connect', payload: { username: mallory.address, password: token(mallory), clientid: mallory.address } });
    expect([no.statusCode, no.json()]).toEqual([403, { result: 'deny', ok: false, error: 'not_onboarded' }]);
    const acl = async (body: Record<string, unknown>) => (await a.inject({ method: 'POST', url: '/api/v1/broker-auth/acl', payload: { username: alice.address, clientid: alice.address, ...body } })).statusCode;
    expect(await acl({ action: 'publish', topic: `hexium/hotspot/${alice.address}/event/witness` })).toBe(200);
    expect(await acl({ action: 'publish', topic: `hexium/hotspot/${bob.address}/event/witness` })).toBe(403);
    // mosquitto-go-auth: acc 2 = write, 4 = subscribe, 1 = read (delivery)
    expect(await acl({ acc: 2, topic: `hexium/hotspot/${alice.address}/state/conn` })).toBe(200);
    expect(await acl({ acc: 4, topic: `hexium/hotspot/${bob.address}/command/+` })).toBe(403);
    expect(await acl({ acc: 1, topic: 'hexium/entropy' })).toBe(200);
  });
});
