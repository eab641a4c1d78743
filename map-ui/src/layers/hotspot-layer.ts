/**
 * The hotspots: one GeoJSON load of `/api/v1/hotspots` into a clustered source (clusters up to
 * CLUSTER_MAX_ZOOM). Live changes (online/offline, last PoC verdict) and hover/selection are
 * feature-state on the API's integer feature ids, so a live event never re-uploads the 10,000 points.
 * An address the map has not seen triggers one debounced reload.
 */
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import type { ApiClient } from '../api/client.ts';
import type { HotspotFeature, PocStatus } from '../api/types.ts';
import { styleReady } from './style-ready.ts';

export class HotspotLayer {
  readonly byAddress = new Map<string, HotspotFeature>();
  private selectedId: number | null = null;
  private hoveredId: number | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  loading: Promise<void> = Promise.resolve();
  onClick: (address: string) => void = () => {};
  onLoad: () => void = () => {};

  constructor(private readonly map: MapLibreMap, private readonly api: ApiClient) {
    map.on('click', 'hotspots', (e) => {
      const address = e.features?.[0]?.properties?.address as string | undefined;
      if (address) this.onClick(address);
    });
    map.on('click', 'hotspot-clusters', (e) => void this.expandCluster(e));
    for (const layer of ['hotspots', 'hotspot-clusters']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
    map.on('mousemove', 'hotspots', (e) => this.hover((e.features?.[0]?.id as number | undefined) ?? null));
    map.on('mouseleave', 'hotspots', () => this.hover(null));
  }

  load(): Promise<void> {
    this.loading = this.api.hotspots().then(async (fc) => {
      await styleReady(this.map, 'hotspots');
      this.byAddress.clear();
      for (const f of fc.features) this.byAddress.set(f.properties.address, f);
      this.map.getSource<GeoJSONSource>('hotspots')?.setData(fc as GeoJSON.FeatureCollection);
      this.selectedId = null;
      this.hoveredId = null;
      this.onLoad();
    });
    return this.loading;
  }

  /** Reload once, soon, when events mention a hotspot the map does not know. */
  ensureKnown(address: string): void {
    if (this.byAddress.has(address)) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load().catch(() => {}), 1500);
  }

  private state(address: string, state: Record<string, unknown>): void {
    const f = this.byAddress.get(address);
    if (f) this.map.setFeatureState({ source: 'hotspots', id: f.id }, state);
    else this.ensureKnown(address);
  }

  setOnline(address: string, online: boolean): void {
    const f = this.byAddress.get(address);
    if (f) f.properties.online = online;
    this.state(address, { online });
  }

  setLastPoc(address: string, status: PocStatus, atMs: number): void {
    const f = this.byAddress.get(address);
    if (f) {
      f.properties.lastPocStatus = status;
      f.properties.lastBeaconAtMs = atMs;
    }
    this.state(address, { lastPocStatus: status });
  }

  select(address: string | null): void {
    if (this.selectedId !== null) this.map.setFeatureState({ source: 'hotspots', id: this.selectedId }, { selected: false });
    const f = address ? this.byAddress.get(address) : undefined;
    this.selectedId = f ? f.id : null;
    if (f) this.map.setFeatureState({ source: 'hotspots', id: f.id }, { selected: true });
  }

  private hover(id: number | null): void {
    if (id === this.hoveredId) return;
    if (this.hoveredId !== null) this.map.setFeatureState({ source: 'hotspots', id: this.hoveredId }, { hover: false });
    this.hoveredId = id;
    if (id !== null) this.map.setFeatureState({ source: 'hotspots', id }, { hover: true });
  }

  private async expandCluster(e: MapLayerMouseEvent): Promise<void> {
    const f = e.features?.[0];
    if (!f) return;
    const zoom = await this.map.getSource<GeoJSONSource>('hotspots')!.getClusterExpansionZoom(f.properties.cluster_id as number);
    this.map.easeTo({ center: (f.geometry as GeoJSON.Point).coordinates as [number, number], zoom: zoom + 0.5 });
  }

  /** Search by animal name (words, any case) or address prefix; best matches first. */
  search(query: string, limit = 8): HotspotFeature[] {
    const q = query.trim().toLowerCase();
    if (q.length < 2) return [];
    const words = q.replace(/-/g, ' ');
    const starts: HotspotFeature[] = [];
    const contains: HotspotFeature[] = [];
    for (const f of this.byAddress.values()) {
      const name = f.properties.name.toLowerCase().replace(/-/g, ' ');
      const addr = f.properties.address.toLowerCase();
      if (name.startsWith(words) || addr.startsWith(q)) starts.push(f);
      else if (name.includes(words)) contains.push(f);
      if (starts.length >= limit) break;
    }
    return [...starts, ...contains].slice(0, limit);
  }
}
