/**
 * The basemap's tile pyramid as plain functions over GeoJSON (no files, no clock): the land polygons and
 * their coastline cut into vector tiles with geojson-vt (clipping with a buffer, simplification per zoom)
 * and encoded with vt-pbf (Mapbox Vector Tile 2.1). Two products:
 * - the low zooms (0 … BUCKET_ZOOM − 1), encoded whole, one walk from z0 over the non-empty tiles;
 * - one bucket per non-empty tile at BUCKET_ZOOM: the land and coastline inside it (plus a buffer), at
 *   full detail, as GeoJSON; the tiles at BUCKET_ZOOM … BASEMAP_MAX_ZOOM are cut from one bucket on demand.
 * A tile fully on land comes out as one square; a tile of open sea has no bucket and is an empty tile.
 */
import GeoJSONVT, { type LegacyFeature, type LegacyTile } from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { coastlineOf } from './coastline.ts';
import { dropOrphanHoles } from './drop-orphan-holes.ts';
import { tileXToLng, tileYToLat } from '../tiles/tile-math.ts';

/** Deepest zoom with tiles of its own (TileJSON maxzoom); MapLibre overzooms beyond. z14 ≈ 2.4 m per pixel at 4096 units: the 10 m data is whole. */
export const BASEMAP_MAX_ZOOM = 14;
/** Zoom of the buckets the detailed tiles are cut from (1/128 of the world's width each). */
export const BUCKET_ZOOM = 7;
/** Tile extent (units per tile side) and buffer (units past each edge), geojson-vt's and MapLibre's defaults. */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
/** The source layers of every tile. */
export const LAYERS = ['land', 'coastline'] as const;
export type LayerName = (typeof LAYERS)[number];

/** Bucket extent: BUCKET_ZOOM + log2(extent) = 26 bits, the grid geojson-vt keeps its input on at z14 (4096 · 2^14), so nothing is lost. */
const BUCKET_EXTENT = 2 ** (26 - BUCKET_ZOOM);
/** Bucket buffer: the same share of the bucket as TILE_BUFFER of a tile, so every deeper tile's buffer lies inside its bucket. */
const BUCKET_BUFFER = (BUCKET_EXTENT * TILE_BUFFER) / TILE_EXTENT;

type LayeredFeature = Feature<Polygon | MultiPolygon | LineString | MultiLineString, { layer: LayerName }>;

/** Land polygons (holes outside their polygon dropped) plus their coastline, each feature tagged with its layer. */
export function layeredFeatures(land: FeatureCollection): FeatureCollection {
  const features: LayeredFeature[] = [];
  for (const f of land.features) {
    const g = f.geometry;
    if (g?.type === 'Polygon') features.push({ type: 'Feature', properties: { layer: 'land' }, geometry: { type: 'Polygon', coordinates: dropOrphanHoles(g.coordinates) } });
    else if (g?.type === 'MultiPolygon') features.push({ type: 'Feature', properties: { layer: 'land' }, geometry: { type: 'MultiPolygon', coordinates: g.coordinates.map(dropOrphanHoles) } });
  }
  const cleaned: FeatureCollection = { type: 'FeatureCollection', features: features.slice() };
  for (const line of coastlineOf(cleaned)) features.push({ type: 'Feature', properties: { layer: 'coastline' }, geometry: line.geometry });
  return { type: 'FeatureCollection', features };
}

/** The larger side of a line's bounding box, in tile units. */
function spanUnits(line: [number, number][]): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of line) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return Math.max(maxX - minX, maxY - minY);
}

