/**
 * The directory's count of online hotspots follows every way a record enters, changes or is replaced, and
 * agrees with the store after a reload (expected counts worked by hand in each step's comment).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { openStore } from './open-store.ts';
import type { Sql } from './sql.ts';
import { HotspotDirectory } from './hotspot-directory.ts';
import { setHotspotOnline, upsertOnboarding } from './hotspot-store.ts';

const addresses = [0, 1, 2, 3].map((i) => keyPairFromSeed(createHash('sha256').update(`directory-${i}`).digest()).address);

describe('HotspotDirectory.onlineCount', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    for (const [i, address] of addresses.entries()) {
      await upsertOnboarding(sql, {
        address, name: `h${i}`, location: null, lat: null, lng: null, region: 'EU868', gainDbi: 1.2, elevationM: 5, fullHotspot: true, fleet: null,
        nowMs: 1_000, timestampMs: 1_000,
      });
    }
    // in the store: 0 and 2 online, 1 and 3 offline
    await setHotspotOnline(sql, addresses[0], true, 2_000);
    await setHotspotOnline(sql, addresses[2], true, 2_000);
  });
  afterAll(async () => sql.close());

  it('counts on load, on/offline switches, replaced records and records resolved from the store', async () => {
    const d = new HotspotDirectory(sql);
    await d.load();
    expect(d.onlineCount).toBe(2); // 0 and 2
    d.setOnline(addresses[1], true);
    expect(d.onlineCount).toBe(3); // 0, 1, 2
    d.setOnline(addresses[1], true); // already online: no change
    expect(d.onlineCount).toBe(3);
    d.setOnline(addresses[0], false);
    expect(d.onlineCount).toBe(2); // 1, 2
    d.setOnline('not-onboarded', true); // unknown address: ignored
    expect(d.onlineCount).toBe(2);
    // a re-onboarding replaces the record: 2 goes from online to a record that says offline
    d.set({ ...d.get(addresses[2])!, online: false });
    expect(d.onlineCount).toBe(1); // 1
    d.set({ ...d.get(addresses[3])!, online: true });
    expect(d.onlineCount).toBe(2); // 1, 3

    // a fresh directory meets 2 (online in the store) through resolve() only
    const e = new HotspotDirectory(sql);
    await Promise.all([e.resolve(addresses[2]), e.resolve(addresses[2]), e.resolve(addresses[1])]);
    expect(e.onlineCount).toBe(1); // 2 once, however many resolves raced; 1 is offline in the store
    expect(e.size).toBe(2);

    // a reload recounts from the store (0 and 2 online there)
    await d.load();
    expect(d.onlineCount).toBe(2);
  });
});
