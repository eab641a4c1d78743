/** Epochs and rewards (docs/api.md): list, one epoch's payouts, the signed manifest with its check. */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { animalName } from '@hexium/shared/identity/index';
import { EpochDetailSchema, EpochListSchema, ManifestResponseSchema, type RewardManifest } from '@hexium/shared/protocol/index';
import { verifyManifest } from '../rewards/index.ts';
import { epochHash, listEpochs, loadManifest } from '../store/epoch-store.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext } from './api-context.ts';
import { ErrorSchema } from './query-helpers.ts';

/** A stored manifest is verified when it checks on its own and chains to the stored previous epoch. */
async function manifestVerified(ctx: ApiContext, m: RewardManifest): Promise<boolean> {
  if (!verifyManifest(m).valid) return false;
  const prev = await epochHash(ctx.sql, m.epoch - 1);
  return prev === null ? true : prev === m.prevHash;
}

/** `epochs.epoch` is a PostgreSQL `integer`: 0..2^31−1 (PostgreSQL docs §8.1.1). Larger is a 400, not a SQL error. */
export const MAX_EPOCH = 2_147_483_647;
const EpochParams = Type.Object({ n: Type.Integer({ minimum: 0, maximum: MAX_EPOCH }) });

export async function epochRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/epochs', {
    schema: { summary: 'Rewarded epochs, newest first', tags: ['rewards'], querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }), response: { 200: EpochListSchema, 400: ErrorSchema } },
  }, async (req) => {
    const rows = await listEpochs(ctx.sql, req.query.limit ?? 100);
    const byEpoch = new Map(rows.map((x) => [x.epoch, x.manifest]));
    return {
      epochs: rows.map((x) => {
        const m = x.manifest;
        const prev = byEpoch.get(m.epoch - 1);
        return {
          epoch: m.epoch,
          startS: m.startS,
          endS: m.endS,
          hash: m.hash,
          prevHash: m.prevHash,
          hotspots: x.hotspots,
          totalBones: x.totalBones,
          verified: verifyManifest(m).valid && (prev === undefined || prev.hash === m.prevHash),
        };
      }),
    };
  });

  const load = async (n: number): Promise<RewardManifest> => {
    const m = await loadManifest(ctx.sql, n);
    if (!m) throw new ApiError(404, 'EPOCH_NOT_FOUND', `epoch ${n} has not been rewarded`);
    return m;
  };

  r.get('/api/v1/epochs/:n', { schema: { summary: "One epoch's rewards", tags: ['rewards'], params: EpochParams, response: { 200: EpochDetailSchema, 400: ErrorSchema, 404: ErrorSchema } } }, async (req) => {
    const m = await load(req.params.n);
    return {
      epoch: m.epoch,
      startS: m.startS,
      endS: m.endS,
      hash: m.hash,
      rewards: m.rewards.map((x) => ({
        hotspot: x.hotspot,
        name: animalName(x.hotspot),
        beaconAmount: x.beaconAmount,
        witnessAmount: x.witnessAmount,
        dcTransferAmount: x.dcTransferAmount,
        total: (BigInt(x.beaconAmount) + BigInt(x.witnessAmount) + BigInt(x.dcTransferAmount)).toString(),
      })),
      operations: m.operations,
      oracles: m.oracles,
      unallocatedPoc: m.unallocatedPoc,
    };
  });

  r.get('/api/v1/epochs/:n/manifest', { schema: { summary: 'The signed reward manifest (download)', tags: ['rewards'], params: EpochParams, response: { 200: ManifestResponseSchema, 400: ErrorSchema, 404: ErrorSchema } } }, async (req, reply) => {
    const m = await load(req.params.n);
    reply.header('x-hexium-manifest-verified', String(await manifestVerified(ctx, m)));
    reply.header('content-disposition', `attachment; filename="manifest-${m.epoch}.json"`);
    return m;
  });
}