/** A geojson-vt tile as MVT bytes, one layer per source layer that has features (none: zero bytes, an empty tile). */
export function encodeTile(tile: LegacyTile | null): Uint8Array {
  if (!tile) return new Uint8Array(0);
  const layers: Record<string, { features: LegacyFeature[] }> = {};
  for (const name of LAYERS) {
    const features: LegacyFeature[] = [];
    for (const f of tile.features) {
      if (f.tags?.layer !== name) continue;
      if (f.type === 2) {
        // geojson-vt keeps short lines whole (measured: 30,132 of the 31,293 coastline lines of the 10 m
        // z0 tile spanned under 2 units); a line within 2 × 2 units draws nothing, so it is left out
        const lines = f.geometry.filter((line) => spanUnits(line) >= 2);
        if (lines.length) features.push({ ...f, geometry: lines, tags: {} });
      } else {
        features.push({ ...f, tags: {} });
      }
    }
    if (features.length) layers[name] = { features };
  }
  if (Object.keys(layers).length === 0) return new Uint8Array(0);
  return fromGeojsonVt(layers as unknown as Parameters<typeof fromGeojsonVt>[0], { version: 2, extent: TILE_EXTENT });
}

export interface EncodedTile {
  z: number;
  x: number;
  y: number;
  bytes: Uint8Array;
}

/** The index the low zooms are cut from (geojson-vt keeps its own copy: the GeoJSON can go once it is built). */
export function lowZoomIndex(layered: FeatureCollection): GeoJSONVT {
  // maxZoom as served (not BUCKET_ZOOM − 1): geojson-vt leaves its maxZoom unsimplified, which made the z6
  // tiles of the 10 m file 100 MB; here every low zoom is simplified to 3 units of its own tile.
  return new GeoJSONVT(layered, { maxZoom: BASEMAP_MAX_ZOOM, indexMaxZoom: 0, tolerance: 3, extent: TILE_EXTENT, buffer: TILE_BUFFER });
}

/** Every non-empty tile at zooms 0 … BUCKET_ZOOM − 1 of a lowZoomIndex, parents before children. */
export function* lowZoomTiles(index: GeoJSONVT): Generator<EncodedTile> {
  const queue: [number, number, number][] = [[0, 0, 0]];
  for (let i = 0; i < queue.length; i++) {
    const [z, x, y] = queue[i];
    const tile = index.getTile(z, x, y);
    if (!tile || tile.features.length === 0) continue;
    yield { z, x, y, bytes: encodeTile(tile) };
    if (z + 1 < BUCKET_ZOOM) for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) queue.push([z + 1, 2 * x + dx, 2 * y + dy]);
  }
}

/**
 * One bucket at BUCKET_ZOOM: its land polygons and coastline lines in bucket units (0 … BUCKET_EXTENT
 * across the bucket, the buffer beyond), each ring or line a flat list x0, y0, dx1, dy1, … of whole
 * numbers (first point absolute, then differences, as MVT does): about a third of the bytes of GeoJSON
 * degrees before compression, and far fewer after.
 */
export interface Bucket {
  x: number;
  y: number;
  /** Polygons, each a list of rings (outer first, then holes). */
  land: number[][][];
  coastline: number[][];
}

function deltaRing(flat: ArrayLike<number>): number[] {
  const out = new Array<number>(flat.length);
  let px = 0;
  let py = 0;
  for (let i = 0; i < flat.length; i += 2) {
    out[i] = flat[i] - px;
    out[i + 1] = flat[i + 1] - py;
    px = flat[i];
    py = flat[i + 1];
  }
  return out;
}

/** Signed area (shoelace) of a flat ring in tile units; y points down, so MVT's outer rings are positive. */
function ringArea(flat: ArrayLike<number>): number {
  let a = 0;
  const n = flat.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) a += (flat[j] - flat[i]) * (flat[i + 1] + flat[j + 1]);
  return a;
}

/** The unsimplified index the buckets are cut from. */
export function bucketSplitIndex(layered: FeatureCollection): GeoJSONVT {
  return new GeoJSONVT(layered, { maxZoom: BUCKET_ZOOM, indexMaxZoom: 0, tolerance: 0, extent: BUCKET_EXTENT, buffer: BUCKET_BUFFER });
}

/** geojson-vt's key of a tile in its `tiles` table (src/index.js `toID`). */
const tileId = (z: number, x: number, y: number) => ((1 << z) * y + x) * 32 + z;

