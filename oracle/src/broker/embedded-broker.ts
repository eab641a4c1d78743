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
 * Both are counted per reason (`onRefused`). MQTT over WebSocket is served on every path; `/mqtt` is the
 * documented one (docs/protocol.md "Connecting").
 */
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import type { DeviceAuth, Identity, RefusalReason } from './device-auth.ts';
import type { InboundHandler, MessageBus } from './message-bus.ts';

export interface EmbeddedBrokerOptions {
  host: string;
  mqttPort: number;
  wsPort: number;
  auth: DeviceAuth;
  clock: Clock;
  logger: Logger;
  onMessage: InboundHandler;
  onRefused(reason: RefusalReason, stage: 'connect' | 'publish' | 'subscribe'): void;
  onDisconnect(identity: Identity): void;
  /** Fleet of an onboarded hotspot (for delivering commands to fleets). */
  fleetOf(address: string): string | null | undefined;
  topicPrefix: string;
}

const identities = new WeakMap<Client, Identity>();

/** Refusals answered with an acknowledgement and a drop instead of a closed connection. */
const ACK_AND_DROP: ReadonlySet<RefusalReason> = new Set(['bad_json', 'bad_schema', 'address_mismatch']);
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
  const broker = await Aedes.createBroker();
  const commandRe = new RegExp(`^${o.topicPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/hotspot/([^/]+)/command/`);

  broker.authenticate = (client, username, password, done) => {
    const r = o.auth.authenticate(username, password?.toString('utf8'), o.clock.now());
    if (!r.ok) {
      o.onRefused(r.reason, 'connect');
      const err = Object.assign(new Error(`refused: ${r.reason}`), { returnCode: 4 as const });
      return done(err, false);
    }
    identities.set(client, r.identity);
    done(null, true);
  };

  broker.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // the oracle's own publishes
    const identity = identities.get(client);
    if (!identity) return done(new Error('not authenticated'));
    const r = o.auth.authorizePublish(identity, packet.topic, packet.payload as Buffer);
    if (!r.ok) {
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
      o.onMessage({ topic: packet.topic, payload: packet.payload as Buffer, value: r.value, ack });
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

  // A fleet subscribed to `…/hotspot/+/command/+` only receives its own hotspots' commands.
  broker.authorizeForward = (client, packet) => {
    if (packet.payload === DROPPED) return null;
    const identity = identities.get(client);
    if (identity?.kind !== 'fleet') return packet;
    const m = commandRe.exec(packet.topic);
    if (m && o.fleetOf(m[1]) !== identity.fleetId) return null;
    return packet;
  };

  broker.on('clientDisconnect', (client) => {
    const identity = identities.get(client);
    if (identity) o.onDisconnect(identity);
  });

  const tcp = net.createServer(broker.handle as (s: net.Socket) => void);
  const mqttPort = await listen(tcp, o.mqttPort, o.host);
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n');
  });
  const wss = new WebSocketServer({ server: httpServer });
  wss.on('connection', (ws, req) => {
    const stream = createWebSocketStream(ws);
    stream.on('error', () => ws.terminate());
    broker.handle(stream, req);
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
