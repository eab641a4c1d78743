/**
 * The oracle's view of onboarded hotspots (Helium's config-service gateway info), cached in memory and
 * backed by the `hotspots` table. Lookups are synchronous for the broker hooks and the verifier; a miss
 * falls back to the store (another oracle process may have onboarded it).
 */
import type { Sql, SqlQuery } from './sql.ts';
import { loadAllHotspots, loadHotspot, type HotspotRecord } from './hotspot-store.ts';

export type { HotspotRecord };

export class HotspotDirectory {
  private readonly byAddress = new Map<string, HotspotRecord>();

  constructor(private readonly sql: Sql) {}

  async load(): Promise<void> {
    const all = await loadAllHotspots(this.sql);
    this.byAddress.clear();
    for (const h of all) this.byAddress.set(h.address, h);
  }

  get(address: string): HotspotRecord | undefined {
    return this.byAddress.get(address);
  }

  /** Cached record, or the store's (then cached). */
  async resolve(address: string, q: SqlQuery = this.sql): Promise<HotspotRecord | undefined> {
    const hit = this.byAddress.get(address);
    if (hit) return hit;
    const rec = await loadHotspot(q, address);
    if (!rec) return undefined;
    this.byAddress.set(address, rec);
    return rec;
  }

  set(rec: HotspotRecord): void {
    this.byAddress.set(rec.address, rec);
  }

  /** undefined = not onboarded; null = onboarded without a fleet. */
  fleetOf(address: string): string | null | undefined {
    const h = this.byAddress.get(address);
    return h === undefined ? undefined : h.fleet;
  }

  setOnline(address: string, online: boolean): void {
    const h = this.byAddress.get(address);
    if (h) h.online = online;
  }

  setHexScale(address: string, scale: string | null): void {
    const h = this.byAddress.get(address);
    if (h) h.hexScale = scale;
  }

  all(): HotspotRecord[] {
    return [...this.byAddress.values()];
  }

  get size(): number {
    return this.byAddress.size;
  }

  get onlineCount(): number {
    let n = 0;
    for (const h of this.byAddress.values()) if (h.online) n++;
    return n;
  }
}
