/**
 * HTTP authentication and authorization for an external broker (`MQTT_URL`; docs/security.md "External
 * brokers"): the broker calls these endpoints for every CONNECT, publish and subscribe, and they apply
 * the embedded broker's rules (device-auth.ts, the same functions): connect tokens, onboarding, replay
 * memory, the client-id binding, topics. A broker hook sees no payload: size, strict JSON and schema are
 * checked again by ingest, which drops and counts what fails (docs/protocol.md "Drop reasons").
 *
 * - RabbitMQ `rabbitmq_auth_backend_http` (GET or POST form, answers `allow` / `deny` in text):
 *   `/api/v1/broker-auth/rabbitmq/{user,vhost,resource,topic}`. RabbitMQ's MQTT plugin maps a topic
 *   `a/b.c` to the routing key `a.b/c` (`/` and `.` swapped) and the wildcards `+`/`#` to `*`/`#`.
 * - JSON or form hooks of EMQX (HTTP authenticator and authorizer), mosquitto-go-auth (`http` backend)
 *   and VerneMQ-style webhooks: `POST /api/v1/broker-auth/connect` {username, password, clientid} and
 *   `POST /api/v1/broker-auth/acl` {username, clientid, topic, action: publish|subscribe, or acc 1|2|4}.
 *   Allowed: 200 `{"result":"allow","ok":true}`; refused: 403 `{"result":"deny","ok":false,"error":reason}`
 *   (a status code alone is enough for mosquitto-go-auth's `status` mode).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '@hexium/shared/clock';
import { isValidAddress } from '@hexium/shared/identity/index';
import { clientIdAllowed, type DeviceAuth, type Identity, type RefusalReason } from './device-auth.ts';

export interface BrokerAuthHttpOptions {
  auth: DeviceAuth;
  clock: Pick<Clock, 'now'>;
  fleets: Record<string, string>;
  /** The exchange MQTT publishes go through (RabbitMQ `mqtt.exchange`, default `amq.topic`). */
  exchange?: string;
  onRefused(reason: RefusalReason, stage: 'connect' | 'publish' | 'subscribe'): void;
}

type Params = Record<string, string | undefined>;

/**
 * The identity a broker names by username, once it authenticated it through `user`/`connect`; null when
 * unknown, or when the broker passes a client id (RabbitMQ: `client_id`, `variable_map.client_id`) that
 * is not the identity's own.
 */
function identityOf(p: Params, fleets: Record<string, string>): Identity | null {
  const username = p.username;
  if (!username) return null;
  let identity: Identity | null = null;
  if (username.startsWith('fleet:')) identity = Object.hasOwn(fleets, username.slice(6)) ? { kind: 'fleet', fleetId: username.slice(6) } : null;
  else if (isValidAddress(username)) identity = { kind: 'hotspot', address: username };
  const clientId = p.client_id ?? p['variable_map.client_id'] ?? p.clientid;
  if (identity && clientId !== undefined && !clientIdAllowed(identity, clientId)) return null;
  return identity;
}

