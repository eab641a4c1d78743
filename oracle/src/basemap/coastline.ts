/**
 * The coastline of a set of land polygons: their outlines without the edges two polygons share.
 * `@geo-maps/countries-land-*` cut the land into countries, so a border between two countries is an edge
 * of both polygons, with the same vertices in both (measured on the 10 m file: 823,302 of its 6.4 million
 * distinct edges occur twice). An edge met twice is a land border, not a shore, and is left out; so are
 * the edges of the data's frame (along the antimeridian and south of Web Mercator's limit), which are not
 * shores either.
 */
import type { Feature, FeatureCollection, LineString, Position } from 'geojson';

type Ring = Position[];

function polygonsOf(fc: FeatureCollection): Ring[][] {
  const out: Ring[][] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === 'Polygon') out.push(g.coordinates);
    else if (g.type === 'MultiPolygon') out.push(...g.coordinates);
  }
  return out;
}

function pointKey(p: Position): string {
  return `${p[0]},${p[1]}`;
}

function edgeKey(a: Position, b: Position): string {
  const ka = pointKey(a);
  const kb = pointKey(b);
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
}

/** An edge of the data's frame rather than of the land: along ±180° longitude or below −85° latitude. */
function isFrameEdge(a: Position, b: Position): boolean {
  if (Math.abs(a[0]) === 180 && a[0] === b[0]) return true;
  return a[1] < -85 && b[1] < -85;
}

/** The shore lines of `fc`'s polygons (rings in file order, each ring's runs of unshared edges). */
export function coastlineOf(fc: FeatureCollection): Feature<LineString>[] {
  const polygons = polygonsOf(fc);
  const uses = new Map<string, number>();
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const k = edgeKey(ring[i], ring[i + 1]);
        uses.set(k, (uses.get(k) ?? 0) + 1);
      }
    }
  }
  const lines: Feature<LineString>[] = [];
  const emit = (coords: Position[]) => {
    if (coords.length >= 2) lines.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } });
  };
  for (const rings of polygons) {
    for (const ring of rings) {
      const n = ring.length - 1; // closed ring: the last position repeats the first
      if (n < 3) continue;
      const shore = (i: number) => uses.get(edgeKey(ring[i], ring[i + 1])) === 1 && !isFrameEdge(ring[i], ring[i + 1]);
      // Start at an edge that follows a non-shore edge, so that no run is cut at the ring's seam.
      let start = 0;
      while (start < n && !(shore(start) && !shore((start + n - 1) % n))) start++;
      if (start === n) {
        if (shore(0)) emit(ring.slice()); // the whole ring is shore: an island
        continue;
      }
      let run: Position[] = [];
      for (let k = 0; k < n; k++) {
        const i = (start + k) % n;
        if (shore(i)) {
          if (run.length === 0) run.push(ring[i]);
          run.push(ring[i + 1]);
        } else if (run.length) {
          emit(run);
          run = [];
        }
      }
      emit(run);
    }
  }
  return lines;
}
