/** PoC rounds (docs/api.md): the stored PocResults, newest first, and one round. */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ApiError } from './api-error.ts';
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
        before: Type.Optional(Type.Integer({ minimum: 0, description: 'only rounds received before this time (ms)' })),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const where: string[] = [];
    const params: unknown[] = [];
    let from = 'rounds r';
    if (q.hotspot) {
      params.push(q.hotspot);
      from = `rounds r WHERE r.poc_id IN (SELECT poc_id FROM round_participants WHERE hotspot = $${params.length})`;
    }
    if (q.status) {
      params.push(q.status);
      where.push(`r.status = $${params.length}`);
    }
    if (q.before !== undefined) {
      params.push(q.before);
      where.push(`r.received_at_ms < $${params.length}`);
    }
    params.push(q.limit ?? 100);
    const cond = where.length ? (q.hotspot ? ' AND ' : ' WHERE ') + where.join(' AND ') : '';
    const { rows } = await ctx.sql.query(`SELECT r.result FROM ${from}${cond} ORDER BY r.received_at_ms DESC, r.poc_id LIMIT $${params.length}`, params);
    return { rounds: rows.map((x) => x.result) };
  });

  r.get('/api/v1/rounds/:id', {
    schema: { summary: 'One PoC round with every verdict', tags: ['rounds'], params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }) },
  }, async (req) => {
    const { rows } = await ctx.sql.query('SELECT result FROM rounds WHERE poc_id = $1', [req.params.id]);
    if (rows.length === 0) throw new ApiError(404, 'ROUND_NOT_FOUND', `no round ${req.params.id}`);
    return rows[0].result;
  });
}
