/**
 * Deny list (docs/api.md): `GET /api/v1/denylist` (public) and `PUT /api/v1/denylist` (admin) which
 * replaces the denied keys and undirected edges the verifier applies from its next tick on.
 */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { isValidAddress } from '@hexium/shared/identity/index';
import { DenyListSchema } from '@hexium/shared/protocol/index';
import { ApiError } from './api-error.ts';
import type { ApiContext } from './api-context.ts';
import { ErrorSchema } from './query-helpers.ts';
import { ADMIN_BODY_LIMIT_BYTES, requireAdmin } from './http-security.ts';
import { readDenyList, replaceDenyList } from '../store/deny-list-store.ts';

const AddressString = Type.String({ minLength: 1, maxLength: 80 });

export async function denyListRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/denylist', {
    schema: { summary: 'The deny list: denied hotspots and undirected edges', tags: ['rounds'], response: { 200: DenyListSchema } },
  }, async () => readDenyList(ctx.sql));

  r.put('/api/v1/denylist', {
    // the token is checked before the body is read: only the operator may send a large list
    onRequest: async (req) => requireAdmin(req, ctx.adminToken),
    bodyLimit: ADMIN_BODY_LIMIT_BYTES,
    schema: {
      summary: 'Replace the deny list (admin)',
      tags: ['rounds'],
      body: Type.Object(
        {
          tag: Type.Optional(Type.String({ maxLength: 64 })),
          addresses: Type.Array(AddressString, { maxItems: 100_000 }),
          edges: Type.Optional(Type.Array(Type.Tuple([AddressString, AddressString]), { maxItems: 100_000 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: DenyListSchema, 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const edges = req.body.edges ?? [];
    for (const a of [...req.body.addresses, ...edges.flat()]) {
      if (!isValidAddress(a)) throw new ApiError(400, 'INVALID_ADDRESS', `not a Helium ed25519 address: ${a}`);
    }
    return replaceDenyList(ctx.sql, { tag: req.body.tag, addresses: req.body.addresses, edges: edges as [string, string][] });
  });
}
