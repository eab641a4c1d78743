/**
 * Challenges on demand (docs/api.md): 202 with the command sent, 404 unknown, 409 offline, 429 when a
 * rate limit is reached (per hotspot and per caller IP, docs/security.md "HTTP API").
 */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { isValidAddress } from '@hexium/shared/identity/index';
import { ChallengeAcceptedSchema } from '@hexium/shared/protocol/index';
import { ApiError } from './api-error.ts';
import type { ApiContext } from './api-context.ts';
import { ErrorSchema } from './query-helpers.ts';
import { WindowLimiter } from './http-security.ts';

export interface ChallengeLimits {
  /** Least seconds between two challenges to one hotspot; 0 = no limit. */
  challengeHotspotIntervalS: number;
  /** Challenges per caller IP per minute; 0 = no limit. */
  challengeCallerPerMinute: number;
}

const ROUTE = '/api/v1/challenges';

export async function challengeRoutes(app: FastifyInstance, ctx: ApiContext, limits: ChallengeLimits): Promise<void> {
  const perHotspot = limits.challengeHotspotIntervalS > 0 ? new WindowLimiter(1, limits.challengeHotspotIntervalS * 1000) : null;
  const perCaller = limits.challengeCallerPerMinute > 0 ? new WindowLimiter(limits.challengeCallerPerMinute, 60_000) : null;
  const tooMany = (reason: 'caller_rate' | 'hotspot_rate', waitMs: number, message: string): ApiError => {
    ctx.metrics.httpRefused.inc({ route: ROUTE, reason });
    const err = new ApiError(429, 'RATE_LIMITED', message);
    // RFC 9110 §10.2.3: Retry-After in whole seconds, rounded up so a client that waits is let in.
    err.headers = { 'retry-after': String(Math.ceil(waitMs / 1000)) };
    return err;
  };

  app.withTypeProvider<TypeBoxTypeProvider>().post(ROUTE, {
    schema: {
      summary: 'Ask a hotspot to beacon now',
      tags: ['rounds'],
      body: Type.Object({ hotspot: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }),
      response: {
        202: ChallengeAcceptedSchema,
        400: ErrorSchema,
        404: ErrorSchema,
        409: ErrorSchema,
        429: ErrorSchema,
      },
    },
  }, async (req, reply) => {
    const now = ctx.clock.now();
    // The caller is counted first and for every attempt (404s and 409s too): a flood is refused whatever it targets.
    const callerWait = perCaller?.hit(req.ip, now) ?? 0;
    if (callerWait > 0) throw tooMany('caller_rate', callerWait, `at most ${limits.challengeCallerPerMinute} challenges per minute from one caller`);
    if (!isValidAddress(req.body.hotspot)) throw new ApiError(400, 'INVALID_ADDRESS', `not a Helium ed25519 address: ${req.body.hotspot}`);
    const hotspotWait = perHotspot?.hit(req.body.hotspot, now) ?? 0;
    if (hotspotWait > 0) throw tooMany('hotspot_rate', hotspotWait, `hotspot ${req.body.hotspot} was challenged less than ${limits.challengeHotspotIntervalS} s ago`);
    let cmd;
    try {
      cmd = await ctx.challenges.issue(req.body.hotspot);
    } catch (e) {
      perHotspot?.release(req.body.hotspot); // nothing was sent to that hotspot
      throw e;
    }
    reply.code(202);
    return { challengeId: cmd.challengeId, hotspot: cmd.hotspot, issuedAtMs: cmd.issuedAtMs };
  });
}
