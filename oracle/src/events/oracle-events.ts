/** The live event bus behind SSE `/api/v1/events` (docs/api.md "Events"). */
import { EventEmitter } from 'node:events';
import type { OracleEvent, OracleEventData, OracleEventType } from '@hexium/shared/protocol/index';

export type { OracleEvent, OracleEventData, OracleEventType };

/**
 * Event types every oracle process sees for itself: hotspot connection states are retained MQTT
 * messages every process subscribes to (not split by `$share`), so relaying them would repeat each one
 * once per process.
 */
const SEEN_BY_EVERY_PROCESS: ReadonlySet<OracleEventType> = new Set(['hotspot']);

export class OracleEvents {
  private readonly emitter = new EventEmitter();
  private relay: ((e: OracleEvent) => void) | null = null;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Emit one event; `data` has the shared schema of its type (shared/src/protocol/events.ts). */
  emit<K extends OracleEventType>(type: K, data: OracleEventData[K]): void {
    const e = { type, data } as OracleEvent;
    if (this.relay && !SEEN_BY_EVERY_PROCESS.has(type)) this.relay(e);
    else this.emitter.emit('event', e);
  }

  /**
   * Several oracle processes (event-relay.ts): events this process produces go to `send`, which carries
   * them to every process, this one included, and each process hands them to its listeners with
   * {@link deliver}, so every stream shows the whole network once, in one order.
   */
  relayThrough(send: ((e: OracleEvent) => void) | null): void {
    this.relay = send;
  }

  /** Hand a relayed event to this process's listeners. */
  deliver(e: OracleEvent): void {
    this.emitter.emit('event', e);
  }

  /** Subscribe; returns the unsubscribe function. */
  on(fn: (e: OracleEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }

  get listeners(): number {
    return this.emitter.listenerCount('event');
  }
}
