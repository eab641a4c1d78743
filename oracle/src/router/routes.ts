/**
 * HTTP routes of the packet router (docs/api.md rows `/orgs`, `/orgs/:id/dc`; docs/data-credits.md):
 * list and create organizations, add devices, buy DC by burning HNT at the oracle price.
 * Admin routes (creating organizations and devices) need `authorization: Bearer <adminToken>`.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ApiErrorSchema, DcBurnSchema, OrgListSchema, OrgResponseSchema } from '@hexium/shared/protocol/index';
import type { RouterContext } from './context.ts';
import { dcFromHntBones } from './dc.ts';
import { creditDc, insertDevice, insertOrg, isOtaa, listOrgs, orgExists, orgRanges, overlappingRange, type DeviceInput } from '../store/router-store.ts';
import { ADMIN_BODY_LIMIT_BYTES, bearerToken, tokenMatches } from '../api/http-security.ts';

const Hex = (bytes: number) => Type.String({ pattern: `^[0-9a-fA-F]{${bytes * 2}}$` });
const OrgId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'MQTT-topic-safe id' });
const Range = Type.Object({ start: Hex(4), end: Hex(4) }, { additionalProperties: false });
const Otaa = Type.Object({ devEui: Hex(8), joinEui: Hex(8), appKey: Hex(16) }, { additionalProperties: false });
const Abp = Type.Object(
  { devAddr: Hex(4), devEui: Type.Optional(Hex(8)), nwkSKey: Hex(16), appSKey: Hex(16), fCntUp: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })) },
  { additionalProperties: false },
);
const Device = Type.Union([Otaa, Abp]);
const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema };

/** Largest DC balance kept (int8 column, with headroom). */
const MAX_DC_BALANCE = 2n ** 62n;

export interface RouterRoutesOptions {
  adminToken?: string;
}

class RouteError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The admin token: plugin option, else the server's `adminToken` / `config.adminToken` decoration. */
function adminTokenOf(req: FastifyRequest, opts: RouterRoutesOptions, fallback?: string): string | undefined {
  const s = req.server as unknown as { adminToken?: string; config?: { adminToken?: string } };
  return opts.adminToken ?? fallback ?? s.adminToken ?? s.config?.adminToken;
}

function checkDevices(devices: DeviceInput[], ranges: [number, number][]): void {
  for (const d of devices) {
    if (isOtaa(d)) continue;
    const a = parseInt(d.devAddr, 16);
    if (!ranges.some(([s, e]) => a >= s && a <= e)) {
      throw new RouteError(400, 'DEVADDR_OUT_OF_RANGE', `devAddr ${d.devAddr} is outside the organization's DevAddr ranges`);
    }
  }
}

