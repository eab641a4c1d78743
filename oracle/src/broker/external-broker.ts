/**
 * External broker (`MQTT_URL`): the oracle is one more MQTT client. The broker authenticates devices by
 * calling the oracle's HTTP auth endpoints (auth-http.ts); ingest checks payloads, schema and signature. PoC reports and stats are read through shared
 * subscriptions (`$share/<group>/…`) so several oracle processes split the load; uplinks and TX acks go
 * to the packet-router owner alone (`routeUplinks`; docs/architecture.md "Several oracle processes").
 */
import mqtt, { UniqueMessageIdProvider, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { HOTSPOT_EVENTS, LIMITS, type HotspotEvent, type Topics } from '@hexium/shared/protocol/index';
import type { InboundHandler, MessageBus } from './message-bus.ts';

export interface ExternalBrokerOptions {
  url: string;
  topics: Topics;
  shareGroup: string;
  clientId: string;
  logger: Logger;
  onMessage: InboundHandler;
}

/**
 * MQTT 5 first (shared subscriptions are an MQTT 5 feature, though Mosquitto also serves them to 3.1.1
 * clients); a broker that does not speak it (RabbitMQ 3.x closes the connection at an MQTT 5 CONNECT;
 * aedes answers CONNACK 1, "unacceptable protocol version") gets MQTT 3.1.1. A refusal with any other
 * CONNACK code (bad credentials) is final; a broker not reachable yet is tried again every second.
 */
async function connectClient(o: ExternalBrokerOptions): Promise<MqttClient> {
  // MQTT 5 §3.1.2.11.4: the broker must not send this client a packet over its Maximum Packet Size (it
  // drops it): the oracle reads only device messages, bounded like on the embedded broker
  const properties = { maximumPacketSize: LIMITS.devicePacketBytes + 5 };
  const attempt = (protocolVersion: 4 | 5) =>
    mqtt.connectAsync(
      o.url,
      // free packet identifiers only: past 65,535 QoS 1 publishes in flight, mqtt.js's default provider
      // reuses one still awaiting its PUBACK and loses that publish's callback (hotspot-sim/src/runner/mqtt-port.ts)
      { clientId: o.clientId, protocolVersion, clean: true, reconnectPeriod: 0, messageIdProvider: new UniqueMessageIdProvider(), ...(protocolVersion === 5 ? { properties } : {}) },
      false,
    );
  const connackCode = (e: unknown) => (e as { code?: unknown }).code;
  for (;;) {
    try {
      return await attempt(5);
    } catch (e) {
      const code = connackCode(e);
      const noMqtt5 = code === 1 || code === 0x84 || (e as Error).message === "Couldn't connect to server";
      if (typeof code === 'number' && !noMqtt5) throw e;
      if (noMqtt5) {
        o.logger.info({ url: redact(o.url) }, 'external broker: no MQTT 5, connecting with MQTT 3.1.1');
        try {
          return await attempt(4);
        } catch (e4) {
          if (typeof connackCode(e4) === 'number') throw e4;
        }
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The URL without its password (for logs). */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export async function connectExternalBroker(o: ExternalBrokerOptions): Promise<MessageBus> {
  const client = await connectClient(o);
  client.options.reconnectPeriod = 1000; // from now on, reconnect after a broken connection
  client.on('message', (topic, payload) => {
    try {
      o.onMessage({ topic, payload });
    } catch (e) {
      o.logger.error({ err: e }, 'inbound handler failed');
    }
  });
  client.on('error', (err) => o.logger.warn({ err }, 'external broker error'));
  // `{prefix}/hotspot/+/event/<event>` for one event kind
  const eventFilter = (ev: HotspotEvent) => o.topics.allHotspotEvents().replace(/\+$/, ev);
  // PoC reports and stats through the shared subscription: the broker gives each to one oracle process.
  // Uplinks and TX acks are not split: the packet-router owner subscribes to all of them (routeUplinks),
  // since de-duplication, frame counters and the DC share need every copy of a packet in one place.
  const routed: HotspotEvent[] = ['up', 'ack'];
  const shared = HOTSPOT_EVENTS.filter((ev) => !routed.includes(ev)).map(eventFilter);
  await client.subscribeAsync(shared.map((f) => (o.shareGroup ? `$share/${o.shareGroup}/${f}` : f)), { qos: 1 });
  // retained state is not delivered to shared subscriptions: every oracle reads it
  await client.subscribeAsync(o.topics.allHotspotStates(), { qos: 1 });
  return {
    mqttUrl: o.url,
    wsUrl: null,
    publish: async (topic, payload, opts = {}) => {
      await client.publishAsync(topic, payload, { qos: opts.qos ?? 0, retain: opts.retain ?? false });
    },
    routeUplinks: async (on) => {
      const filters = routed.map(eventFilter);
      if (on) await client.subscribeAsync(filters, { qos: 1 });
      else await client.unsubscribeAsync(filters);
    },
    close: () => client.endAsync(),
  };
}
