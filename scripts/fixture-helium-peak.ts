/**
 * `npm run fixture:helium-peak -- --data-dir DIR [--hotspots N] [--seed S] [--database-url URL]`: load
 * the 370,000-hotspot fixture into the store an `oracle serve --data-dir DIR` then serves (docs/map.md
 * "The 370,000-hotspot fixture"). Stop the oracle first: PGlite is one process's.
 */
import { parseFlags, numberFlag, UsageError } from '@hexium/shared/cli/args';
import { loadHeliumPeak, HELIUM_PEAK_HOTSPOTS } from '../oracle/src/fixtures/load-helium-peak.ts';

const USAGE = 'usage: npm run fixture:helium-peak -- --data-dir DIR [--hotspots N (default 370000)] [--seed S] [--database-url postgres://…]';

try {
  const { values } = parseFlags(process.argv.slice(2), {
    'data-dir': { type: 'string' },
    hotspots: { type: 'string' },
    seed: { type: 'string' },
    'database-url': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const dataDir = values['data-dir'];
  if (!dataDir && !values['database-url']) throw new UsageError(`--data-dir is required\n${USAGE}`);
  const hotspots = numberFlag('hotspots', values.hotspots, { integer: true, min: 1, max: 2_000_000, default: HELIUM_PEAK_HOTSPOTS });
  const seed = values.seed ?? 'helium-peak';
  if (seed.length > 200) throw new UsageError('--seed: at most 200 characters');
  const t = performance.now();
  const r = await loadHeliumPeak({ dataDir: dataDir ?? 'memory://', databaseUrl: values['database-url'] ?? null, hotspots, seed, nowMs: Date.now() });
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `helium-peak: ${r.inserted} of ${r.hotspots} hotspots inserted (seed "${seed}") in ${s(performance.now() - t)}: ` +
      `generated ${s(r.generateMs)}, HIP-17 scales ${s(r.scaleMs)}, stored ${s(r.insertMs)}`,
  );
} catch (e) {
  console.error(e instanceof UsageError ? e.message : e);
  process.exit(e instanceof UsageError ? 2 : 1);
}
