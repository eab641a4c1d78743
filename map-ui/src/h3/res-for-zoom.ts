/** The zoom → H3 resolution rule lives in shared/ so the oracle's coverage tiles use the same one. */
export { MIN_RES, MAX_RES, RES_BREAKS, resForZoom, resForTileZoom } from '@hexium/shared/geo/res-for-zoom';
