/**
 * The oracle's view of onboarded hotspots (Helium's config-service gateway info), cached in memory and
 * backed by the `hotspots` table. Lookups are synchronous for the broker hooks and the verifier; a miss
 * falls back to the store (another oracle process may have onboarded it).
 */
import type { Sql, SqlQuery } from './sql.ts';
import { loadAllHotspots, loadHotspot, type HotspotRecord } from './hotspot-store.ts';

export type { HotspotRecord };

function sameRecord(a: HotspotRecord, b: HotspotRecord): boolean {
  for (const k of Object.keys(a) as (keyof HotspotRecord)[]) if (a[k] !== b[k]) return false;
  return true;
}

export class HotspotDirectory {
  private readonly byAddress = new Map<string, HotspotRecord>();
  /**
   * How many cached records are online, kept as records are added, replaced and switched (ingest reads it
   * for every state message: counting the map each time made the 100,000 ONLINE messages that open a
   * 100,000-hotspot run take 10^10 steps).
   */
  private online = 0;
  private readonly changeListeners = new Set<(address: string) => void>();

  constructor(private readonly sql: Sql) {}

  /** Called with its address after a hotspot is added, moved, rescaled, goes on/offline or differs after a reload (the vector tiles). */
  onChange(fn: (address: string) => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  private changed(address: string): void {
    for (const fn of this.changeListeners) fn(address);
  }

  async load(): Promise<void> {
    const all = await loadAllHotspots(this.sql);
    const before = new Map(this.byAddress);
    this.byAddress.clear();
    this.online = 0;
    for (const rec of all) {
      this.byAddress.set(rec.address, rec);
      if (rec.online) this.online++;
      const old = before.get(rec.address);
      before.delete(rec.address);
      if (this.changeListeners.size > 0 && (!old || !sameRecord(old, rec))) this.changed(rec.address);
    }
    for (const address of before.keys()) this.changed(address);
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
    // another resolve of the same address may have cached it while this one read the store
    const raced = this.byAddress.get(address);
    if (raced) return raced;
    this.byAddress.set(address, rec);
    if (rec.online) this.online++;
    return rec;
  }

  set(rec: HotspotRecord): void {
    if (this.byAddress.get(rec.address)?.online) this.online--;
    this.byAddress.set(rec.address, rec);
    if (rec.online) this.online++;
    this.changed(rec.address);
  }

  /** undefined = not onboarded; null = onboarded without a fleet. */
  fleetOf(address: string): string | null | undefined {
    const h = this.byAddress.get(address);
    return h === undefined ? undefined : h.fleet;
  }

  setOnline(address: string, online: boolean): void {
    const h = this.byAddress.get(address);
    if (h && h.online !== online) {
      h.online = online;
      this.online += online ? 1 : -1;
      this.changed(address);
    }
  }

  setHexScale(address: string, scale: string | null): void {
    const h = this.byAddress.get(address);
    if (h && h.hexScale !== scale) {
      h.hexScale = scale;
      this.changed(address);
    }
  }

  all(): HotspotRecord[] {
    return [...this.byAddress.values()];
  }

  get size(): number {
    return this.byAddress.size;
  }

  get onlineCount(): number {
    return this.online;
  }
}
