/** PoC rounds (docs/api.md): the stored PocResults, newest first, and one round. */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RoundListSchema, StoredPocResultSchema } from '@hexium/shared/protocol/index';
import { ApiError } from './api-error.ts';
import { ErrorSchema } from './query-helpers.ts';
import type { ApiContext } from './api-context.ts';

export async function roundRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/rounds', {
    schema: {
      summary: 'PoC rounds, newest first',
      tags: ['rounds'],
      querystring: Type.Object({
        hotspot: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        status: Type.Optional(Type.Union([Type.Literal('valid'), Type.Literal('invalid')])),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        // received_at_ms is a bigint; a JS number is exact up to 2^53−1 (ECMA-262 Number.MAX_SAFE_INTEGER)
        before: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'only rounds received before this time (ms)' })),
      }),
      response: { 200: RoundListSchema, 400: ErrorSchema },
    },
  }, async (req) => {
    const q = req.query;
    return { rounds: await ctx.rounds.list(ctx.sql, { hotspot: q.hotspot, status: q.status, before: q.before, limit: q.limit ?? 100 }) };
  });

  r.get('/api/v1/rounds/:id', {
    schema: { summary: 'One PoC round with every verdict', tags: ['rounds'], params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }), response: { 200: StoredPocResultSchema, 400: ErrorSchema, 404: ErrorSchema } },
  }, async (req) => {
    const round = await ctx.rounds.get(ctx.sql, req.params.id);
    if (!round) throw new ApiError(404, 'ROUND_NOT_FOUND', `no round ${req.params.id}`);
    return round;
  });
}
