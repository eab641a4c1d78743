/**
 * What the oracle needs from MQTT, whichever broker carries it: publish (optionally retained) and a
 * stream of inbound hotspot messages already authorised (embedded) or to be checked (external).
 */
import type { Arrival } from './packet-guard.ts';

export interface PublishOptions {
  retain?: boolean;
  qos?: 0 | 1;
}

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** Decoded and schema-checked JSON when the embedded broker already validated it. */
  value?: Record<string, unknown>;
  /**
   * Acknowledge the publish (QoS 1 PUBACK) once the message is stored or refused and counted; with an
   * error (the store failed) the publish is not acknowledged and the client must send it again.
   */
  ack?: (err?: Error) => void;
  /**
   * When the embedded broker read the publish off its socket: the receive time, and the reservation that
   * keeps it inside ingest's in-flight horizon until the handler settles it (`release`).
   */
  arrival?: Arrival;
}

export interface MessageBus {
  /** `mqtt://host:port` devices connect to. */
  readonly mqttUrl: string;
  /** `ws://host:port` (embedded broker only). */
  readonly wsUrl: string | null;
  publish(topic: string, payload: string | Buffer, opts?: PublishOptions): Promise<void>;
  /**
   * External broker only: subscribe to every hotspot's uplinks and TX acks (true) or stop (false). The
   * packet-router owner does it, so every copy of a sensor packet reaches the one router that
   * de-duplicates it (docs/architecture.md "Several oracle processes").
   */
  routeUplinks?(on: boolean): Promise<void>;
  close(): Promise<void>;
}

export type InboundHandler = (msg: InboundMessage) => void;
