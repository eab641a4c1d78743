/**
 * Draws live PoC (issue 8): a pulse at the beaconer (a DOM marker animated by CSS — no map repaint),
 * a line to each witness as its report arrives, and the verdict colour when the `poc` event closes the
 * round. Only the small `live` source is updated (throttled), never the hotspots or hexes.
 */
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { BeaconEvent, PocResult, WitnessEvent } from '../api/types.ts';
import { LiveRounds } from './live-rounds.ts';

const FLUSH_MS = 200;
const PULSE_MS = 2400;

export class LiveLayer {
  readonly rounds = new LiveRounds();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pruneTimer: ReturnType<typeof setInterval>;

  constructor(private readonly map: MapLibreMap) {
    this.pruneTimer = setInterval(() => {
      if (this.rounds.prune(Date.now())) this.schedule();
    }, 2000);
  }

  beacon(e: BeaconEvent): void {
    const r = this.rounds.beacon(e, Date.now());
    if (r.lngLat) this.pulse(r.lngLat, 'pending');
    this.schedule();
  }

  witness(e: WitnessEvent): void {
    this.rounds.witness(e, Date.now());
    this.schedule();
  }

  poc(result: PocResult): void {
    const r = this.rounds.poc(result, Date.now());
    if (r.lngLat) this.pulse(r.lngLat, result.beacon.status);
    this.schedule();
  }

  private pulse(lngLat: [number, number], status: string): void {
    const el = document.createElement('div');
    el.className = `pulse pulse-${status}`;
    el.setAttribute('aria-hidden', 'true');
    const marker = new maplibregl.Marker({ element: el }).setLngLat(lngLat).addTo(this.map);
    setTimeout(() => marker.remove(), PULSE_MS);
  }

  private schedule(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, FLUSH_MS);
  }

  flush(): void {
    this.map.getSource<GeoJSONSource>('live')?.setData({ type: 'FeatureCollection', features: this.rounds.features() } as GeoJSON.FeatureCollection);
  }

  destroy(): void {
    clearInterval(this.pruneTimer);
    clearTimeout(this.flushTimer);
  }
}