/** RabbitMQ routing key (or binding key) → MQTT topic (or filter): swap `.` and `/`, `*` → `+`. */
export function mqttTopicFromRoutingKey(key: string): string {
  return key.replace(/[./*]/g, (c) => (c === '.' ? '/' : c === '/' ? '.' : '+'));
}

const TOO_LONG = 1024;

export function brokerAuthRoutes(o: BrokerAuthHttpOptions) {
  const exchange = o.exchange ?? 'amq.topic';

  const params = (req: { query: unknown; body: unknown }): Params => {
    const merged: Params = {};
    for (const src of [req.query, req.body]) {
      if (typeof src !== 'object' || src === null) continue;
      for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
        if (typeof v === 'string' && v.length <= TOO_LONG) merged[k] = v;
        else if (typeof v === 'number') merged[k] = String(v);
      }
    }
    return merged;
  };

  async function connect(p: Params): Promise<RefusalReason | null> {
    const clientId = p.client_id ?? p.clientid ?? p.clientId ?? null;
    const r = await o.auth.authenticate(p.username, p.password, o.clock.now(), clientId);
    if (r.ok) return null;
    o.onRefused(r.reason, 'connect');
    return r.reason;
  }

  /** Publish (`write`) or subscribe (`read`) on an MQTT topic or filter. */
  function topicRule(p: Params, topic: string | undefined, access: 'publish' | 'subscribe'): RefusalReason | null {
    const identity = identityOf(p, o.fleets);
    // The embedded broker filters a fleet's `…/hotspot/+/command/+` to its own hotspots at delivery; a
    // broker hook decides once per subscription, so a fleet subscribes per hotspot there.
    const fleetWildcard = identity?.kind === 'fleet' && access === 'subscribe' && /\/hotspot\/[+#]/.test(topic ?? '');
    const refusal: RefusalReason | null =
      !identity || !topic || fleetWildcard
        ? 'foreign_topic'
        : access === 'publish'
          ? o.auth.authorizePublishTopic(identity, topic)
          : o.auth.authorizeSubscribe(identity, topic)
            ? null
            : 'foreign_topic';
    if (refusal) o.onRefused(refusal, access);
    return refusal;
  }

  const text = (reply: FastifyReply, allow: boolean) => reply.type('text/plain').send(allow ? 'allow' : 'deny');
  const json = (reply: FastifyReply, refusal: RefusalReason | null) =>
    refusal ? reply.code(403).send({ result: 'deny', ok: false, error: refusal }) : reply.send({ result: 'allow', ok: true });

  return async function routes(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const both = (url: string, handler: (p: Params, reply: FastifyReply) => Promise<unknown> | unknown) => {
      app.route({ method: ['GET', 'POST'], url, schema: { hide: true }, handler: (req, reply) => handler(params(req), reply) });
    };

    // RabbitMQ: user_path (username, password; the MQTT plugin adds client_id where it passes it on)
    both('/api/v1/broker-auth/rabbitmq/user', async (p, reply) => text(reply, (await connect(p)) === null));
    // vhost_path: any vhost; the broker's MQTT listener decides which one devices use
    both('/api/v1/broker-auth/rabbitmq/vhost', (p, reply) => text(reply, identityOf(p, o.fleets) !== null));
    // resource_path: the MQTT exchange (publish: write; bind: read) and the client's own subscription
    // queues, which the MQTT plugin names `mqtt-subscription-<client id>qos<0|1>`
    both('/api/v1/broker-auth/rabbitmq/resource', (p, reply) => {
      const identity = identityOf(p, o.fleets);
      if (!identity) return text(reply, false);
      if (p.resource === 'exchange') return text(reply, p.name === exchange && (p.permission === 'write' || p.permission === 'read'));
      if (p.resource === 'queue') {
        const m = /^mqtt-subscription-(.+)qos[01]$/.exec(p.name ?? '');
        const own = identity.kind === 'hotspot' ? m?.[1] === identity.address : !!m && (m[1] === `fleet:${identity.fleetId}` || m[1].startsWith(`fleet:${identity.fleetId}:`));
        return text(reply, own);
      }
      return text(reply, false);
    });
    // topic_path: write = publish on the routing key, read = subscribe with the binding key
    both('/api/v1/broker-auth/rabbitmq/topic', (p, reply) => {
      if (p.resource !== 'topic' || p.name !== exchange || p.routing_key === undefined) return text(reply, false);
      const access = p.permission === 'write' ? 'publish' : 'subscribe';
      return text(reply, topicRule(p, mqttTopicFromRoutingKey(p.routing_key), access) === null);
    });

    // EMQX, mosquitto-go-auth, VerneMQ-style hooks
    both('/api/v1/broker-auth/connect', async (p, reply) => json(reply, await connect(p)));
    both('/api/v1/broker-auth/acl', (p, reply) => {
      // mosquitto-go-auth `acc`: 1 read, 2 write, 3 read+write, 4 subscribe (MOSQ_ACL_* in mosquitto.h)
      const action = p.action ?? (p.acc === '2' || p.acc === '3' ? 'publish' : p.acc === '1' || p.acc === '4' ? 'subscribe' : undefined);
      if (action !== 'publish' && action !== 'subscribe') return json(reply, 'foreign_topic');
      return json(reply, topicRule(p, p.topic, action));
    });
  };
}
