/**
 * External broker (`MQTT_URL`): the oracle is one more MQTT client. Device auth is the broker's job;
 * ingest still checks schema and signature. Hotspot events are read through a shared subscription
 * (`$share/<group>/…`) so several oracle processes split the load (DESIGN.md "Scaling out").
 */
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import type { Topics } from '@hexium/shared/protocol/index';
import type { InboundHandler, MessageBus } from './message-bus.ts';

export interface ExternalBrokerOptions {
  url: string;
  topics: Topics;
  shareGroup: string;
  clientId: string;
  logger: Logger;
  onMessage: InboundHandler;
}

export async function connectExternalBroker(o: ExternalBrokerOptions): Promise<MessageBus> {
  const client = await mqtt.connectAsync(o.url, { clientId: o.clientId, protocolVersion: 5, clean: true, reconnectPeriod: 1000 });
  client.on('message', (topic, payload) => {
    try {
      o.onMessage({ topic, payload });
    } catch (e) {
      o.logger.error({ err: e }, 'inbound handler failed');
    }
  });
  client.on('error', (err) => o.logger.warn({ err }, 'external broker error'));
  const events = o.topics.allHotspotEvents();
  await client.subscribeAsync(o.shareGroup ? `$share/${o.shareGroup}/${events}` : events, { qos: 1 });
  // retained state is not delivered to shared subscriptions: every oracle reads it
  await client.subscribeAsync(o.topics.allHotspotStates(), { qos: 1 });
  return {
    mqttUrl: o.url,
    wsUrl: null,
    publish: async (topic, payload, opts = {}) => {
      await client.publishAsync(topic, payload, { qos: opts.qos ?? 0, retain: opts.retain ?? false });
    },
    close: () => client.endAsync(),
  };
}
