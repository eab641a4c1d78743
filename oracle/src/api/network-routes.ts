/** Health, active parameters, network summary and Prometheus metrics (docs/api.md). */
import Type, { type Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HealthSchema, NetworkParamsResponseSchema, NetworkSummarySchema } from '@hexium/shared/protocol/index';
import type { ApiContext } from './api-context.ts';
import { ErrorSchema } from './query-helpers.ts';
import { latestEpoch } from '../store/epoch-store.ts';

const HOUR_MS = 3_600_000;

export async function networkRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/health', {
    schema: { summary: 'Liveness: ok once broker and store are up', tags: ['network'], response: { 200: HealthSchema, 503: HealthSchema } },
  }, async (_req, reply) => {
    if (!ctx.ready()) return reply.code(503).send({ status: 'starting' });
    return { status: 'ok' };
  });

  r.get('/api/v1/params', { schema: { summary: 'The active network parameters', tags: ['network'], response: { 200: NetworkParamsResponseSchema } } }, async () =>
    // the active parameters passed NetworkParamsSchema when they were loaded (shared/src/params/load-params.ts)
    ctx.params as Static<typeof NetworkParamsResponseSchema>);

  r.get('/api/v1/network', { schema: { summary: 'Network summary', tags: ['network'], response: { 200: NetworkSummarySchema } } }, async () => {
    const since = ctx.clock.now() - HOUR_MS;
    const [reports, v, e] = await Promise.all([
      ctx.rounds.countReportsSince(ctx.sql, since),
      ctx.rounds.countWitnessVerdictsSince(ctx.sql, since),
      latestEpoch(ctx.sql),
    ]);
    const router = ctx.router();
    const dcSpent = router ? String(await router.dcSpentTotal()) : '0';
    return {
      hotspots: ctx.directory.size,
      online: ctx.directory.onlineCount,
      beaconsLastHour: reports.beacons,
      witnessesLastHour: reports.witnesses,
      validWitnessShare: v.n === 0 ? null : v.valid / v.n,
      dcSpent,
      latestEpoch: e,
    };
  });

  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics',
      tags: ['network'],
      // a string with a text content type is sent as is (never serialized): this schema documents it
      response: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } }, 401: ErrorSchema },
    },
  }, async (_req, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
