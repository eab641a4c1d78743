/**
 * The simulator's MQTT adapter: the {@link NetworkPort} of the world. Two ways to connect
 * (docs/protocol.md "Authentication"):
 * - `per-hotspot`: one connection per hotspot, username = address, password = `<ts>.<base64 ed25519
 *   signature of "hexium-connect:<address>:<ts>">`, retained ONLINE state and an OFFLINE last will;
 * - `fleet`: one connection `fleet:<id>` publishing for every hotspot (reports are still signed per
 *   hotspot); the firmware's connect/disconnect become retained ONLINE/OFFLINE state messages.
 * Everything received goes to an inbox the driver drains (so fast mode can order it deterministically).
 */
import mqtt, { UniqueMessageIdProvider, type MqttClient } from 'mqtt';
import { signMessage, signBytes, signingBytes } from '@hexium/shared/identity/index';
import { HOTSPOT_EVENT_SCHEMAS, HotspotStateSchema, validateMessage, type ParsedTopic, type Topics } from '@hexium/shared/protocol/index';
import type { HotspotSpec } from '../core/scenario/materialize.ts';
import type { NetworkPort } from '../core/world.ts';
import type { PublishKind } from '../core/firmware/hotspot.ts';
import type { SignPool } from './sign-pool.ts';

export type InboxItem =
  | { kind: 'connected'; index: number }
  | { kind: 'disconnected'; index: number }
  | { kind: 'message'; topic: string; payload: string; index: number | null };

/** An inbox message's topic and JSON body, or null when either does not parse (such a message is ignored). */
export function decodeInboxMessage(item: Extract<InboxItem, { kind: 'message' }>, t: Topics): { topic: ParsedTopic; msg: unknown } | null {
  const topic = t.parse(item.topic);
  if (!topic) return null;
  try {
    return { topic, msg: JSON.parse(item.payload) as unknown };
  } catch {
    return null;
  }
}

export interface MqttPortOptions {
  url: string;
  topics: Topics;
  mode: 'per-hotspot' | 'fleet';
  fleet: { id: string; secret: string } | null;
  /** The hotspot's clock for connect tokens (simulation time + its skew). */
  tokenTime: (h: HotspotSpec) => number;
  inbox: (item: InboxItem) => void;
  /** Extra subscriptions on the fleet/observer connection (PoC results, manifests). */
  observe: string[];
  /**
   * Sign on these threads (fast mode): `publish` then only queues, and each `drain` signs and publishes
   * what was queued, in order. Without it, each message is signed and published at once (live mode).
   */
  signer?: SignPool;
}

export class MqttPort implements NetworkPort {
  /** Fleet mode: publishes every hotspot's messages. */
  private fleetClient: MqttClient | null = null;
  /** With a fleet credential: every subscription (entropy, commands, observed topics) and the barrier. */
  private listenClient: MqttClient | null = null;
  private readonly clients = new Map<number, MqttClient>();
  private readonly pending = new Set<Promise<unknown>>();
  private barrierSeq = 0;
  published = 0;
  /**
   * Publishes the oracle may answer or act on at once (everything but PoC reports: uplinks, ACKs,
   * stats, state). Fast mode settles fully after any of them; PoC reports only need to have arrived.
   */
  reactivePublished = 0;
  /** Publishes waiting for `drain` (with a sign pool). */
  private queued: { h: HotspotSpec; kind: PublishKind; message: Record<string, unknown> }[] = [];
  errors: string[] = [];

  constructor(private readonly o: MqttPortOptions) {}

  /**
   * Open the fleet's connections (needs a fleet credential). A listening connection carries every
   * subscription (fast mode's barrier too); in fleet mode a second one publishes every hotspot's
   * messages. They are apart because the broker reads a connection's next packets only once it has
   * handled (for a report: checked and stored) the ones before: a round trip on the publishing
   * connection waits for every report in flight, one on a connection that publishes nothing does not.
   */
  async open(): Promise<void> {
    if (!this.o.fleet) return;
    const listen = await this.connectFleet('listen');
    listen.on('message', (topic, payload) => this.o.inbox({ kind: 'message', topic, payload: payload.toString('utf8'), index: null }));
    const subs = [...this.o.observe];
    if (this.o.mode === 'fleet') subs.push(this.o.topics.entropy(), `${this.o.topics.prefix}/hotspot/+/command/+`);
    if (subs.length) await listen.subscribeAsync(subs, { qos: 1 });
    this.listenClient = listen;
    if (this.o.mode === 'fleet') this.fleetClient = await this.connectFleet('publish');
  }

  /** One connection as the fleet (client id `fleet:<id>:<suffix>`: docs/protocol.md "Authentication"). */
  private async connectFleet(role: 'listen' | 'publish'): Promise<MqttClient> {
    const fleet = this.o.fleet!;
    const c = await mqtt.connectAsync(this.o.url, {
      username: `fleet:${fleet.id}`,
      password: fleet.secret,
      reconnectPeriod: 0,
      clientId: `fleet:${fleet.id}:sim-${process.pid}-${role}`,
      // One connection carries every hotspot's reports: at the start of a 100,000-hotspot run that is
      // 100,000 QoS 1 state messages at once, more than the 65,535 packet identifiers MQTT has (3.1.1
      // §2.3.1). mqtt.js's default provider hands identifiers out round-robin without checking they are
      // free, so the 65,536th publish reuses one still awaiting its PUBACK and the first publish's
      // callback is never called. This provider hands out free identifiers only; past 65,535 in flight,
      // publishes wait in mqtt.js's queue until a PUBACK frees one.
      messageIdProvider: new UniqueMessageIdProvider(),
    });
    c.on('error', (e) => this.errors.push(e.message));
    c.on('close', () => {
      if (this.fleetClient === c || this.listenClient === c) this.errors.push(`fleet ${role} connection closed by the broker`);
    });
    return c;
  }

