/** The 370,000-hotspot fixture's loader, at a small size, into a real store (PGlite in memory). */
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.ts';
import { loadHeliumPeakInto } from '../src/fixtures/load-helium-peak.ts';
import { readTileHotspots } from '../src/store/hotspot-store.ts';
import { generateHeliumPeak } from '../src/fixtures/helium-peak.ts';
import type { Sql } from '../src/store/sql.ts';

let sql: Sql | undefined;
afterAll(() => sql?.close());

describe('loadHeliumPeakInto', () => {
  it('stores every generated hotspot once, located, with HIP-17 scales, and leaves them on a second load', async () => {
    sql = await openStore({ dataDir: 'memory://', databaseUrl: null });
    const o = { hotspots: 400, nowMs: 1_764_000_000_000 };
    const r = await loadHeliumPeakInto(sql, o);
    expect(r).toMatchObject({ hotspots: 400, inserted: 400 });
    const rows = await readTileHotspots(sql);
    const generated = generateHeliumPeak(o);
    expect(rows.map((h) => h.address).sort()).toEqual(generated.map((h) => h.address).sort());
    // every fixture hotspot counts as interactive at load, so each located one has a scale in [0, 1]
    for (const h of rows) {
      expect(h.hexScale).not.toBeNull();
      expect(Number(h.hexScale)).toBeGreaterThanOrEqual(0);
      expect(Number(h.hexScale)).toBeLessThanOrEqual(1);
    }
    expect((await loadHeliumPeakInto(sql, o)).inserted).toBe(0);
  });
});
