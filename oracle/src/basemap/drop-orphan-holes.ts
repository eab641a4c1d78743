/**
 * Holes outside their own polygon, left out. The 10 m file has 4,941 of its 838,960 holes lying outside
 * the outer ring of the polygon they belong to (measured; an artefact of how it was cut): one, a triangle of
 * Long Island's polygon, sits on Manhattan's Upper East Side and Central Park. A renderer groups a
 * feature's rings by winding (MVT 2.1 §4.3.4.4), so once cut into tiles such a hole lands in whatever
 * polygon precedes it and draws water on land, with a shore around it. GeoJSON (RFC 7946 §3.1.6) says a
 * hole lies inside its outer ring; a hole that does not bounds nothing and is dropped.
 */
import type { Position } from 'geojson';

/** Edges per horizontal band of the ring index: a point test scans one band (≈ this many edges). */
const EDGES_PER_BAND = 8;

/** A ring's edges sorted into horizontal bands, for fast point-in-ring tests (ray casting). */
class RingIndex {
  private readonly minY: number;
  private readonly maxY: number;
  private readonly bandH: number;
  private readonly bands: number[][];

  constructor(private readonly ring: Position[]) {
    let minY = Infinity;
    let maxY = -Infinity;
    for (const p of ring) {
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
    this.minY = minY;
    this.maxY = maxY;
    const n = Math.max(1, Math.floor(ring.length / EDGES_PER_BAND));
    this.bandH = (maxY - minY) / n || 1;
    this.bands = Array.from({ length: n }, () => []);
    for (let i = 0; i + 1 < ring.length; i++) {
      const lo = this.band(Math.min(ring[i][1], ring[i + 1][1]));
      const hi = this.band(Math.max(ring[i][1], ring[i + 1][1]));
      for (let b = lo; b <= hi; b++) this.bands[b].push(i);
    }
  }

  private band(y: number): number {
    return Math.min(this.bands.length - 1, Math.max(0, Math.floor((y - this.minY) / this.bandH)));
  }

  /** Ray casting towards +x over the edges of the point's band (each edge is in every band it spans, once). */
  contains(p: Position): boolean {
    if (p[1] < this.minY || p[1] > this.maxY) return false;
    let inside = false;
    for (const i of this.bands[this.band(p[1])]) {
      const a = this.ring[i];
      const b = this.ring[i + 1];
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
    return inside;
  }
}

/**
 * The polygon without its holes that lie outside its outer ring. A hole is kept when the midpoint of any of
 * its first three edges is inside the outer ring (a hole may touch the outer ring along an edge).
 */
export function dropOrphanHoles(polygon: Position[][]): Position[][] {
  if (polygon.length <= 1) return polygon;
  const outer = new RingIndex(polygon[0]);
  const kept = [polygon[0]];
  for (let h = 1; h < polygon.length; h++) {
    const hole = polygon[h];
    let inside = false;
    for (let i = 0; i < 3 && i + 1 < hole.length && !inside; i++) {
      inside = outer.contains([(hole[i][0] + hole[i + 1][0]) / 2, (hole[i][1] + hole[i + 1][1]) / 2]);
    }
    if (inside) kept.push(hole);
  }
  return kept;
}