  get hasObserver(): boolean {
    return this.listenClient !== null;
  }

  publish(h: HotspotSpec, kind: PublishKind, message: Record<string, unknown>): void {
    if (this.o.signer) {
      this.queued.push({ h, kind, message });
      return;
    }
    this.send(h, kind, kind === 'state' ? message : signMessage(message, h.key));
  }

  /**
   * With a sign pool: sign what was queued since the last call on the pool's threads, then publish it
   * all in the order it was queued. The driver calls it at each sync point (and `flush` does), so
   * counters and acknowledgements it reads cover every publish so far.
   */
  async drain(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      const toSign = batch.filter((q) => q.kind !== 'state');
      const bytes = toSign.map((q) => signingBytes(q.message));
      const sigs = await this.o.signer!.sign(toSign.map((q, i) => ({ seed: q.h.key.seed, bytes: bytes[i] })));
      let next = 0;
      for (const q of batch) {
        if (q.kind === 'state') this.send(q.h, q.kind, q.message);
        else this.send(q.h, q.kind, { ...q.message, signature: Buffer.from(sigs[next++]).toString('base64') });
      }
    }
  }

  /** Check one message (signed unless it is a state message) and publish it at QoS 1. */
  private send(h: HotspotSpec, kind: PublishKind, signed: Record<string, unknown>): void {
    const t = this.o.topics;
    const topic = kind === 'state' ? t.hotspotState(h.key.address) : t.hotspotEvent(h.key.address, kind);
    const client = this.o.mode === 'fleet' ? this.fleetClient : this.clients.get(h.index);
    if (!client) return;
    // Check every message against the shared schemas: the broker closes a connection that publishes an
    // invalid one, so a bug here must surface as an error, not as a dead connection.
    {
      const v = validateMessage(kind === 'state' ? HotspotStateSchema : HOTSPOT_EVENT_SCHEMAS[kind], signed);
      if (!v.ok) {
        this.errors.push(`invalid ${kind} message: ${v.errors.join('; ')}`);
        return;
      }
    }
    this.published++;
    if (kind !== 'beacon' && kind !== 'witness') this.reactivePublished++;
    const p = client.publishAsync(topic, JSON.stringify(signed), { qos: 1, retain: kind === 'state' }).catch((e: Error) => void this.errors.push(`${kind}: ${e.message}`));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  connect(h: HotspotSpec): void {
    if (this.o.mode === 'fleet') {
      this.o.inbox({ kind: 'connected', index: h.index });
      return;
    }
    const t = this.o.topics;
    const ts = Math.round(this.o.tokenTime(h));
    const sig = Buffer.from(signBytes(Buffer.from(`hexium-connect:${h.key.address}:${ts}`), h.key)).toString('base64');
    const p = mqtt
      .connectAsync(this.o.url, {
        username: h.key.address,
        password: `${ts}.${sig}`,
        clientId: h.key.address,
        reconnectPeriod: 0,
        will: { topic: t.hotspotState(h.key.address), payload: Buffer.from(JSON.stringify({ v: 1, hotspot: h.key.address, state: 'OFFLINE' })), qos: 1, retain: true },
      })
      .then(async (c) => {
        c.on('message', (topic, payload) => this.o.inbox({ kind: 'message', topic, payload: payload.toString('utf8'), index: h.index }));
        c.on('close', () => {
          if (this.clients.get(h.index) === c) {
            this.clients.delete(h.index);
            this.o.inbox({ kind: 'disconnected', index: h.index });
          }
        });
        c.on('error', () => undefined);
        await c.subscribeAsync([t.entropy(), t.hotspotCommands(h.key.address)], { qos: 1 });
        this.clients.set(h.index, c);
        this.o.inbox({ kind: 'connected', index: h.index });
      })
      .catch((e: Error) => {
        this.errors.push(`connect ${h.key.address}: ${e.message}`);
        this.o.inbox({ kind: 'disconnected', index: h.index });
      });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  disconnect(h: HotspotSpec): void {
    if (this.o.mode === 'fleet') {
      this.publish(h, 'state', { v: 1, hotspot: h.key.address, state: 'OFFLINE' });
      return;
    }
    const c = this.clients.get(h.index);
    if (!c) return;
    this.clients.delete(h.index);
    // an outage: drop the socket without DISCONNECT so the broker sends the last will
    c.stream.destroy();
    void c.endAsync(true).catch(() => undefined);
  }

  /** Wait until every publish and connect so far is acknowledged. */
  async flush(): Promise<void> {
    await this.drain();
    while (this.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([...this.pending]), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      if (this.errors.length) throw new Error(`MQTT: ${this.errors.slice(0, 3).join(' | ')}`);
    }
  }

  /**
   * Round trip on the listening connection: everything the broker queued for us before this point has
   * been received once it resolves (one socket delivers in order). Unsubscribing from a topic we never
   * subscribed to is harmless and always answered with UNSUBACK. That connection publishes nothing, so
   * the broker answers at once, not after the reports in flight on the publishing one.
   */
  async barrier(): Promise<void> {
    if (this.listenClient) await this.listenClient.unsubscribeAsync(`${this.o.topics.prefix}/poc/barrier-${this.barrierSeq++}/result`);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.clients.values()].map((c) => c.endAsync(true)));
    this.clients.clear();
    const fleet = [this.fleetClient, this.listenClient];
    this.fleetClient = null;
    this.listenClient = null;
    await Promise.all(fleet.map((c) => c?.endAsync().catch(() => undefined)));
  }
}
