/**
 * The map application: selection (hotspot or hex), panels, witness paths, live events and the URL.
 * Created by main.ts once the map exists; `start()` runs when the style has loaded.
 */
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import { cellToLatLng, isValidCell } from 'h3-js';
import type { ApiClient } from './api/client.ts';
import { ApiError } from './api/client.ts';
import type { EpochDetail, EpochSummary, HotspotDetail, PocResult } from './api/types.ts';
import type { StyleContext } from './style/build-style.ts';
import type { Metric } from './style/metrics.ts';
import { applyPaint } from './style/apply-theme.ts';
import type { UrlState } from './url-state.ts';
import type { CoverageLayer } from './layers/coverage-layer.ts';
import type { HotspotLayer } from './layers/hotspot-layer.ts';
import { witnessPaths } from './layers/witness-paths.ts';
import { LiveLayer } from './live/live-layer.ts';
import { connectEvents } from './live/event-stream.ts';
import { Sidebar, type TabId } from './panels/sidebar.ts';
import { hotspotPanel } from './panels/hotspot-panel.ts';
import { hexPanel, hotspotsInHex } from './panels/hex-panel.ts';
import { networkPanel } from './panels/network-panel.ts';
import { epochsPanel } from './panels/epochs-panel.ts';
import { legend } from './ui/legend.ts';
import { setupSearch } from './ui/search.ts';
import { formatReason } from './format.ts';
import { cellsBounds } from './h3/cells-bounds.ts';

export interface AppDeps {
  map: MapLibreMap;
  api: ApiClient;
  coverage: CoverageLayer;
  hotspots: HotspotLayer;
  ctx: StyleContext;
  url: UrlState;
  /** Phone width: the bottom sheet starts collapsed and opens only for what the user picks. */
  phone: boolean;
  onUrl: (s: UrlState) => void;
}

const NETWORK_REFRESH_MS = 15_000;
/** The first view fits the hotspots at most this close. */
const FIT_MAX_ZOOM = 12;
/** Fewer populated res-7 cells than this inside the world's res-4 box: fit to them (a city or a region). */
const FIT_FINE_MAX_CELLS = 20_000;

