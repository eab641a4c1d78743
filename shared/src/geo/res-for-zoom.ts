/**
 * Which H3 resolution the coverage layer shows at a map zoom (issue 8: coarse when zoomed out,
 * res 8–9 close up; the API serves res 4–10, docs/api.md Coverage).
 *
 * Rule: a hex should be ≈ 15–40 px across. H3 mean edge lengths (h3geo.org/docs/core-library/restable):
 * res 4 22.6 km, 5 8.5 km, 6 3.2 km, 7 1.2 km, 8 461 m, 9 174 m. MapLibre's 512 px tiles give
 * 78,271.5 / 2^z m/px at the equator, ×cos(lat) (≈ 0.64 at 50°). Example: z 10 at 50° → 49 m/px;
 * a res-8 hex is ≈ 2 × 461 m = 922 m wide → 19 px; at z 9.5 → 13 px, at z 10.9 → 35 px. Each step of one
 * H3 resolution is ≈ ×2.65 in size, ≈ 1.4 zoom levels, hence the breaks 1.5 zoom apart below.
 */
export const MIN_RES = 4;
export const MAX_RES = 9;

/** [minimum zoom, res] ascending. */
export const RES_BREAKS: readonly (readonly [number, number])[] = [
  [0, 4],
  [5, 5],
  [6.5, 6],
  [8, 7],
  [9.5, 8],
  [11, 9],
];

export function resForZoom(zoom: number): number {
  let res = MIN_RES;
  for (const [z, r] of RES_BREAKS) if (zoom >= z) res = r;
  return res;
}

/**
 * The resolution of the oracle's coverage vector tile `z` (docs/api.md "Vector tiles"). MapLibre draws
 * 512-px vector tiles of zoom z at map zooms [z, z + 1), so the tile takes the rule at its lowest map zoom:
 * hexes are never smaller on screen than {@link resForZoom} allows, and at most 2× larger.
 */
export function resForTileZoom(z: number): number {
  return resForZoom(Math.floor(z));
}
