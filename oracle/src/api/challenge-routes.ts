/** Challenges on demand (docs/api.md): 202 with the command sent, 404 unknown, 409 offline. */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { isValidAddress } from '@hexium/shared/identity/index';
import { ApiError } from './api-error.ts';
import type { ApiContext } from './api-context.ts';
import { ErrorSchema } from './query-helpers.ts';

export async function challengeRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/api/v1/challenges', {
    schema: {
      summary: 'Ask a hotspot to beacon now',
      tags: ['rounds'],
      body: Type.Object({ hotspot: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }),
      response: {
        202: Type.Object({ challengeId: Type.String(), hotspot: Type.String(), issuedAtMs: Type.Integer() }),
        400: ErrorSchema,
        404: ErrorSchema,
        409: ErrorSchema,
      },
    },
  }, async (req, reply) => {
    if (!isValidAddress(req.body.hotspot)) throw new ApiError(400, 'INVALID_ADDRESS', `not a Helium ed25519 address: ${req.body.hotspot}`);
    const cmd = await ctx.challenges.issue(req.body.hotspot);
    reply.code(202);
    return { challengeId: cmd.challengeId, hotspot: cmd.hotspot, issuedAtMs: cmd.issuedAtMs };
  });
}