export class App {
  private readonly map: MapLibreMap;
  private readonly api: ApiClient;
  private readonly coverage: CoverageLayer;
  private readonly hotspots: HotspotLayer;
  private readonly sidebar: Sidebar;
  private live!: LiveLayer;
  private state: UrlState;
  private detail: HotspotDetail | null = null;
  private epochDetail: EpochDetail | null = null;
  private epochList: EpochSummary[] = [];
  private manifestVerified: boolean | null = null;
  private detailTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'path-popup', maxWidth: '260px' });

  constructor(private readonly deps: AppDeps) {
    ({ map: this.map, api: this.api, coverage: this.coverage, hotspots: this.hotspots } = deps);
    this.state = { ...deps.url };
    this.sidebar = new Sidebar(document.querySelector('#panel')!, deps.phone);
    this.sidebar.onTab = (tab) => void this.openTab(tab);
    this.sidebar.onEscape = () => this.clearSelection();
    this.hotspots.onClick = (a) => void this.selectHotspot(a, { fly: false });
    this.renderLegend();
    const rerunSearch = setupSearch(document.querySelector<HTMLFormElement>('#search')!, (q) => this.hotspots.search(q), (a) => void this.selectHotspot(a, { fly: true }));
    this.hotspots.onLoad = rerunSearch;
  }

  private hotspotsFirst: Promise<void> | null = null;
  private coverageFirst: Promise<void> | null = null;

  /** Start the data requests at once, while the style and basemap load (called before map `load`). */
  prefetch(): void {
    this.hotspotsFirst = this.hotspots.load().catch((e) => console.warn('hotspots', e));
    // Without a centre in the URL the view first fits the hotspots, so coverage waits for them.
    if (this.state.center) this.coverageFirst = this.coverage.refresh(true);
  }

  async start(): Promise<void> {
    const map = this.map;
    this.live = new LiveLayer(map);
    map.on('click', (e) => this.onMapClick(e.point));
    map.on('mousemove', 'witness-paths', (e) => this.showPathPopup(e.features?.[0], e.lngLat));
    map.on('mouseleave', 'witness-paths', () => this.popup.remove());
    map.on('mousemove', 'live-paths', (e) => this.showPathPopup(e.features?.[0], e.lngLat));
    map.on('mouseleave', 'live-paths', () => this.popup.remove());
    map.on('moveend', () => this.pushUrl());

    await (this.hotspotsFirst ?? this.hotspots.load().catch((e) => console.warn('hotspots', e)));
    document.body.dataset.hotspots = String(this.hotspots.byAddress.size);
    if (!this.state.center) await (this.hotspots.vector ? this.fitToCoverage() : this.fitToHotspots());
    await (this.coverageFirst ?? this.coverage.refresh(true));
    document.body.dataset.ready = 'true';
    // Time to the first idle with data drawn, for the benchmark (bench/map.bench.ts).
    // The map may already be idle here: a repaint makes sure the event comes.
    map.once('idle', () => (document.body.dataset.firstIdleMs = String(Math.round(performance.now()))));
    map.triggerRepaint();

    connectEvents(
      this.api.eventsUrl(),
      {
        beacon: (e) => {
          this.live.beacon(e);
          this.hotspots.ensureKnown(e.beaconer);
        },
        witness: (e) => this.live.witness(e),
        poc: (r) => this.onPoc(r),
        hotspot: (e) => this.hotspots.setOnline(e.address, e.online),
        reward: () => {
          if (this.sidebar.current === 'epochs') void this.openTab('epochs');
          if (this.sidebar.current === 'network') void this.openTab('network');
        },
      },
      (s) => {
        const el = document.querySelector('#live-status')!;
        el.textContent = s === 'live' ? '● live' : 'reconnecting…';
        el.className = `live-status live-${s}`;
      },
    );
    setInterval(() => {
      if (this.sidebar.current === 'network' && document.visibilityState === 'visible') void this.openTab('network', false);
    }, NETWORK_REFRESH_MS);

    if (this.state.hotspot) await this.selectHotspot(this.state.hotspot, { fly: !this.deps.url.center });
    else if (this.state.hex) this.selectHex(this.state.hex);
    else await this.openTab(this.state.epoch !== undefined ? 'epochs' : 'network', false);
  }

  private fitToHotspots(): void {
    // hotspots without an asserted location have no geometry (docs/api.md "Hotspot feature")
    const pts = [...this.hotspots.byAddress.values()].flatMap((f) => (f.geometry ? [f.geometry.coordinates] : []));
    if (pts.length === 0) return;
    const b = new maplibregl.LngLatBounds(pts[0], pts[0]);
    for (const p of pts) b.extend(p);
    this.fitTo(b);
  }

  /**
   * Tiles: fit the first view without loading every hotspot — to the populated res-4 cells of the world,
   * then, when they are few, to the populated res-7 cells inside that box (≈ 1.4 km edges).
   */
  private async fitToCoverage(): Promise<void> {
    try {
      const world = await this.api.coverage(4, [-180, -85.05, 180, 85.05]);
      const coarse = cellsBounds(world.hexes.map((h) => h.cell));
      if (!coarse) return;
      const fine = await this.api.coverage(7, coarse);
      const box = fine.hexes.length > 0 && fine.hexes.length < FIT_FINE_MAX_CELLS ? cellsBounds(fine.hexes.map((h) => h.cell)) ?? coarse : coarse;
      this.fitTo(new maplibregl.LngLatBounds([box[0], box[1]], [box[2], box[3]]));
    } catch (e) {
      console.warn('fit', e);
    }
  }

  private fitTo(b: maplibregl.LngLatBounds): void {
    const padding = this.deps.phone ? { top: 20, bottom: 70, left: 20, right: 20 } : { top: 40, bottom: 40, left: 60, right: 420 };
    this.map.fitBounds(b, { padding, maxZoom: FIT_MAX_ZOOM, animate: false });
  }

  private onMapClick(point: maplibregl.Point): void {
    const layers = ['hotspots', 'hotspot-clusters', 'live-beacons', 'coverage-hexes'].filter((l) => this.map.getLayer(l));
    const hit = this.map.queryRenderedFeatures(point, { layers })[0];
    if (!hit) return;
    if (hit.layer.id === 'live-beacons') void this.selectHotspot(hit.properties.beaconer as string, { fly: false });
    else if (hit.layer.id === 'coverage-hexes') this.selectHex(hit.properties.cell as string);
    // hotspots and clusters have their own handlers (HotspotLayer).
  }

  private showPathPopup(f: MapGeoJSONFeature | undefined, at: maplibregl.LngLat): void {
    if (!f) return;
    const p = f.properties;
    const name = (a: string) => this.nameOf(a);
    const verdict = p.status === 'valid' ? 'valid' : p.status === 'invalid' ? `invalid: ${formatReason((p.reason as string) || null)}` : 'awaiting verdict';
    const el = document.createElement('div');
    const title = document.createElement('strong');
    title.textContent = `${name(p.beaconer as string)} → ${name(p.witness as string)}`;
    const line = document.createElement('div');
    line.className = `popup-verdict popup-${p.status as string}`;
    line.textContent = verdict;
    const meta = document.createElement('div');
    meta.className = 'muted';
    meta.textContent = `RSSI ${Number(p.rssiDbm).toFixed(0)} dBm${p.distanceM ? ` · ${(Number(p.distanceM) / 1000).toFixed(1)} km` : ''}`;
    el.append(title, line, meta);
    this.popup.setLngLat(at).setDOMContent(el).addTo(this.map);
  }

  nameOf(address: string): string {
    return this.hotspots.byAddress.get(address)?.properties.name ?? `${address.slice(0, 8)}…`;
  }

  private onPoc(r: PocResult): void {
    this.live.poc(r);
    this.hotspots.setLastPoc(r.beaconer, r.beacon.status, r.receivedAtMs);
    for (const w of r.witnesses) if (w.status === 'valid') this.coverage.bumpWitnesses(w.location);
    const sel = this.state.hotspot;
    if (sel && (r.beaconer === sel || r.witnesses.some((w) => w.hotspot === sel))) {
      clearTimeout(this.detailTimer);
      this.detailTimer = setTimeout(() => void this.selectHotspot(sel, { fly: false, focus: false }), 800);
    }
  }

  async selectHotspot(address: string, opts: { fly: boolean; focus?: boolean }): Promise<void> {
    this.state = { ...this.state, hotspot: address, hex: undefined };
    this.coverage.select(null);
    this.hotspots.select(address);
    this.sidebar.showTab('hex', false);
    if (this.detail?.address !== address) this.sidebar.message('hotspot', 'Loading hotspot…');
    this.pushUrl();
    let d: HotspotDetail;
    try {
      d = await this.api.hotspot(address);
    } catch (e) {
      this.sidebar.message('hotspot', e instanceof ApiError && e.status === 404 ? 'Unknown hotspot.' : `Could not load: ${(e as Error).message}`);
      return;
    }
    if (this.state.hotspot !== address) return;
    this.detail = d;
    this.map.getSource<GeoJSONSource>('witness-paths')?.setData({ type: 'FeatureCollection', features: witnessPaths(address, d.recentRounds) } as GeoJSON.FeatureCollection);
    this.sidebar.render(
      'hotspot',
      hotspotPanel(d, {
        nowMs: Date.now(),
        nameOf: (a) => this.nameOf(a),
        hexRes: this.coverage.res,
        onChallenge: (a) => this.challenge(a),
        onSelectHotspot: (a) => void this.selectHotspot(a, { fly: true }),
        onSelectHex: (c) => this.selectHex(c),
      }),
      opts.focus ?? true,
    );
    if (d.lat === null || d.lng === null) return;
    // On a phone the open sheet covers the lower half: keep the hotspot in the half above it.
    const sheetPx = this.deps.phone && !this.sidebar.collapsed ? document.querySelector('#panel')!.getBoundingClientRect().height : 0;
    const offset: [number, number] = [0, -sheetPx / 2];
    if (opts.fly) this.map.flyTo({ center: [d.lng, d.lat], offset, zoom: Math.max(this.map.getZoom(), 12), duration: reducedMotion() ? 0 : 800 });
    else if (sheetPx > 0 && opts.focus !== false && this.map.project([d.lng, d.lat]).y > this.map.getContainer().clientHeight - sheetPx - 24) {
      this.map.easeTo({ center: [d.lng, d.lat], offset, duration: reducedMotion() ? 0 : 300 });
    }
  }

  private async challenge(address: string): Promise<string> {
    try {
      const c = await this.api.challenge(address);
      return `Challenge ${c.challengeId} sent — watch the map for the beacon.`;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) return 'The hotspot is offline.';
      throw e;
    }
  }

  selectHex(cell: string): void {
    if (!isValidCell(cell)) return;
    this.state = { ...this.state, hex: cell, hotspot: undefined };
    this.hotspots.select(null);
    this.detail = null;
    this.clearPaths();
    this.coverage.select(cell);
    this.sidebar.showTab('hotspot', false);
    const agg = this.coverage.hexOf(cell);
    if (!agg && !this.map.getBounds().contains(cellToLatLng(cell).reverse() as [number, number])) {
      const [lat, lng] = cellToLatLng(cell);
      this.map.flyTo({ center: [lng, lat], zoom: Math.max(this.map.getZoom(), 10), duration: reducedMotion() ? 0 : 600 });
    }
    this.sidebar.render('hex', hexPanel(cell, agg, hotspotsInHex(cell, this.hotspots.byAddress.values()), (a) => void this.selectHotspot(a, { fly: true })), true);
    this.pushUrl();
  }

  clearSelection(): void {
    this.state = { ...this.state, hotspot: undefined, hex: undefined };
    this.hotspots.select(null);
    this.coverage.select(null);
    this.detail = null;
    this.clearPaths();
    this.sidebar.showTab('hotspot', false);
    this.sidebar.showTab('hex', false);
    void this.openTab('network');
    this.pushUrl();
  }

  private clearPaths(): void {
    this.popup.remove();
    this.map.getSource<GeoJSONSource>('witness-paths')?.setData({ type: 'FeatureCollection', features: [] });
  }

  async openTab(tab: TabId, focus = true): Promise<void> {
    if (tab === 'hotspot' && this.state.hotspot) return this.selectHotspot(this.state.hotspot, { fly: false, focus });
    if (tab === 'hex' && this.state.hex) return this.selectHex(this.state.hex);
    if (tab === 'epochs') return this.openEpochs(this.state.epoch, focus);
    try {
      const n = await this.api.network();
      if (focus || this.sidebar.current === 'network') this.sidebar.render('network', networkPanel(n, this.live?.drawnRounds ?? 0), focus);
    } catch (e) {
      this.sidebar.message('network', `Network summary unavailable: ${(e as Error).message}`);
    }
  }

  private async openEpochs(epoch: number | undefined, focus: boolean): Promise<void> {
    try {
      this.epochList = (await this.api.epochs()).epochs;
      const n = epoch ?? this.epochList.reduce((m, e) => Math.max(m, e.epoch), -1);
      this.epochDetail = null;
      this.manifestVerified = null;
      if (n >= 0 && this.epochList.some((e) => e.epoch === n)) {
        [this.epochDetail, this.manifestVerified] = await Promise.all([this.api.epoch(n), this.api.manifestVerified(n).catch(() => null)]);
      }
      this.sidebar.render(
        'epochs',
        epochsPanel(this.epochList, this.epochDetail, {
          manifestUrl: this.epochDetail ? this.api.manifestUrl(this.epochDetail.epoch) : '#',
          verified: this.manifestVerified,
          onSelectEpoch: (e) => {
            this.state = { ...this.state, epoch: e };
            this.pushUrl();
            void this.openEpochs(e, false);
          },
          onSelectHotspot: (a) => void this.selectHotspot(a, { fly: true }),
        }),
        focus,
      );
    } catch (e) {
      this.sidebar.message('epochs', `Epochs unavailable: ${(e as Error).message}`);
    }
  }

  setMetric(metric: Metric): void {
    this.deps.ctx.metric = metric;
    applyPaint(this.map, this.deps.ctx, ['coverage-hexes']);
    this.state = { ...this.state, metric: metric.id };
    this.renderLegend();
    this.pushUrl();
  }

  setTheme(theme: 'light' | 'dark'): void {
    this.state = { ...this.state, theme };
    this.renderLegend();
    this.pushUrl();
  }

  private renderLegend(): void {
    document.querySelector('#legend')!.replaceChildren(...legend(this.deps.ctx.metric));
  }

  private pushUrl(): void {
    const c = this.map.getCenter();
    this.state = { ...this.state, center: { lng: c.lng, lat: c.lat }, zoom: this.map.getZoom() };
    this.deps.onUrl(this.state);
  }
}

/** `prefers-reduced-motion: reduce`: camera moves jump instead of flying. */
function reducedMotion(): boolean {
  return matchMedia('(prefers-reduced-motion: reduce)').matches;
}
