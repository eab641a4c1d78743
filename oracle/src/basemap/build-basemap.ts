/**
 * Builds one basemap cache version from a GeoJSON file of land polygons (docs/map.md "Basemap"): parse,
 * coastline, the low-zoom tiles, the buckets, then an atomic commit. Run in its own process
 * (`build-main.ts`) by the oracle, so the parsed source (≈ 2 GB for the 10 m file) never stays in the
 * oracle's heap.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FeatureCollection } from 'geojson';
import { CacheWriter, acquireBuildLock, cacheVersion, openCache, releaseBuildLock, removeStale, tileFile, bucketFile, type SourceInfo } from './basemap-cache.ts';
import { bucketSplitIndex, buckets, layeredFeatures, lowZoomIndex, lowZoomTiles } from './basemap-tiles.ts';

export type BuildOutcome = 'built' | 'exists' | 'busy';

export interface BuildStats {
  lowZoomTiles: number;
  buckets: number;
  bytes: number;
}

/** Reads a land GeoJSON: a FeatureCollection, else an Error naming the file. */
export function readLandGeojson(file: string): FeatureCollection {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown; features?: unknown };
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw new Error(`${file}: not a GeoJSON FeatureCollection`);
  return doc as FeatureCollection;
}

/**
 * Builds the cache of `source` in `dir` unless it is there ('exists') or another live process is building
 * it ('busy'). `log` gets progress lines.
 */
export function buildBasemap(dir: string, source: SourceInfo, log: (line: string) => void = () => {}): { outcome: BuildOutcome; stats?: BuildStats } {
  const version = cacheVersion(source);
  if (openCache(dir, version)) return { outcome: 'exists' };
  if (!acquireBuildLock(dir, version)) return { outcome: 'busy' };
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let peakRss = process.memoryUsage.rss();
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  let writer: CacheWriter | null = null;
  try {
    if (openCache(dir, version)) return { outcome: 'exists' };
    removeStale(dir, version);
    writer = new CacheWriter(dir, source);
    log(`basemap: reading ${source.file} (${source.bytes} bytes)`);
    let layered: FeatureCollection | null = layeredFeatures(readLandGeojson(source.file));
    // Both indexes first, then the parsed GeoJSON goes: 8 million small arrays kept alive through the walks
    // made the garbage collector most of the build's time (CPU profile).
    const lowIndex = lowZoomIndex(layered);
    const splitIndex = bucketSplitIndex(layered);
    layered = null;
    sample();
    const stats: BuildStats = { lowZoomTiles: 0, buckets: 0, bytes: 0 };
    for (const t of lowZoomTiles(lowIndex)) {
      writer.add(tileFile(t.z, t.x, t.y), t.bytes);
      stats.lowZoomTiles++;
      stats.bytes += t.bytes.length;
    }
    sample();
    log(`basemap: ${stats.lowZoomTiles} low-zoom tiles, ${Math.round(performance.now() - started)} ms`);
    for (const b of buckets(splitIndex)) {
      const bytes = gzipSync(JSON.stringify(b));
      writer.add(bucketFile(b.x, b.y), bytes);
      stats.buckets++;
      stats.bytes += bytes.length;
      if (stats.buckets % 500 === 0) sample();
    }
    sample();
    const cpu = process.cpuUsage(cpu0);
    const committed = writer.commit({ wallMs: Math.round(performance.now() - started), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssBytes: peakRss });
    writer = null;
    log(`basemap: ${stats.buckets} buckets, ${stats.bytes} bytes, ${Math.round(performance.now() - started)} ms, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`);
    return { outcome: committed ? 'built' : 'exists', stats };
  } finally {
    writer?.abort();
    releaseBuildLock(dir, version);
  }
}
