/**
 * The 370,000-hotspot fixture (docs/map.md "The 370,000-hotspot fixture") in a data directory kept under
 * test/output/ between runs, shared by the benchmarks (bench/tiles.bench.ts, bench/map-scale.bench.ts) and
 * the browser test at scale (test/browser/map-scale.test.ts): loading it takes about a minute, so it is
 * loaded once and marked done by a `fixture-loaded` file written last. PGlite is one process's: run these
 * one at a time.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHeliumPeak, HELIUM_PEAK_HOTSPOTS, type LoadReport } from '../../oracle/src/fixtures/load-helium-peak.ts';

export const HELIUM_PEAK_DATA_DIR = join(fileURLToPath(new URL('../../', import.meta.url)), `test/output/bench-helium-peak-${HELIUM_PEAK_HOTSPOTS}`);

/**
 * The fixture's data directory, loading it first when it is not there yet (a directory without the
 * marker is a load that did not finish: it is emptied and loaded again). Returns the load report when
 * this call loaded it.
 */
export async function ensureHeliumPeak(): Promise<{ dataDir: string; loaded: (LoadReport & { ms: number }) | null }> {
  const marker = join(HELIUM_PEAK_DATA_DIR, 'fixture-loaded');
  if (existsSync(marker)) return { dataDir: HELIUM_PEAK_DATA_DIR, loaded: null };
  await rm(HELIUM_PEAK_DATA_DIR, { recursive: true, force: true });
  await mkdir(HELIUM_PEAK_DATA_DIR, { recursive: true });
  const t = performance.now();
  const r = await loadHeliumPeak({ dataDir: HELIUM_PEAK_DATA_DIR, nowMs: Date.now() });
  await writeFile(marker, JSON.stringify(r));
  return { dataDir: HELIUM_PEAK_DATA_DIR, loaded: { ...r, ms: performance.now() - t } };
}

export { HELIUM_PEAK_HOTSPOTS };
