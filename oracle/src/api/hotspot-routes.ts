/** Hotspot routes (docs/api.md): onboarding, bulk onboarding, GeoJSON list, one hotspot's detail. */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { isValidAddress } from '@hexium/shared/identity/index';
import { BulkOnboardedSchema, HotspotCollectionSchema, HotspotDetailSchema, OnboardedSchema } from '@hexium/shared/protocol/index';
import { OnboardingBodySchema, onboardHotspot, onboardHotspots, type OnboardingBody } from '../hotspots/onboarding.ts';
import type { HotspotRecord } from '../store/hotspot-directory.ts';
import { hotspotDetailRow, listHotspots } from '../store/hotspot-store.ts';
import { hotspotRewards } from '../store/epoch-store.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext } from './api-context.ts';
import { ErrorSchema, parseBbox } from './query-helpers.ts';

/** Most items in one `POST /api/v1/hotspots/bulk` (the simulator sends 1000 per request). */
export const BULK_MAX_ITEMS = 1000;
/** Body limit of `POST /api/v1/hotspots/bulk`: 1000 items × ~600 bytes (largest schema-valid body ≈ 560) + slack. */
export const BULK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Bulk items checked and stored together (one transaction each). */
const BULK_STORE_CHUNK = 250;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function hotspotDetail(ctx: ApiContext, address: string) {
  const h = await hotspotDetailRow(ctx.sql, address);
  if (!h) throw new ApiError(404, 'HOTSPOT_NOT_FOUND', `no onboarded hotspot ${address}`);
  const recentRounds = await ctx.rounds.recentOf(ctx.sql, address, 20);
  const rewards = await hotspotRewards(ctx.sql, address, 100);
  return {
    address: h.address,
    name: h.name,
    location: h.location,
    lat: h.lat,
    lng: h.lng,
    region: h.region,
    gainDbi: h.gain_dbi,
    elevationM: h.elevation_m,
    fullHotspot: h.full_hotspot,
    online: ctx.directory.get(address)?.online ?? h.online,
    hexScale: h.hex_scale,
    lastBeaconAtMs: h.last_beacon_at_ms,
    recentRounds,
    rewards,
  };
}

export async function hotspotRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const deps = { sql: ctx.sql, directory: ctx.directory, clock: ctx.clock, params: ctx.params, authSkewMs: ctx.authSkewMs };
  const bulkDeps = ctx.verifySignature ? { ...deps, verifySignature: ctx.verifySignature } : deps;

  r.post('/api/v1/hotspots', {
    schema: {
      summary: 'Onboard or re-assert one hotspot (signed by its key)',
      tags: ['hotspots'],
      body: OnboardingBodySchema,
      response: { 200: OnboardedSchema, 201: OnboardedSchema, 400: ErrorSchema, 401: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req, reply) => {
    const { created, hotspot } = await onboardHotspot(req.body, deps);
    reply.code(created ? 201 : 200);
    return { hotspot: await hotspotDetail(ctx, hotspot.address) };
  });

  r.post('/api/v1/hotspots/bulk', {
    // A bounded body (docs/api.md "Limits"): BULK_MAX_ITEMS signed bodies of at most ~600 bytes each.
    bodyLimit: BULK_BODY_LIMIT_BYTES,
    schema: {
      summary: `Onboard many hotspots (fleets): at most ${BULK_MAX_ITEMS} signed bodies, ${BULK_BODY_LIMIT_BYTES} bytes`,
      tags: ['hotspots'],
      body: Type.Object({ hotspots: Type.Array(Type.Unknown(), { maxItems: BULK_MAX_ITEMS }) }, { additionalProperties: false }),
      response: { 200: BulkOnboardedSchema, 400: ErrorSchema },
    },
  }, async (req) => {
    let created = 0;
    let updated = 0;
    const rejected: { index: number; code: string; message: string }[] = [];
    const { validateMessage } = await import('@hexium/shared/protocol/index');
    // In chunks of BULK_STORE_CHUNK items: each item is validated, the chunk's signatures are checked on
    // the signature pool's worker threads at once, and what passes is stored in one transaction in item
    // order. The handler yields to the event loop between chunks, so health, MQTT acks and ingest keep
    // their turn, and one transaction holds the store for one chunk only.
    const items = req.body.hotspots;
    for (let start = 0; start < items.length; start += BULK_STORE_CHUNK) {
      if (start > 0) await yieldToLoop();
      const bodies: { index: number; body: OnboardingBody }[] = [];
      for (let index = start; index < Math.min(items.length, start + BULK_STORE_CHUNK); index++) {
        const v = validateMessage(OnboardingBodySchema, items[index]);
        if (v.ok) bodies.push({ index, body: v.value as OnboardingBody });
        else rejected.push({ index, code: 'BAD_REQUEST', message: v.errors.join('; ') });
      }
      const outcomes = await onboardHotspots(bodies.map((b) => b.body), bulkDeps);
      outcomes.forEach((o, i) => {
        if (!o.ok) rejected.push({ index: bodies[i].index, code: o.refusal.code, message: o.refusal.message });
        else if (o.created) created++;
        else updated++;
      });
    }
    rejected.sort((a, b) => a.index - b.index);
    if (rejected.length) ctx.metrics.httpRefused.inc({ route: '/api/v1/hotspots/bulk', reason: 'item_rejected' }, rejected.length);
    return { created, updated, rejected };
  });

  r.get('/api/v1/hotspots', {
    schema: {
      summary: 'Hotspots as a GeoJSON FeatureCollection',
      tags: ['hotspots'],
      querystring: Type.Object({
        bbox: Type.Optional(Type.String({ maxLength: 200, description: 'w,s,e,n in degrees' })),
        status: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline')])),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 100_000 })),
      }),
      response: { 200: HotspotCollectionSchema, 400: ErrorSchema },
    },
  }, async (req) => {
    const bbox = parseBbox(req.query.bbox);
    const rows = await listHotspots(ctx.sql, { bbox, limit: req.query.limit ?? 100_000 });
    const features = [];
    for (const h of rows) {
      const online = ctx.directory.get(h.address)?.online ?? h.online;
      if (req.query.status && (req.query.status === 'online') !== online) continue;
      features.push({
        type: 'Feature' as const,
        id: h.id,
        geometry: h.lat === null ? null : { type: 'Point' as const, coordinates: [h.lng, h.lat] as [number, number] },
        properties: {
          address: h.address, name: h.name, location: h.location, region: h.region, gainDbi: h.gain_dbi, elevationM: h.elevation_m,
          fullHotspot: h.full_hotspot, online, lastBeaconAtMs: h.last_beacon_at_ms, lastPocStatus: h.last_poc_status, hexScale: h.hex_scale,
        },
      });
    }
    return { type: 'FeatureCollection' as const, features };
  });

  r.get('/api/v1/hotspots/:address', {
    schema: { summary: "One hotspot's detail", tags: ['hotspots'], params: Type.Object({ address: Type.String({ minLength: 1, maxLength: 80 }) }), response: { 200: HotspotDetailSchema, 400: ErrorSchema, 404: ErrorSchema } },
  }, async (req) => {
    if (!isValidAddress(req.params.address)) throw new ApiError(400, 'INVALID_ADDRESS', `not a Helium ed25519 address: ${req.params.address}`);
    return hotspotDetail(ctx, req.params.address);
  });
}

export type { HotspotRecord };
