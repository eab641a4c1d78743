/**
 * The hotspots, from one of two sources (style/build-style.ts DataSources):
 * - vector tiles (`/api/v1/tiles/hotspots/…`, clustered on the server at low zoom): nothing is loaded up
 *   front. Feature ids are the addresses (promoteId), so live changes (online/offline, last PoC verdict),
 *   hover and selection are feature-state even for hotspots whose tile is not loaded yet. An address the
 *   map has not seen (often only outside the loaded tiles) reloads the tile source at most every
 *   HOTSPOT_RELOAD_MS (unchanged tiles answer 304 to the ETag).
 *   `byAddress` holds the hotspots of the loaded tiles (names, the hex panel), and search loads the full
 *   list once, on the first query.
 * - GeoJSON (an oracle without tile routes): one load of `/api/v1/hotspots` into a clustered source;
 *   feature-state on the API's integer ids; an unknown address triggers one debounced reload.
 */
import type { FeatureIdentifier, GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent, VectorTileSource } from 'maplibre-gl';
import type { ApiClient } from '../api/client.ts';
import type { HotspotFeature, HotspotProperties, PocStatus } from '../api/types.ts';
import { SOURCE_LAYER, type TileSourceInfo } from '../style/build-style.ts';
import { styleReady } from './style-ready.ts';
import { latLngToCell } from 'h3-js';

/** Wait this long after the last unknown address before reloading (events come in bursts). */
const RELOAD_DEBOUNCE_MS = 1500;
/** Hotspot locations are res-12 cells (docs/api.md Onboarding body). */
const LOCATION_RES = 12;
/** Tiles: reload the hotspot tiles at most this often for addresses the map has not seen. */
export const HOTSPOT_RELOAD_MS = 30_000;
/** A cluster click zooms in this many levels (the server's clusters split within about two levels). */
const CLUSTER_ZOOM_STEP = 2;

export class HotspotLayer {
  readonly byAddress = new Map<string, HotspotFeature>();
  private selected: FeatureIdentifier | null = null;
  private hovered: FeatureIdentifier | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private fullList: Promise<void> | null = null;
  private lastReloadMs = 0;
  loading: Promise<void> = Promise.resolve();
  onClick: (address: string) => void = () => {};
  onLoad: () => void = () => {};

