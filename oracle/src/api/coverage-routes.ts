/**
 * Coverage aggregates per H3 cell (docs/api.md "Coverage"): hotspots, valid witness reports received by
 * those hotspots, best RSSI of those, and the mean HIP-17 scale of its hotspots.
 */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { cellToLatLng, cellToParent } from 'h3-js';
import Decimal from 'decimal.js';
import { CoverageSchema, type CoverageHex } from '@hexium/shared/protocol/index';
import type { ApiContext } from './api-context.ts';
import { loadCoverageRows } from '../store/hotspot-store.ts';
import { ErrorSchema, inBbox, parseBbox } from './query-helpers.ts';

interface Agg {
  hotspots: number;
  witnesses: number;
  bestRssiDbm: number | null;
  scaleSum: Decimal;
  scaled: number;
  lat: number;
  lng: number;
  /** The cell as served (built once per cache refresh). */
  out?: CoverageHex;
}

/** Aggregates are rebuilt at most this often (clock ms): the map polls; the verifier updates them in bulk. */
const CACHE_MS = 2000;

export async function coverageRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const cache = new Map<number, { atMs: number; cells: Map<string, Agg> }>();
  const building = new Map<number, Promise<Map<string, Agg>>>();
  function aggregates(res: number): Promise<Map<string, Agg>> {
    const hit = cache.get(res);
    const now = ctx.clock.now();
    if (hit && now - hit.atMs < CACHE_MS && now >= hit.atMs) return Promise.resolve(hit.cells);
    let p = building.get(res);
    if (!p) {
      p = rebuild(res, now).finally(() => building.delete(res));
      building.set(res, p);
    }
    return p;
  }
  async function rebuild(res: number, now: number): Promise<Map<string, Agg>> {
    const rows = await loadCoverageRows(ctx.sql);
    const cells = new Map<string, Agg>();
    for (const h of rows) {
      let cell: string;
      try {
        cell = cellToParent(h.location, res);
      } catch {
        continue;
      }
      let a = cells.get(cell);
      if (!a) cells.set(cell, (a = { hotspots: 0, witnesses: 0, bestRssiDbm: null, scaleSum: new Decimal(0), scaled: 0, lat: 0, lng: 0 }));
      a.hotspots++;
      a.witnesses += h.valid_witnesses;
      if (h.best_rssi_dbm !== null && (a.bestRssiDbm === null || h.best_rssi_dbm > a.bestRssiDbm)) a.bestRssiDbm = h.best_rssi_dbm;
      if (h.hex_scale !== null) {
        a.scaleSum = a.scaleSum.plus(h.hex_scale);
        a.scaled++;
      }
    }
    for (const [cell, a] of cells) {
      [a.lat, a.lng] = cellToLatLng(cell);
      a.out = {
        cell,
        hotspots: a.hotspots,
        witnesses: a.witnesses,
        bestRssiDbm: a.bestRssiDbm,
        scale: a.scaled === 0 ? null : a.scaleSum.div(a.scaled).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toString(),
      };
    }
    const sorted = new Map([...cells].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    cache.set(res, { atMs: now, cells: sorted });
    return sorted;
  }

  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/v1/coverage', {
    schema: {
      summary: 'Coverage aggregates per H3 cell at resolution 4–10',
      tags: ['coverage'],
      querystring: Type.Object({ res: Type.Integer({ minimum: 4, maximum: 10, default: 8 }), bbox: Type.Optional(Type.String({ maxLength: 200, description: 'w,s,e,n' })) }),
      response: { 200: CoverageSchema, 400: ErrorSchema },
    },
  }, async (req) => {
    const res = req.query.res ?? 8;
    const bbox = parseBbox(req.query.bbox);
    const cells = await aggregates(res);
    const hexes = [];
    for (const a of cells.values()) {
      if (bbox && !inBbox(bbox, a.lat, a.lng)) continue;
      hexes.push(a.out!);
    }
    return { res, hexes };
  });
}
