/**
 * Reading Mapbox Vector Tiles in tests with @mapbox/vector-tile + pbf (never with the code under test),
 * and a point-in-polygon test over a layer's polygons in tile units, read as a renderer reads them.
 */
import { VectorTile, classifyRings } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export type Pt = { x: number; y: number };

export interface DecodedTile {
  layers: string[];
  extent: Record<string, number>;
  /** Every feature's geometry per layer: rings (polygons) or lines, in tile units. */
  geometry: Record<string, Pt[][][]>;
  /** Geometry type per layer (1 point, 2 line, 3 polygon), one entry per feature. */
  types: Record<string, number[]>;
}

export function decodeTile(bytes: Uint8Array): DecodedTile {
  const vt = new VectorTile(new PbfReader(bytes));
  const layers = Object.keys(vt.layers).sort();
  const out: DecodedTile = { layers, extent: {}, geometry: {}, types: {} };
  for (const name of layers) {
    const layer = vt.layers[name];
    out.extent[name] = layer.extent;
    out.geometry[name] = [];
    out.types[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      out.types[name].push(f.type);
      out.geometry[name].push(f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))));
    }
  }
  return out;
}

function inRing(ring: Pt[], p: Pt): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * True when p is drawn as part of the layer: inside a polygon's outer ring and outside its holes, with a
 * feature's rings grouped into polygons by winding as MapLibre does (MVT 2.1 §4.3.4.4, @mapbox/vector-tile
 * `classifyRings`).
 */
export function insideLayer(tile: DecodedTile, layer: string, p: Pt): boolean {
  for (const feature of tile.geometry[layer] ?? []) {
    for (const polygon of classifyRings(feature as never) as unknown as Pt[][][]) {
      if (inRing(polygon[0], p) && !polygon.slice(1).some((hole) => inRing(hole, p))) return true;
    }
  }
  return false;
}

/** Shortest distance (tile units) from p to any segment of the layer's lines. */
export function distanceToLines(tile: DecodedTile, layer: string, p: Pt): number {
  let best = Infinity;
  for (const feature of tile.geometry[layer] ?? []) {
    for (const line of feature) {
      for (let i = 0; i + 1 < line.length; i++) {
        const a = line[i];
        const b = line[i + 1];
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
        best = Math.min(best, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)));
      }
    }
  }
  return best;
}
