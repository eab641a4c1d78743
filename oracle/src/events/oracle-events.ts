/** The live event bus behind SSE `/api/v1/events` (docs/api.md "Events"). */
import { EventEmitter } from 'node:events';
import type { OracleEvent, OracleEventData, OracleEventType } from '@hexium/shared/protocol/index';

export type { OracleEvent, OracleEventData, OracleEventType };

export class OracleEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Emit one event; `data` has the shared schema of its type (shared/src/protocol/events.ts). */
  emit<K extends OracleEventType>(type: K, data: OracleEventData[K]): void {
    this.emitter.emit('event', { type, data } as OracleEvent);
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
