/**
 * Which of the oracle's vector tile layers exist (docs/api.md Tiles): one TileJSON request per layer
 * (`/api/v1/tiles/{layer}.json`, TileJSON 3.0.0: `tiles`, `minzoom`, `maxzoom`), all in parallel while
 * the page loads. A layer whose TileJSON is missing or malformed falls back to GeoJSON (the style builder
 * draws the same layers from the older endpoints), so the map also runs against an oracle without tiles.
 */
import type { DataSources, TileSourceInfo } from '../style/build-style.ts';

export type TileLayerName = keyof DataSources;
export const TILE_LAYERS: readonly TileLayerName[] = ['hotspots', 'coverage', 'basemap'];

/**
 * Parse a TileJSON document into a source; tile URLs are resolved against the TileJSON's own URL, so a
 * server may give them relative to itself. Returns null for anything unusable. Pure.
 */
export function parseTileJson(doc: unknown, docUrl: string): TileSourceInfo | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { tiles?: unknown; minzoom?: unknown; maxzoom?: unknown };
  if (!Array.isArray(d.tiles) || d.tiles.length === 0 || !d.tiles.every((t) => typeof t === 'string')) return null;
  // TileJSON 3.0.0 defaults: minzoom 0, maxzoom 30.
  const minzoom = typeof d.minzoom === 'number' && Number.isInteger(d.minzoom) && d.minzoom >= 0 ? d.minzoom : 0;
  const maxzoom = typeof d.maxzoom === 'number' && Number.isInteger(d.maxzoom) && d.maxzoom >= minzoom ? d.maxzoom : 30;
  let tiles: string[];
  try {
    // `{z}` etc. survive URL resolution only unescaped: decode the braces the URL parser escapes.
    tiles = (d.tiles as string[]).map((t) => new URL(t, docUrl).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}'));
  } catch {
    return null;
  }
  return { tiles, minzoom, maxzoom };
}

async function fetchTileJson(url: string, signal: AbortSignal): Promise<TileSourceInfo | null> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal });
    if (!res.ok) return null;
    return parseTileJson(await res.json(), url);
  } catch {
    return null;
  }
}

/** Look up the three tile layers under `base` (an absolute URL of the API root, e.g. `…/api/v1`). */
export async function discoverTileSources(base: string, timeoutMs = 10_000): Promise<DataSources> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const [hotspots, coverage, basemap] = await Promise.all(TILE_LAYERS.map((l) => fetchTileJson(`${base}/tiles/${l}.json`, abort.signal)));
    return { hotspots, coverage, basemap };
  } finally {
    clearTimeout(timer);
  }
}
