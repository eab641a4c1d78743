/**
 * The `hotspots` vector tile layer (docs/api.md "Vector tiles"): one point per located hotspot with the
 * properties of a `GET /api/v1/hotspots` feature, clustered with supercluster up to
 * HOTSPOT_CLUSTER_MAX_ZOOM. Encoded to MVT 2.1 by vt-pbf from supercluster's geojson-vt-shaped tiles.
 */
import Supercluster from 'supercluster';
import { fromGeojsonVt } from 'vt-pbf';
import type { TileHotspotRow } from '../store/hotspot-store.ts';

/** MVT extent (MVT 2.1 §4.3: 4096 is the customary value). */
export const TILE_EXTENT = 4096;
/** Hotspots cluster up to this tile zoom; deeper every hotspot is its own point (the map's own rule). */
export const HOTSPOT_CLUSTER_MAX_ZOOM = 9;
/**
 * Cluster radius in tile units: the map clustered 40 px on 512-px tiles, i.e. 40/512 of a tile,
 * = 320 at extent 4096. supercluster also keeps points within this distance outside the tile (the
 * buffer), so circles on a tile border are drawn by both tiles, uncut.
 */
export const HOTSPOT_CLUSTER_RADIUS = (40 / 512) * TILE_EXTENT;

/** Property values in a tile: MVT has no null, so a null property is left out (MapLibre's `get` gives null). */
export type TileTags = Record<string, string | number | boolean>;

/**
 * The tile properties of one hotspot, named as in GET /api/v1/hotspots, nulls left out: what the map
 * draws, selects and searches by. The rest (location, region, gain, elevation, last beacon) is in
 * GET /api/v1/hotspots/:address; leaving it out keeps a dense city view under 1 MB (issue 16 target).
 */
export function hotspotTags(h: TileHotspotRow): TileTags {
  const t: TileTags = { address: h.address, name: h.name, online: h.online };
  if (h.lastPocStatus !== null) t.lastPocStatus = h.lastPocStatus;
  if (h.hexScale !== null) t.hexScale = h.hexScale;
  return t;
}

interface ClusterAgg {
  online: number;
}

export class HotspotTileIndex {
  private readonly index: Supercluster<TileTags, ClusterAgg>;

  constructor(rows: Iterable<TileHotspotRow>) {
    this.index = new Supercluster<TileTags, ClusterAgg>({
      maxZoom: HOTSPOT_CLUSTER_MAX_ZOOM,
      radius: HOTSPOT_CLUSTER_RADIUS,
      extent: TILE_EXTENT,
      // cluster aggregate: how many of its hotspots are online (the map's `online` cluster property)
      map: (p) => ({ online: p.online === true ? 1 : 0 }),
      reduce: (acc, p) => {
        acc.online += p.online;
      },
    });
    this.index.load(Array.from(rows, (h) => ({ type: 'Feature' as const, id: h.id, geometry: { type: 'Point' as const, coordinates: [h.lng, h.lat] }, properties: hotspotTags(h) })));
  }

  /** The MVT bytes of one tile; an empty Uint8Array when no hotspot or cluster falls on it. */
  tile(z: number, x: number, y: number): Uint8Array {
    const t = this.index.getTile(z, x, y);
    if (!t) return new Uint8Array(0);
    return fromGeojsonVt({ hotspots: t as any }, { version: 2, extent: TILE_EXTENT });
  }
}
