/**
 * The `hotspots` vector tile layer (docs/api.md "Vector tiles"): one point per located hotspot with the
 * properties of a `GET /api/v1/hotspots` feature, clustered with supercluster up to
 * HOTSPOT_CLUSTER_MAX_ZOOM. Encoded to MVT 2.1 by vt-pbf from supercluster's geojson-vt-shaped tiles, in
 * a worker thread (hotspot-tile-worker.mjs).
 */
import { Worker } from 'node:worker_threads';
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
 * The tile properties of one hotspot (hotspot-tile-worker.mjs builds the same from the packed rows),
 * named as in GET /api/v1/hotspots, nulls left out: what the map
 * draws, selects and searches by. The rest (location, region, gain, elevation, last beacon) is in
 * GET /api/v1/hotspots/:address; leaving it out keeps a dense city view under 1 MB (issue 16 target).
 */
export function hotspotTags(h: TileHotspotRow): TileTags {
  const t: TileTags = { address: h.address, name: h.name, online: h.online };
  if (h.lastPocStatus !== null) t.lastPocStatus = h.lastPocStatus;
  if (h.hexScale !== null) t.hexScale = h.hexScale;
  return t;
}

const STATUS_CODE = { valid: 1, invalid: 2 } as const;

/**
 * The hotspot points and clusters of every tile, held by a worker thread (hotspot-tile-worker.mjs):
 * building supercluster's index over 370,000 hotspots takes ≈ 0.7 s of CPU, which on the event loop held
 * up every request for as long (a rebuild runs after every burst of verified rounds). Here the event loop
 * only packs the rows into typed arrays and string arrays (structured clone copies them fast), and each
 * tile is one message to the worker and back. A new index gets a new worker; the old one answers the
 * tiles asked for meanwhile and is closed once it has answered them.
 */
export class HotspotTileIndex {
  private readonly inflight = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private closing = false;
  private failed: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { type: string; seq: number; bytes: Uint8Array }) => {
      if (m.type !== 'tile') return;
      const p = this.inflight.get(m.seq);
      this.inflight.delete(m.seq);
      p?.resolve(m.bytes);
      if (this.closing && this.inflight.size === 0) void this.worker.terminate();
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`hotspot tile worker exited with code ${code}`));
    });
  }

  /** Build the index of `rows` (in this order: supercluster's clusters depend on it) in a new worker. */
  static async build(rows: readonly TileHotspotRow[]): Promise<HotspotTileIndex> {
    const n = rows.length;
    const ids = new Float64Array(n);
    const coords = new Float64Array(2 * n);
    const online = new Uint8Array(n);
    const status = new Uint8Array(n);
    const address = new Array<string>(n);
    const name = new Array<string>(n);
    const hexScale = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const h = rows[i];
      ids[i] = h.id;
      coords[2 * i] = h.lng;
      coords[2 * i + 1] = h.lat;
      online[i] = h.online ? 1 : 0;
      status[i] = h.lastPocStatus === null ? 0 : STATUS_CODE[h.lastPocStatus];
      address[i] = h.address;
      name[i] = h.name;
      hexScale[i] = h.hexScale;
    }
    const worker = new Worker(new URL('./hotspot-tile-worker.mjs', import.meta.url));
    worker.unref();
    const built = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== 'built') return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    const options = { maxZoom: HOTSPOT_CLUSTER_MAX_ZOOM, radius: HOTSPOT_CLUSTER_RADIUS, extent: TILE_EXTENT };
    worker.postMessage({ type: 'build', options, ids, coords, online, status, address, name, hexScale }, [ids.buffer, coords.buffer, online.buffer, status.buffer]);
    try {
      await built;
    } catch (e) {
      await worker.terminate();
      throw e;
    }
    return new HotspotTileIndex(worker);
  }

  /** The MVT bytes of one tile; an empty Uint8Array when no hotspot or cluster falls on it. */
  tile(z: number, x: number, y: number): Promise<Uint8Array> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.inflight.set(seq, { resolve, reject });
      this.worker.postMessage({ type: 'tile', seq, z, x, y });
    });
  }

  /** Stop the worker once the tiles already asked for are answered. */
  close(): void {
    this.closing = true;
    if (this.inflight.size === 0) void this.worker.terminate();
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const p of this.inflight.values()) p.reject(e);
    this.inflight.clear();
  }
}
