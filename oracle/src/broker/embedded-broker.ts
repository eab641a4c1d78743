/**
 * The embedded aedes 1.x broker (specs/stack.md): MQTT over TCP and over WebSocket, with the device
 * auth hooks of device-auth.ts. Accepted hotspot messages are handed to the oracle synchronously from
 * `authorizePublish` (so `idle()` counts them) and acknowledged once stored. aedes 1.x speaks MQTT 3.1 and
 * 3.1.1 only (an MQTT 5 CONNECT gets CONNACK 1, "unacceptable protocol version"), so a refused publish has
 * no reason code to carry; MQTT-3.3.5-2 leaves "acknowledge normally" or "close the connection":
 * - a payload refusal (`bad_json`, `bad_schema`, `address_mismatch`) is acknowledged (PUBACK at QoS 1) and
 *   dropped: closing would only make the client resend the same bytes after reconnecting, in a loop;
 * - a topic refusal (`foreign_topic`, `not_fleet_hotspot`) closes the client (aedes does so when
 *   `authorizePublish` answers with an error).
 * Both are counted per reason (`onRefused`). A CONNECT is refused with the CONNACK code of its reason
 * (device-auth.ts `connackCode`): 2 for another identity's client id, before aedes looks up the session of
 * that id, so a foreign key can never close it. A packet over `LIMITS.devicePacketBytes` closes the
 * connection at its header (packet-guard.ts), counted as `packet_too_large`. MQTT over WebSocket is served on every path; `/mqtt` is the
 * documented one (docs/protocol.md "Connecting").
 */
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import { LIMITS, parseTopic } from '@hexium/shared/protocol/index';
import { connackCode, PAYLOAD_REFUSALS, type DeviceAuth, type Identity, type RefusalReason } from './device-auth.ts';
import { guardPacketSize, takeArrival, type ArrivalSource } from './packet-guard.ts';
import { createMessageEmitter, EMITTER_CONCURRENCY } from './message-emitter.ts';
import type { InboundHandler, MessageBus } from './message-bus.ts';

export interface EmbeddedBrokerOptions {
  host: string;
  mqttPort: number;
  wsPort: number;
  auth: DeviceAuth;
  clock: Clock;
  logger: Logger;
  onMessage: InboundHandler;
  onRefused(reason: RefusalReason | 'packet_too_large', stage: 'connect' | 'publish' | 'subscribe' | 'packet'): void;
  onDisconnect(identity: Identity): void;
  /** Fleet of an onboarded hotspot (for delivering commands to fleets). */
  fleetOf(address: string): string | null | undefined;
  topicPrefix: string;
  /**
   * Stamps each PUBLISH when its bytes arrive (packet-guard.ts), ahead of aedes's batches; the stamp is
   * handed to `onMessage` as the receive time. Without it the handler stamps when aedes gets to the message.
   */
  arrivals?: ArrivalSource;
}

const identities = new WeakMap<Client, Identity>();

/** Refusals answered with an acknowledgement and a drop instead of a closed connection. */
const ACK_AND_DROP = PAYLOAD_REFUSALS;
/**
 * Payload of a dropped publish. aedes forwards every authorized packet to the matching subscribers and
 * keeps the payload's reference when it wraps the packet (aedes-packet), so `authorizeForward` can
 * recognise it and deliver it to no one.
 */
const DROPPED = Buffer.alloc(0);

/** The canonical WebSocket path (served on every path; docs/protocol.md). */
export const WEBSOCKET_PATH = '/mqtt';