/**
 * Every non-empty bucket at BUCKET_ZOOM, unsimplified, found by a walk from z0 over non-empty tiles.
 * Unsimplified, every level of geojson-vt's tile table holds the whole input once more; a tile whose
 * children are cut (its source already dropped by geojson-vt) and a bucket once taken are removed from the
 * table (`tiles`, public in geojson-vt's source), so the walk holds about two levels at a time. Tiles are
 * read raw (flat typed arrays) to skip geojson-vt's copy into point pairs.
 */
export function* buckets(index: GeoJSONVT): Generator<Bucket> {
  const table = (index as unknown as { tiles: Record<number, unknown> }).tiles;
  const queue: [number, number, number][] = [[0, 0, 0]];
  for (let i = 0; i < queue.length; i++) {
    const [z, x, y] = queue[i];
    const tile = index.getTileRaw(z, x, y);
    if (z > 0) delete table[tileId(z - 1, x >> 1, y >> 1)];
    if (!tile || tile.features.length === 0) continue;
    if (z === BUCKET_ZOOM) {
      const bucket: Bucket = { x, y, land: [], coastline: [] };
      for (const f of tile.features) {
        if (f.type === 3 && f.tags?.layer === 'land') {
          // rings regrouped into polygons by winding (MVT 2.1 §4.3.4.4: an outer ring, then its holes)
          for (const ring of f.geometry) {
            const area = ringArea(ring);
            if (area === 0) continue;
            if (area > 0 || bucket.land.length === 0) bucket.land.push([deltaRing(ring)]);
            else bucket.land[bucket.land.length - 1].push(deltaRing(ring));
          }
        } else if (f.type === 2 && f.tags?.layer === 'coastline') {
          for (const line of f.geometry) bucket.coastline.push(deltaRing(line));
        }
      }
      delete table[tileId(z, x, y)];
      yield bucket;
      continue;
    }
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) queue.push([z + 1, 2 * x + dx, 2 * y + dy]);
  }
}

/** A bucket as GeoJSON in degrees, the input of its tile index. */
export function bucketGeojson(b: Bucket): FeatureCollection {
  const toLngLat = (delta: number[]): Position[] => {
    const out: Position[] = [];
    let ux = 0;
    let uy = 0;
    for (let i = 0; i < delta.length; i += 2) {
      ux += delta[i];
      uy += delta[i + 1];
      out.push([tileXToLng(b.x + ux / BUCKET_EXTENT, BUCKET_ZOOM), tileYToLat(b.y + uy / BUCKET_EXTENT, BUCKET_ZOOM)]);
    }
    return out;
  };
  const features: Feature[] = [];
  if (b.land.length) features.push({ type: 'Feature', properties: { layer: 'land' }, geometry: { type: 'MultiPolygon', coordinates: b.land.map((rings) => rings.map(toLngLat)) } });
  if (b.coastline.length) features.push({ type: 'Feature', properties: { layer: 'coastline' }, geometry: { type: 'MultiLineString', coordinates: b.coastline.map(toLngLat) } });
  return { type: 'FeatureCollection', features };
}

/** The tile index of one bucket, from which its tiles at BUCKET_ZOOM … BASEMAP_MAX_ZOOM are cut. */
export function bucketIndex(features: FeatureCollection): GeoJSONVT {
  return new GeoJSONVT(features, { maxZoom: BASEMAP_MAX_ZOOM, indexMaxZoom: BUCKET_ZOOM, tolerance: 3, extent: TILE_EXTENT, buffer: TILE_BUFFER });
}

/** A whole (small) land set as one tile index for every zoom: the coarse fallback while the buckets are built. */
export function wholeIndex(layered: FeatureCollection): GeoJSONVT {
  return new GeoJSONVT(layered, { maxZoom: BASEMAP_MAX_ZOOM, indexMaxZoom: 4, tolerance: 3, extent: TILE_EXTENT, buffer: TILE_BUFFER });
}
