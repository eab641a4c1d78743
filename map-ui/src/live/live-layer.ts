/**
 * Draws live PoC (issues 8 and 16): a short pulse at the beaconer (a DOM marker animated by CSS — no map
 * repaint), a thin line to each witness as its report arrives, the verdict colour when the `poc` event
 * closes the round, then a fade. Readable by design: only the newest LIVE_MAX_ROUNDS rounds whose
 * beaconer is in view are drawn, each with lines to its LIVE_MAX_LINES nearest witnesses, and only from
 * LIVE_MIN_ZOOM (the layers' minzoom). With
 * `prefers-reduced-motion: reduce` nothing moves: no pulse, no fade steps — a round is drawn, then removed.
 * Only the small `live` source is updated (throttled), never the hotspots or hexes.
 */
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { BeaconEvent, PocResult, WitnessEvent } from '../api/types.ts';
import { LIVE_MIN_ZOOM } from '../style/build-style.ts';
import { LIVE_MAX_ROUNDS, LiveRounds } from './live-rounds.ts';

const FLUSH_MS = 200;
/** While a round fades, redraw it this often (≈ 25 opacity steps over KEEP_AFTER_VERDICT_MS). */
const FADE_TICK_MS = 400;
const PULSE_MS = 1400;

export class LiveLayer {
  readonly rounds = new LiveRounds();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pruneTimer: ReturnType<typeof setInterval>;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  private pulses = 0;
  private drawnAny = false;
  /** Rounds drawn by the last flush (the Network panel shows it). */
  drawnRounds = 0;

  constructor(private readonly map: MapLibreMap) {
    this.pruneTimer = setInterval(() => {
      if (this.rounds.prune(Date.now())) this.schedule();
    }, 2000);
    map.on('moveend', () => this.schedule());
  }

  /** Zoomed in enough for live rounds to be drawn. */
  private visible(): boolean {
    return this.map.getZoom() >= LIVE_MIN_ZOOM;
  }

  private inView = (lngLat: [number, number]): boolean => this.map.getBounds().contains(lngLat);

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
    this.rounds.poc(result, Date.now());
    this.schedule();
  }

  private pulse(lngLat: [number, number], status: string): void {
    if (this.reducedMotion.matches || !this.visible() || this.pulses >= LIVE_MAX_ROUNDS || !this.inView(lngLat)) return;
    const el = document.createElement('div');
    el.className = `pulse pulse-${status}`;
    el.setAttribute('aria-hidden', 'true');
    const marker = new maplibregl.Marker({ element: el }).setLngLat(lngLat).addTo(this.map);
    this.pulses++;
    setTimeout(() => {
      marker.remove();
      this.pulses--;
    }, PULSE_MS);
  }

  private schedule(delayMs = FLUSH_MS): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, delayMs);
  }

  flush(): void {
    const source = this.map.getSource<GeoJSONSource>('live');
    if (!source) return;
    if (!this.visible()) {
      // The layers' minzoom hides them anyway; skip the work and clear once.
      if (this.drawnAny) source.setData({ type: 'FeatureCollection', features: [] });
      this.drawnAny = false;
      this.drawnRounds = 0;
      return;
    }
    const now = Date.now();
    const still = this.reducedMotion.matches;
    const features = this.rounds.features({ nowMs: still ? undefined : now, inView: this.inView });
    source.setData({ type: 'FeatureCollection', features } as GeoJSON.FeatureCollection);
    this.drawnAny = features.length > 0;
    this.drawnRounds = features.filter((f) => f.properties.kind === 'beacon').length;
    if (!still && this.rounds.fading(now)) this.schedule(FADE_TICK_MS);
  }

  destroy(): void {
    clearInterval(this.pruneTimer);
    clearTimeout(this.flushTimer);
  }
}
