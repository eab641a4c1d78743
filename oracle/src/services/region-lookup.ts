/**
 * Region of an H3 location. Uses `regionForLocation` from `@hexium/shared/geo/index` (engineer B) when
 * that module is present; otherwise the caller must name the region.
 */
type RegionFn = (location: string) => string | null | undefined;

let cached: Promise<RegionFn | null> | undefined;

export function loadRegionLookup(): Promise<RegionFn | null> {
  cached ??= (async () => {
    const spec = '@hexium/shared/geo/index';
    try {
      const mod = (await import(spec)) as { regionForLocation?: RegionFn };
      return typeof mod.regionForLocation === 'function' ? mod.regionForLocation : null;
    } catch {
      return null;
    }
  })();
  return cached;
}
