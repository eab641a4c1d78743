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
    for (const rec of all) {
      this.byAddress.set(rec.address, rec);
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
    this.byAddress.set(address, rec);
    return rec;
  }

  set(rec: HotspotRecord): void {
    this.byAddress.set(rec.address, rec);
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
    let n = 0;
    for (const h of this.byAddress.values()) if (h.online) n++;
    return n;
  }
}
