/**
 * The HTTP application (fastify 5 + TypeBox), built apart from listening (STYLE.md §5) so tests use
 * `app.inject()`. Routes: docs/api.md. Errors are 4xx `{ code, message }` with stable codes; anything
 * unexpected is a logged 500 `{ code: "INTERNAL" }`. The built map is served at `/` under a strict CSP.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { OracleConfig } from './config.ts';
import type { ApiContext } from './api/api-context.ts';
import { ApiError, apiErrorFromRefusal } from './api/api-error.ts';
import { HotspotRefusal } from './hotspots/refusal.ts';
import { OrgListSchema, parseStrictJson } from '@hexium/shared/protocol/index';
import { networkRoutes } from './api/network-routes.ts';
import { hotspotRoutes } from './api/hotspot-routes.ts';
import { coverageRoutes } from './api/coverage-routes.ts';
import { roundRoutes } from './api/round-routes.ts';
import { epochRoutes } from './api/epoch-routes.ts';
import { challengeRoutes } from './api/challenge-routes.ts';
import { denyListRoutes } from './api/denylist-routes.ts';
import { eventStream } from './api/event-stream.ts';
import { tileRoutes } from './api/tile-routes.ts';
import { basemapRoutes } from './api/basemap-routes.ts';
import { DOCS_CSP, allowedHostSet, bearerToken, hostName, setSecurityHeaders, tokenMatches } from './api/http-security.ts';

/** Largest request body (bytes) outside the routes that set their own (docs/api.md "Limits"). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export const MAP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built map directory: `mapDir` as given (relative to the cwd), else relative to the repository. */
export function resolveMapDir(mapDir: string): string | null {
  for (const candidate of [path.resolve(mapDir), path.resolve(REPO_ROOT, mapDir)]) {
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

const NO_MAP_PAGE = `<!doctype html><meta charset="utf-8"><title>Hexium oracle</title>
<h1>Hexium oracle</h1><p>The map is not built. Run <code>npm run build -w map-ui</code> and reload.</p>
<p>API: <a href="/docs">/docs</a> · <a href="/api/v1/health">/api/v1/health</a> · <a href="/metrics">/metrics</a></p>`;

export interface AppDeps {
  ctx: ApiContext;
  logger?: Logger;
}

/** Codes for Fastify's own 4xx refusals (docs/api.md "Errors"); any other is BAD_REQUEST. */
const FASTIFY_CODES: Record<number, string> = { 413: 'BODY_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

export async function buildApp(config: OracleConfig, deps: AppDeps): Promise<FastifyInstance> {
  const { ctx } = deps;
  // pluginTimeout: Fastify gives each plugin 10 s to load by default; @fastify/swagger-ui reads its static
  // files at registration, which took longer than that on a loaded 2-core machine and failed the start.
  // A plugin that truly hangs still fails after two minutes.
  const app = Fastify({
    loggerInstance: deps.logger?.child({}, { level: 'warn' }),
    bodyLimit: BODY_LIMIT_BYTES,
    pluginTimeout: 120_000,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  app.setErrorHandler((thrown: any, req, reply) => {
    const err = thrown instanceof HotspotRefusal ? apiErrorFromRefusal(thrown) : thrown;
    if (err instanceof ApiError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.statusCode).send({ code: err.code, message: err.message });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') ctx.metrics.httpRefused.inc({ route: req.routeOptions.url ?? 'unknown', reason: 'body_too_large' });
    if (err.validation) return reply.code(400).send({ code: 'BAD_REQUEST', message: err.message });
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    // Fastify's own refusals (body parser, media type, size) answer with the documented codes
    if (status >= 400 && status < 500) return reply.code(status).send({ code: FASTIFY_CODES[status] ?? 'BAD_REQUEST', message: err.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ code: 'INTERNAL', message: 'internal error' });
  });
  // JSON bodies are parsed as strictly as MQTT payloads (docs/protocol.md "Payload checks"): no member name
  // twice, no lone UTF-16 surrogate (canonical JSON, which onboarding signatures cover, cannot encode one),
  // then Fastify's own parser, which also refuses `__proto__` and `constructor.prototype` keys.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const strict = parseStrictJson(body as string);
    if (!strict.ok && strict.reason !== 'bad_json') return done(new ApiError(400, 'BAD_REQUEST', `body refused (${strict.reason}): ${strict.error}`), undefined);
    defaultJson(req, body as string, done);
  });

  // Every 4xx/5xx response is counted by route, status and the code its body names.
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    let code = 'unknown';
    if (typeof payload === 'string' && payload.startsWith('{')) {
      try {
        const c = (JSON.parse(payload) as { code?: unknown }).code;
        if (typeof c === 'string' && c.length <= 64) code = c;
      } catch {
        // not a JSON error body
      }
    }
    ctx.metrics.httpErrors.inc({ route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode), code });
    return payload;
  });

  app.setNotFoundHandler((req, reply) => reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` }));


  // Security headers on every response (docs/security.md "HTTP API"): the map's strict CSP, a CSP for
  // Swagger UI under /docs, no framing (the map has a Challenge button), no MIME sniffing.
  app.addHook('onSend', async (req, reply, payload) => {
    setSecurityHeaders(reply, req.url === '/docs' || req.url.startsWith('/docs/') ? DOCS_CSP : MAP_CSP);
    return payload;
  });

  // DNS rebinding defence: a page on an attacker's name that resolves to 127.0.0.1 sends its own name in
  // Host, so only the loopback names, the listen host and configured names are served (421 otherwise,
  // RFC 9110 §15.5.20 Misdirected Request).
  const hosts = allowedHostSet(config.host, config.allowedHosts);
  if (hosts) {
    app.addHook('onRequest', async (req, reply) => {
      const name = hostName(req.headers.host);
      if (name !== null && hosts.has(name)) return;
      ctx.metrics.httpRefused.inc({ route: 'any', reason: 'host_not_allowed' });
      return reply.code(421).send({ code: 'HOST_NOT_ALLOWED', message: `Host "${req.headers.host ?? ''}" is not served here; add it to HEXIUM_ALLOWED_HOSTS` });
    });
  }

  // /metrics behind a token when one is configured (the admin token is accepted too).
  if (config.metricsToken) {
    const metricsToken = config.metricsToken;
    app.addHook('onRequest', async (req, reply) => {
      if (req.url !== '/metrics' && !req.url.startsWith('/metrics?')) return;
      const t = bearerToken(req);
      if (tokenMatches(t, metricsToken) || tokenMatches(t, ctx.adminToken)) return;
      return reply.code(401).header('www-authenticate', 'Bearer').send({ code: 'UNAUTHORIZED', message: '/metrics: send authorization: Bearer <metricsToken>' });
    });
  }

  // Every 401 (admin routes, DC burns, /metrics) is counted per route, whichever part refused it.
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode === 401) ctx.metrics.httpRefused.inc({ route: req.routeOptions.url ?? 'unknown', reason: 'unauthorized' });
  });

  // Plugins copy their parent's hooks when they load: the hooks above must exist before Swagger UI.
  await app.register((await import('@fastify/swagger')).default, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Hexium oracle API', version: '1', description: 'See docs/api.md. Errors are 4xx { code, message }.' },
    },
  });
  await app.register((await import('@fastify/swagger-ui')).default, { routePrefix: '/docs' });

  await networkRoutes(app, ctx);
  await hotspotRoutes(app, ctx);
  await coverageRoutes(app, ctx);
  await roundRoutes(app, ctx);
  await epochRoutes(app, ctx);
  await challengeRoutes(app, ctx, config);
  await denyListRoutes(app, ctx);
  await eventStream(app, ctx);
  await tileRoutes(app, ctx);
  if (ctx.basemap) await basemapRoutes(app, ctx.basemap);

  const router = ctx.router();
  if (router) {
    await app.register(router.routes, { adminToken: ctx.adminToken });
  } else {
    app.get('/api/v1/orgs', { schema: { summary: 'Organizations (packet router not loaded)', tags: ['orgs'], response: { 200: OrgListSchema } } }, async () => ({ orgs: [] }));
  }

  if (ctx.mapDir) {
    await app.register((await import('@fastify/static')).default, { root: ctx.mapDir, prefix: '/', wildcard: false });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NO_MAP_PAGE));
  }
  return app;
}