function listen(server: net.Server | http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startEmbeddedBroker(o: EmbeddedBrokerOptions): Promise<MessageBus & { connectedClients(): number }> {
  // A client id is the hotspot address (~51 characters): MQTT 3.1 capped ids at 23 characters, aedes enforces
  // that for 3.1 clients by default; 3.1.1 lifted the cap (MQTT 3.1.1 §3.1.3.1 lets servers accept longer).
  const broker = await Aedes.createBroker({ maxClientsIdLength: 128, mq: createMessageEmitter(), concurrency: EMITTER_CONCURRENCY });

  /** The newest authenticated client per client id: a session replaced by its own key is not reported offline. */
  const current = new Map<string, Client>();

  broker.authenticate = (client, username, password, done) => {
    o.auth.authenticate(username, password?.toString('utf8'), o.clock.now(), client.id).then(
      (r) => {
        if (!r.ok) {
          o.onRefused(r.reason, 'connect');
          const err = Object.assign(new Error(`refused: ${r.reason}`), { returnCode: connackCode(r.reason) });
          return done(err, false);
        }
        identities.set(client, r.identity);
        current.set(client.id, client);
        done(null, true);
      },
      (err: unknown) => {
        // the store failed (replay memory): refuse with "server unavailable" (MQTT 3.1.1 §3.2.2.3, code 3)
        o.logger.error({ err }, 'connect check failed');
        done(Object.assign(new Error('server unavailable'), { returnCode: 3 as const }), false);
      },
    );
  };

  broker.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // the oracle's own publishes
    const arrival = takeArrival(client.conn);
    const identity = identities.get(client);
    if (!identity) {
      arrival?.release();
      return done(new Error('not authenticated'));
    }
    const r = o.auth.authorizePublish(identity, packet.topic, packet.payload as Buffer);
    if (!r.ok) {
      arrival?.release();
      o.onRefused(r.reason, 'publish');
      if (!ACK_AND_DROP.has(r.reason)) return done(new Error(`refused: ${r.reason}`));
      packet.payload = DROPPED;
      packet.retain = false; // an empty retained payload would clear the topic's retained message
      return done(null);
    }
    // aedes sends the PUBACK when `done` is called: only after ingest has stored the report (durable in
    // the report log) or refused it. The packets of one socket read are handled together, so a slow
    // write delays one batch of a client, not each message.
    let acked = false;
    const ack = (err?: Error) => {
      if (acked) return;
      acked = true;
      done(err ?? null);
    };
    try {
      o.onMessage({ topic: packet.topic, payload: packet.payload as Buffer, value: r.value, ack, arrival });
    } catch (e) {
      o.logger.error({ err: e }, 'inbound handler failed');
      ack();
    }
  };

  broker.authorizeSubscribe = (client, sub, done) => {
    const identity = identities.get(client);
    if (identity && o.auth.authorizeSubscribe(identity, sub.topic)) return done(null, sub);
    o.onRefused('foreign_topic', 'subscribe');
    done(null, null); // SUBACK 0x80 for this filter, connection stays
  };

  // A fleet subscribed to `…/hotspot/+/command/+` only receives its own hotspots' commands, and nothing
  // outside the topic tree (shared/src/protocol/topics.ts parses it).
  broker.authorizeForward = (client, packet) => {
    if (packet.payload === DROPPED) return null;
    const identity = identities.get(client);
    if (identity?.kind !== 'fleet') return packet;
    const parsed = parseTopic(o.topicPrefix, packet.topic);
    if (!parsed) return null;
    if (parsed.kind === 'hotspot-command' && o.fleetOf(parsed.address) !== identity.fleetId) return null;
    return packet;
  };

  broker.on('clientDisconnect', (client) => {
    const identity = identities.get(client);
    if (current.get(client.id) !== client) return; // replaced by a newer session of the same key
    current.delete(client.id);
    if (identity) o.onDisconnect(identity);
  });

  const guard = <T extends Duplex>(conn: T): T =>
    guardPacketSize(conn, LIMITS.devicePacketBytes, () => o.onRefused('packet_too_large', 'packet'), o.arrivals);
  const tcp = net.createServer((socket) => broker.handle(guard(socket)));
  const mqttPort = await listen(tcp, o.mqttPort, o.host);
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n');
  });
  // one WebSocket message carries at most one MQTT packet of interest: the same bound (plus a 5-byte header)
  const wss = new WebSocketServer({ server: httpServer, maxPayload: LIMITS.devicePacketBytes + 5 });
  wss.on('connection', (ws, req) => {
    const stream = createWebSocketStream(ws);
    stream.on('error', () => ws.terminate());
    broker.handle(guard(stream), req);
  });
  const wsPort = await listen(httpServer, o.wsPort, o.host);
  const hostForUrl = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;

  return {
    mqttUrl: `mqtt://${hostForUrl}:${mqttPort}`,
    wsUrl: `ws://${hostForUrl}:${wsPort}${WEBSOCKET_PATH}`,
    connectedClients: () => broker.connectedClients,
    publish: (topic, payload, opts = {}) =>
      new Promise((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos: opts.qos ?? 0, retain: opts.retain ?? false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      ),
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
      tcp.close();
      httpServer.close();
      httpServer.closeAllConnections?.();
    },
  };
}