  constructor(private readonly map: MapLibreMap, private readonly api: ApiClient, private readonly tiles: TileSourceInfo | null = null) {
    map.on('click', 'hotspots', (e) => {
      const address = e.features?.[0]?.properties?.address as string | undefined;
      if (address) this.onClick(address);
    });
    map.on('click', 'hotspot-clusters', (e) => void this.expandCluster(e));
    for (const layer of ['hotspots', 'hotspot-clusters']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
    map.on('mousemove', 'hotspots', (e) => {
      const f = e.features?.[0];
      this.hover(f ? this.idOf(f.properties.address as string, f.id as number) : null);
    });
    map.on('mouseleave', 'hotspots', () => this.hover(null));
    if (tiles) map.on('idle', () => this.collectFromTiles());
  }

  get vector(): boolean {
    return this.tiles !== null;
  }

  /** The feature-state key of a hotspot: its address on tiles, the API's integer id on GeoJSON. */
  private idOf(address: string, numericId?: number): FeatureIdentifier | null {
    if (this.tiles) return { source: 'hotspots', sourceLayer: SOURCE_LAYER.hotspots, id: address };
    const id = numericId ?? this.byAddress.get(address)?.id;
    return id === undefined ? null : { source: 'hotspots', id };
  }

  /** GeoJSON: load every hotspot. Tiles: nothing to load (the tiles come as the map needs them). */
  load(): Promise<void> {
    if (this.tiles) return this.loading;
    this.loading = this.api.hotspots().then(async (fc) => {
      await styleReady(this.map, 'hotspots');
      this.byAddress.clear();
      for (const f of fc.features) this.byAddress.set(f.properties.address, f);
      this.map.getSource<GeoJSONSource>('hotspots')?.setData(fc as GeoJSON.FeatureCollection);
      this.selected = null;
      this.hovered = null;
      this.onLoad();
    });
    return this.loading;
  }

  /**
   * Tiles: remember the hotspots of the loaded tiles (a hotspot on a tile border comes twice). The tiles
   * carry only what the map draws (address, name, online, lastPocStatus, hexScale); the res-12 location
   * cell is recovered from the point, which is that cell's centre (docs/api.md Vector tiles).
   */
  private collectFromTiles(): void {
    for (const f of this.map.querySourceFeatures('hotspots', { sourceLayer: SOURCE_LAYER.hotspots })) {
      const p = f.properties as Partial<HotspotProperties> & { cluster?: boolean };
      if (p.cluster || typeof p.address !== 'string' || this.byAddress.has(p.address) || f.geometry.type !== 'Point') continue;
      const [lng, lat] = f.geometry.coordinates as [number, number];
      const properties = { ...p, location: p.location ?? latLngToCell(lat, lng, LOCATION_RES) } as HotspotProperties;
      this.byAddress.set(p.address, { type: 'Feature', id: 0, geometry: { type: 'Point', coordinates: [lng, lat] }, properties } as HotspotFeature);
    }
  }

  /** Tiles: fetch the whole list once, for search (the tiles only hold what is in view). */
  private loadFullList(): void {
    this.fullList ??= this.api.hotspots().then((fc) => {
      for (const f of fc.features) this.byAddress.set(f.properties.address, f);
      this.onLoad();
    }, (e: unknown) => {
      this.fullList = null;
      console.warn('hotspots', e);
    });
  }

  /** Reload once, soon, when events mention a hotspot the map does not know. */
  ensureKnown(address: string): void {
    if (this.byAddress.has(address)) return;
    if (this.tiles) {
      if (this.reloadTimer !== undefined) return;
      const waitMs = Math.max(RELOAD_DEBOUNCE_MS, this.lastReloadMs + HOTSPOT_RELOAD_MS - Date.now());
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = undefined;
        this.lastReloadMs = Date.now();
        this.reloadTiles();
      }, waitMs);
      return;
    }
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load().catch(() => {}), RELOAD_DEBOUNCE_MS);
  }

  /** Ask for the hotspot tiles again; the old tiles stay drawn until the new ones arrive. */
  reloadTiles(): void {
    if (this.tiles) this.map.getSource<VectorTileSource>('hotspots')?.setTiles(this.tiles.tiles);
  }

  private state(address: string, state: Record<string, unknown>): void {
    const id = this.idOf(address);
    if (id) this.map.setFeatureState(id, state);
    if (!this.byAddress.has(address)) this.ensureKnown(address);
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
    if (this.selected) this.map.setFeatureState(this.selected, { selected: false });
    this.selected = address ? this.idOf(address) : null;
    if (this.selected) this.map.setFeatureState(this.selected, { selected: true });
  }

  private hover(id: FeatureIdentifier | null): void {
    if (id?.id === this.hovered?.id) return;
    if (this.hovered) this.map.setFeatureState(this.hovered, { hover: false });
    this.hovered = id;
    if (id) this.map.setFeatureState(id, { hover: true });
  }

  private async expandCluster(e: MapLayerMouseEvent): Promise<void> {
    const f = e.features?.[0];
    if (!f) return;
    const center = (f.geometry as GeoJSON.Point).coordinates as [number, number];
    const zoom = this.tiles
      ? this.map.getZoom() + CLUSTER_ZOOM_STEP
      : (await this.map.getSource<GeoJSONSource>('hotspots')!.getClusterExpansionZoom(f.properties.cluster_id as number)) + 0.5;
    this.map.easeTo({ center, zoom });
  }

  /** Search by animal name (words, any case) or address prefix; best matches first. */
  search(query: string, limit = 8): HotspotFeature[] {
    const q = query.trim().toLowerCase();
    if (q.length < 2) return [];
    if (this.tiles) this.loadFullList();
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