export function routerRoutes(ctx: RouterContext, fallbackToken?: string): FastifyPluginAsync<RouterRoutesOptions> {
  return async (fastify, opts) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const admin = async (req: FastifyRequest, reply: FastifyReply) => {
      const token = adminTokenOf(req, opts, fallbackToken);
      if (!token || !tokenMatches(bearerToken(req), token)) {
        return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'admin route: send authorization: Bearer <adminToken>' });
      }
    };
    const fail = (reply: FastifyReply, e: unknown) => {
      if (e instanceof RouteError) return reply.code(e.status as 400).send({ code: e.code, message: e.message });
      throw e;
    };

    app.get('/api/v1/orgs', { schema: { summary: 'Organizations of the packet router', tags: ['orgs'], response: { 200: OrgListSchema } } }, async () => ({ orgs: await listOrgs(ctx.sql) }));

    app.post(
      '/api/v1/orgs',
      {
        onRequest: admin, // before the body is read
        bodyLimit: ADMIN_BODY_LIMIT_BYTES,
        schema: {
          summary: 'Create an organization (admin)',
          tags: ['orgs'],
          body: Type.Object(
            { orgId: OrgId, name: Type.String({ minLength: 1, maxLength: 200 }), dcBalance: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'initial DC balance' })), devAddrRanges: Type.Array(Range, { maxItems: 64 }), devices: Type.Optional(Type.Array(Device, { maxItems: 10_000 })) },
            { additionalProperties: false },
          ),
          response: { 201: OrgResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const ranges = b.devAddrRanges.map((r) => [parseInt(r.start, 16), parseInt(r.end, 16)] as [number, number]);
        try {
          if (ranges.some(([s, e]) => s > e)) throw new RouteError(400, 'BAD_DEVADDR_RANGE', 'a DevAddr range has start > end');
          checkDevices(b.devices ?? [], ranges);
          await ctx.sql.transaction(async (tx) => {
            if (await orgExists(tx, b.orgId)) throw new RouteError(409, 'ORG_EXISTS', `organization ${b.orgId} already exists`);
            for (const [s, e] of ranges) {
              const other = await overlappingRange(tx, s, e);
              if (other !== null) throw new RouteError(409, 'DEVADDR_RANGE_OVERLAP', `DevAddr range overlaps organization ${other}`);
            }
            await insertOrg(tx, { orgId: b.orgId, name: b.name, dcBalance: b.dcBalance ?? '0', nowMs: ctx.clock.now(), ranges });
            for (const d of b.devices ?? []) await insertDevice(tx, b.orgId, d, ctx.clock.now());
          });
        } catch (e) {
          return fail(reply, e);
        }
        return reply.code(201).send({ org: (await listOrgs(ctx.sql, b.orgId))[0] });
      },
    );

    app.post(
      '/api/v1/orgs/:id/devices',
      {
        onRequest: admin, // before the body is read
        bodyLimit: ADMIN_BODY_LIMIT_BYTES,
        schema: {
          summary: 'Add devices to an organization (admin)',
          tags: ['orgs'],
          params: Type.Object({ id: OrgId }),
          body: Type.Object({ devices: Type.Array(Device, { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false }),
          response: { 200: OrgResponseSchema, ...errors },
        },
      },
      async (req, reply) => {
        try {
          await ctx.sql.transaction(async (tx) => {
            const ranges = await orgRanges(tx, req.params.id);
            if (!(await orgExists(tx, req.params.id))) throw new RouteError(404, 'ORG_NOT_FOUND', `no organization ${req.params.id}`);
            checkDevices(req.body.devices, ranges);
            for (const d of req.body.devices) await insertDevice(tx, req.params.id, d, ctx.clock.now());
          });
        } catch (e) {
          return fail(reply, e);
        }
        return { org: (await listOrgs(ctx.sql, req.params.id))[0] };
      },
    );

    // Burn HNT for DC at the oracle price (docs/api.md; dc.ts has the arithmetic). Admin only: DC are
    // minted only against an HNT burn (Helium: the burn is a transaction signed by the HNT holder), and
    // Hexium has no HNT ledger to verify one, so the operator (treasury) attests the burn with the admin
    // token (docs/security.md "HTTP API"). Nobody else can mint or push an org to the cap.
    app.post(
      '/api/v1/orgs/:id/dc',
      {
        onRequest: admin, // before the body is read
        schema: {
          summary: 'Burn HNT for DC at the oracle price (admin)',
          tags: ['orgs'],
          params: Type.Object({ id: OrgId }),
          body: Type.Object({ hntBones: Type.String({ pattern: '^[1-9][0-9]{0,19}$', description: 'HNT to burn, in bones (1 HNT = 10^8)' }) }, { additionalProperties: false }),
          response: { 200: DcBurnSchema, ...errors },
        },
      },
      async (req, reply) => {
        const dcAdded = dcFromHntBones(BigInt(req.body.hntBones), ctx.params);
        if (dcAdded > MAX_DC_BALANCE) return reply.code(400).send({ code: 'DC_OVERFLOW', message: 'that burn would exceed the largest DC balance (2^62)' });
        const r = await ctx.sql.transaction((tx) =>
          creditDc(tx, { orgId: req.params.id, dcAdded, maxDc: MAX_DC_BALANCE, hntBones: req.body.hntBones, hntPrice: ctx.params.hntPrice, nowMs: ctx.clock.now() }),
        );
        if (r === null) {
          if (await orgExists(ctx.sql, req.params.id)) return reply.code(400).send({ code: 'DC_OVERFLOW', message: 'that burn would exceed the largest DC balance (2^62)' });
          return reply.code(404).send({ code: 'ORG_NOT_FOUND', message: `no organization ${req.params.id}` });
        }
        return { dcAdded: dcAdded.toString(), dcBalance: r };
      },
    );
  };
}
