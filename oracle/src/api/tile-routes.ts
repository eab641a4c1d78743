/**
 * Vector tiles (docs/api.md "Vector tiles"): `GET /api/v1/tiles/{layer}/{z}/{x}/{y}.mvt` (Mapbox Vector
 * Tile 2.1) and a TileJSON 3.0.0 per layer at `GET /api/v1/tiles/{layer}.json`, for the layers
 * `hotspots` and `coverage`. Other segments (the basemap's static routes) are matched before these.
 */
import Type from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { TileJsonSchema, type TileJson } from '@hexium/shared/protocol/index';
import type { ApiContext } from './api-context.ts';
import { ApiError } from './api-error.ts';
import { ErrorSchema } from './query-helpers.ts';
import { isTileLayer, TILE_LAYERS, TileService, type TileLayer } from '../tiles/tile-service.ts';
import { MAX_TILE_ZOOM, MERCATOR_MAX_LAT, parseTileCoord } from '../tiles/tile-math.ts';
import { HOTSPOT_CLUSTER_MAX_ZOOM } from '../tiles/hotspot-tiles.ts';

/** MVT media type (Mapbox Vector Tile spec 2.1 §4: "application/vnd.mapbox-vector-tile"). */
export const MVT_MEDIA_TYPE = 'application/vnd.mapbox-vector-tile';
/** Tiles change live: a client keeps them but asks again each time (RFC 9111 §5.2.2.4), a cheap 304 when unchanged. */
export const TILE_CACHE_CONTROL = 'no-cache';
/** Deepest zoom the TileJSON advertises; clients over-zoom past it (MVT coordinates keep 4096 steps per tile). */
export const TILE_MAX_ZOOM = 14;

const LAYER_INFO: Record<TileLayer, { description: string; fields: Record<string, string> }> = {
  hotspots: {
    description: `Hotspots as points (GET /api/v1/hotspots names; absent = null; detail at /api/v1/hotspots/{address}). Up to z ${HOTSPOT_CLUSTER_MAX_ZOOM} nearby hotspots are clusters with cluster, cluster_id, point_count, point_count_abbreviated and online (hotspots online in the cluster).`,
    fields: {
      address: 'String', name: 'String', online: 'Boolean; in a cluster Number (hotspots online)', lastPocStatus: 'String', hexScale: 'String',
      cluster: 'Boolean', cluster_id: 'Number', point_count: 'Number', point_count_abbreviated: 'String',
    },
  },
  coverage: {
    description: 'H3 cells of the resolution for the tile zoom (res 4 at z0–4 … res 9 from z11), with the GET /api/v1/coverage metrics (absent = null).',
    fields: { cell: 'String', hotspots: 'Number', witnesses: 'Number', bestRssiDbm: 'Number', scale: 'String' },
  },
};

function unknownLayer(layer: string): ApiError {
  return new ApiError(404, 'UNKNOWN_LAYER', `no tile layer "${layer.slice(0, 40)}" (layers: ${TILE_LAYERS.join(', ')})`);
}

/** `http://host` of the request; the Host header was already checked against the allow-list (app.ts). */
function origin(req: FastifyRequest): string {
  const host = req.headers.host;
  if (!host || /[^A-Za-z0-9.:[\]-]/.test(host)) throw new ApiError(400, 'BAD_HOST', 'TileJSON needs a Host header with a host name or address');
  return `${req.protocol}://${host}`;
}

export async function tileRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tiles = new TileService({ sql: ctx.sql, events: ctx.events, directory: ctx.directory, clock: ctx.tileTimers });
  app.addHook('onClose', async () => tiles.close());
  // A listening live oracle builds the indexes at once, so the map's first tiles do not wait for them
  // (on a virtual clock, and in app.inject() tests, they are built on the first tile request instead).
  app.addHook('onListen', async () => {
    if (ctx.prewarmTiles) void tiles.prepare().catch((err: unknown) => app.log.warn({ err }, 'vector tiles: first build failed; retried on the first tile request'));
  });
  app.decorate('tiles', tiles);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/v1/tiles/:layer/:z/:x/:y.mvt', {
    schema: {
      summary: 'A Mapbox Vector Tile (2.1) of the hotspots or coverage layer',
      tags: ['tiles'],
      params: Type.Object({ layer: Type.String({ maxLength: 64 }), z: Type.String({ maxLength: 16 }), x: Type.String({ maxLength: 16 }), y: Type.String({ maxLength: 16 }) }),
      response: {
        200: Type.Unknown({ description: `MVT 2.1 bytes (${MVT_MEDIA_TYPE}); an empty body is an empty tile` }),
        304: Type.Unknown({ description: 'Not Modified (If-None-Match matched the ETag)' }),
        400: ErrorSchema,
        404: ErrorSchema,
      },
    },
  }, async (req, reply) => {
    const { layer } = req.params;
    if (!isTileLayer(layer)) throw unknownLayer(layer);
    const c = parseTileCoord(req.params.z, req.params.x, req.params.y);
    if (!c.ok) throw new ApiError(400, 'BAD_TILE', c.message);
    const t = await tiles.tile(layer, c.tile.z, c.tile.x, c.tile.y);
    const gz = t.gzip && acceptsGzip(req.headers['accept-encoding']) ? t.gzip : null;
    const etag = gz ? gz.etag : t.etag;
    reply.header('etag', etag).header('cache-control', TILE_CACHE_CONTROL).header('vary', 'accept-encoding');
    if (etagMatches(req.headers['if-none-match'], etag)) return reply.code(304).send(undefined);
    if (gz) reply.header('content-encoding', 'gzip');
    // An empty tile is a 200 with an empty body: a Tile message with no layers (MVT 2.1 §4.1).
    return reply.type(MVT_MEDIA_TYPE).send(gz ? gz.body : t.body);
  });

  r.get('/api/v1/tiles/:layer.json', {
    schema: {
      summary: 'TileJSON 3.0.0 of a vector tile layer (hotspots, coverage)',
      tags: ['tiles'],
      params: Type.Object({ layer: Type.String({ maxLength: 64 }) }),
      response: { 200: TileJsonSchema, 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req, reply): Promise<TileJson> => {
    const { layer } = req.params;
    if (!isTileLayer(layer)) throw unknownLayer(layer);
    const info = LAYER_INFO[layer];
    reply.header('cache-control', TILE_CACHE_CONTROL);
    return {
      tilejson: '3.0.0',
      name: `hexium-${layer}`,
      description: info.description,
      version: '1.0.0',
      scheme: 'xyz',
      tiles: [`${origin(req)}/api/v1/tiles/${layer}/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: TILE_MAX_ZOOM,
      bounds: [-180, -MERCATOR_MAX_LAT, 180, MERCATOR_MAX_LAT],
      vector_layers: [{ id: layer, description: info.description, minzoom: 0, maxzoom: TILE_MAX_ZOOM, fields: info.fields }],
    };
  });
}

/** True when `Accept-Encoding` (RFC 9110 §12.5.3) allows gzip: listed (or `*`) without `q=0`. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  for (const part of value.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';').map((x) => x.trim());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** RFC 9110 §13.1.2 If-None-Match: `*` or a list of entity tags, compared weakly. */
export function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return value.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

export { MAX_TILE_ZOOM };

declare module 'fastify' {
  interface FastifyInstance {
    /** The vector tile layers (tile-routes.ts). */
    tiles: TileService;
  }
}
