/**
 * The fleet connection carries every hotspot's messages on one MQTT connection. MQTT has 65,535 packet
 * identifiers (3.1.1 §2.3.1: a non-zero 16-bit integer), and a 100,000-hotspot run starts with 100,000
 * QoS 1 ONLINE state messages at once: more publishes in flight than identifiers. Every one must still be
 * acknowledged (with mqtt.js's default identifier provider the 65,536th reused a busy identifier, its
 * first publish's PUBACK never reached its callback, and the run waited forever).
 */
import net from 'node:net';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { topics } from '@hexium/shared/protocol/index';
import type { HotspotSpec } from '../core/scenario/materialize.ts';
import { MqttPort } from './mqtt-port.ts';

/** More than the 65,535 packet identifiers of one connection. */
const MESSAGES = 70_000;
const key = keyPairFromSeed(createHash('sha256').update('mqtt-port-fleet').digest());
const stateTopic = topics().hotspotState(key.address);

describe('MqttPort fleet connection', () => {
  let broker: Aedes;
  let server: net.Server;
  let url: string;
  let received = 0;

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    broker.on('publish', (packet, client) => {
      if (client && packet.topic === stateTopic) received++;
    });
    server = net.createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it(`has all ${MESSAGES.toLocaleString('en-US')} QoS 1 publishes sent at once acknowledged`, async () => {
    const hotspot = { index: 0, key } as HotspotSpec;
    const port = new MqttPort({ url, topics: topics(), mode: 'fleet', fleet: { id: 'test', secret: 'x' }, tokenTime: () => 0, inbox: () => undefined, observe: [] });
    await port.open();
    try {
      for (let i = 0; i < MESSAGES; i++) port.publish(hotspot, 'state', { v: 1, hotspot: key.address, state: i % 2 ? 'OFFLINE' : 'ONLINE' });
      expect(port.published).toBe(MESSAGES);
      // A lost acknowledgement leaves flush() waiting for ever: bound the wait so the test fails instead.
      let deadline: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((resolve) => (deadline = setTimeout(() => resolve('hung'), 120_000)));
      const outcome = await Promise.race([port.flush().then(() => 'flushed' as const), hung]);
      clearTimeout(deadline);
      expect(outcome).toBe('flushed');
      expect(port.errors).toEqual([]);
      expect(received).toBe(MESSAGES);
    } finally {
      await port.close();
    }
  });
});
