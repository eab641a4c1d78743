/**
 * The oracle's Server-Sent Events (GET /api/v1/events, docs/api.md Events) as typed callbacks.
 * EventSource reconnects by itself; `onStatus` reports 'live' / 'reconnecting' for the status chip.
 */
import type { BeaconEvent, ChallengeEvent, HotspotStatusEvent, PacketEvent, PocResult, RewardEvent, WitnessEvent } from '../api/types.ts';

export interface EventHandlers {
  beacon?: (e: BeaconEvent) => void;
  witness?: (e: WitnessEvent) => void;
  poc?: (e: PocResult) => void;
  reward?: (e: RewardEvent) => void;
  hotspot?: (e: HotspotStatusEvent) => void;
  challenge?: (e: ChallengeEvent) => void;
  packet?: (e: PacketEvent) => void;
}

export function connectEvents(url: string, handlers: EventHandlers, onStatus: (s: 'live' | 'reconnecting') => void): () => void {
  const es = new EventSource(url);
  es.onopen = () => onStatus('live');
  es.onerror = () => onStatus('reconnecting');
  for (const [type, fn] of Object.entries(handlers)) {
    if (!fn) continue;
    es.addEventListener(type, (ev) => {
      try {
        (fn as (d: unknown) => void)(JSON.parse((ev as MessageEvent<string>).data));
      } catch (e) {
        console.warn(`event ${type}`, e);
      }
    });
  }
  return () => es.close();
}
