/** The live event bus behind SSE `/api/v1/events` (docs/api.md "Events"). */
import { EventEmitter } from 'node:events';

export type OracleEventType = 'beacon' | 'witness' | 'poc' | 'reward' | 'packet' | 'hotspot' | 'challenge';

export interface OracleEvent {
  type: OracleEventType;
  data: unknown;
}

export class OracleEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(type: OracleEventType, data: unknown): void {
    this.emitter.emit('event', { type, data } satisfies OracleEvent);
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
