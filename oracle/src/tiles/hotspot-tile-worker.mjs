// The `hotspots` tile index in a worker thread (docs/api.md "Vector tiles"): supercluster's load of
// 370,000 points takes ≈ 0.7 s of CPU, which on the main thread stalled every request while it ran.
// Plain ESM (supercluster and vt-pbf are JavaScript), so it needs no tsx loader, like signature-worker.mjs.
// Input, once: { type: 'build', options: { maxZoom, radius, extent }, ids: Float64Array, coords:
// Float64Array [lng, lat, …], address: string[], name: string[], online: Uint8Array, status: Uint8Array
// (0 none, 1 valid, 2 invalid), hexScale: (string | null)[] } → { type: 'built' }. The properties are
// hotspot-tiles.ts `hotspotTags`: nulls left out (MVT has no null).
// Then, any number of: { type: 'tile', seq, z, x, y } → { type: 'tile', seq, bytes: Uint8Array } (transferred;
// empty when no hotspot or cluster falls on the tile).
import { parentPort } from 'node:worker_threads';
import Supercluster from 'supercluster';
import vtpbf from 'vt-pbf';

const STATUS = [null, 'valid', 'invalid'];
let index = null;
let extent = 4096;

parentPort.on('message', (m) => {
  if (m.type === 'build') {
    extent = m.options.extent;
    index = new Supercluster({
      ...m.options,
      // cluster aggregate: how many of its hotspots are online (the map's `online` cluster property)
      map: (p) => ({ online: p.online === true ? 1 : 0 }),
      reduce: (acc, p) => {
        acc.online += p.online;
      },
    });
    const n = m.ids.length;
    const features = new Array(n);
    for (let i = 0; i < n; i++) {
      const properties = { address: m.address[i], name: m.name[i], online: m.online[i] === 1 };
      if (m.status[i] !== 0) properties.lastPocStatus = STATUS[m.status[i]];
      if (m.hexScale[i] !== null) properties.hexScale = m.hexScale[i];
      features[i] = { type: 'Feature', id: m.ids[i], geometry: { type: 'Point', coordinates: [m.coords[2 * i], m.coords[2 * i + 1]] }, properties };
    }
    index.load(features);
    parentPort.postMessage({ type: 'built' });
    return;
  }
  if (m.type === 'tile') {
    const t = index.getTile(m.z, m.x, m.y);
    const bytes = t ? vtpbf.fromGeojsonVt({ hotspots: t }, { version: 2, extent }) : new Uint8Array(0);
    parentPort.postMessage({ type: 'tile', seq: m.seq, bytes }, [bytes.buffer]);
  }
});
