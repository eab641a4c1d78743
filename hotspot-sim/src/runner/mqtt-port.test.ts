/**
 * The fleet connection carries every hotspot's messages on one MQTT connection. MQTT has 65,535 packet
 * identifiers (3.1.1 §2.3.1: a non-zero 16-bit integer), and a 100,000-hotspot run starts with 100,000
 * QoS 1 ONLINE state messages at once: more publishes in flight than identifiers. Every one must still be
 * acknowledged (with mqtt.js's default identifier provider the 65,536th reused a busy identifier, its
 * first publish's PUBACK never reached its callback, and the run waited forever).
 * Fast mode signs on a pool and publishes in the order made; its round trips go over the fleet's
 * listening connection, which the broker answers while the reports published are still being handled.
 */
import net from 'node:net';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import { keyPairFromSeed, verifyMessage } from '@hexium/shared/identity/index';
import { topics } from '@hexium/shared/protocol/index';
import type { HotspotSpec } from '../core/scenario/materialize.ts';
import { MqttPort } from './mqtt-port.ts';
import { SignPool } from './sign-pool.ts';

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

  it('with a sign pool: queues, then signs and publishes in the order made when drained', async () => {
    const witnesses: { tmst: number; ok: boolean }[] = [];
    const onPublish = (packet: { topic: string; payload: Buffer | string }, client: unknown) => {
      if (!client || !packet.topic.endsWith('/witness')) return;
      const m = JSON.parse(packet.payload.toString()) as Record<string, unknown>;
      witnesses.push({ tmst: m.tmst as number, ok: verifyMessage(m, key.address) });
    };
    broker.on('publish', onPublish);
    const signer = new SignPool(2);
    const hotspot = { index: 0, key } as HotspotSpec;
    const port = new MqttPort({ url, topics: topics(), mode: 'fleet', fleet: { id: 'test', secret: 'x' }, tokenTime: () => 0, inbox: () => undefined, observe: [], signer });
    await port.open();
    try {
      const witness = (tmst: number) => ({
        v: 1, hotspot: key.address, dataHex: 'ab'.repeat(51), rssiDbm: -101.5, snrDb: 3.25, frequencyHz: 867_100_000, dataRate: 'SF12BW125', tmst, timestampMs: 1_767_225_600_000,
      });
      for (let i = 0; i < 40; i++) port.publish(hotspot, 'witness', witness(i));
      expect(port.published).toBe(0); // queued, not yet signed
      await port.drain();
      expect(port.published).toBe(40);
      await port.flush();
      expect(port.errors).toEqual([]);
      // 40 items went to two workers in two parts; they were published in the order made, each signed by its hotspot
      expect(witnesses.map((w) => w.tmst)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(witnesses.every((w) => w.ok)).toBe(true);
    } finally {
      broker.removeListener('publish', onPublish);
      await port.close();
      await signer.close();
    }
  });

  it('answers a round trip on its listening connection while the reports it published are still being handled', async () => {
    // the broker holds every state message, as the oracle holds a report until it is stored
    const held: ((err?: Error | null) => void)[] = [];
    broker.authorizePublish = (_client, packet, done) => {
      if (packet.topic === stateTopic) held.push(done);
      else done(null);
    };
    const hotspot = { index: 0, key } as HotspotSpec;
    const port = new MqttPort({ url, topics: topics(), mode: 'fleet', fleet: { id: 'test', secret: 'x' }, tokenTime: () => 0, inbox: () => undefined, observe: [] });
    await port.open();
    try {
      for (let i = 0; i < 3; i++) port.publish(hotspot, 'state', { v: 1, hotspot: key.address, state: 'ONLINE' });
      while (held.length < 3) await new Promise((r) => setTimeout(r, 5));
      let deadline: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((resolve) => (deadline = setTimeout(() => resolve('hung'), 10_000)));
      const outcome = await Promise.race([port.barrier().then(() => 'answered' as const), hung]);
      clearTimeout(deadline);
      expect(outcome).toBe('answered');
      expect(held).toHaveLength(3); // none of the three handled yet
      held.forEach((done) => done(null));
      await port.flush();
      expect(port.errors).toEqual([]);
    } finally {
      broker.authorizePublish = (_client, _packet, done) => done(null);
      await port.close();
    }
  });
});
