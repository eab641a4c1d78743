/**
 * Issue 14, HTTP API and operator defaults: one check per defence, each asserting the refusal and its
 * counter (docs/security.md). One in-memory oracle serves the HTTP checks; the data-directory checks
 * (modes, lock, admin token, key mode, epoch length, manifest republish) use one directory on disk,
 * started a few times in turn. Expected values follow from the rules, written beside each check.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { describeConfig, redactUrl, withDefaults } from '../src/config.ts';
import { WindowLimiter, allowedHostSet, hostName, tokenMatches } from '../src/api/http-security.ts';
import { BULK_MAX_ITEMS } from '../src/api/hotspot-routes.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { connectHotspot, hotspotKey, onboardingBody } from './helpers/devices.ts';
import { T0, until } from './helpers/pipeline-scenario.ts';

const ADMIN = 'admin-token-for-tests';
const METRICS = 'metrics-token-for-tests';
const clock = new ManualClock(T0);
const alice = hotspotKey('hard-alice');
let oracle: OracleHandle;

const inject = (o: InjectOptions) => oracle.app.inject(o);
const metricsText = async () => (await inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS}` } })).body;

beforeAll(async () => {
  oracle = await startOracle(
    {
      dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', adminToken: ADMIN, metricsToken: METRICS,
      challengeHotspotIntervalS: 300, challengeCallerPerMinute: 3, allowedHosts: 'oracle.example',
    },
    { clock, logger: pino({ level: 'silent' }) },
  );
  const r = await inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(alice, 48.85, 2.35, clock.now()) });
  expect(r.statusCode).toBe(201);
});
afterAll(() => oracle?.stop());

describe('data credits only from the treasury', () => {
  it('refuses an anonymous or wrongly authorized DC burn and adds nothing', async () => {
    const admin = { authorization: `Bearer ${ADMIN}` };
    const created = await inject({ method: 'POST', url: '/api/v1/orgs', headers: admin, payload: { orgId: 'acme', name: 'Acme', devAddrRanges: [{ start: '48000000', end: '480000ff' }] } });
    expect(created.statusCode).toBe(201);
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${ADMIN}x` }]) {
      const r = await inject({ method: 'POST', url: '/api/v1/orgs/acme/dc', headers, payload: { hntBones: '99999999999999999999' } });
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('UNAUTHORIZED');
    }
    expect(await metricsText()).toContain('hexium_http_refused_total{route="/api/v1/orgs/:id/dc",reason="unauthorized"} 3');
    const orgs = (await inject({ url: '/api/v1/orgs' })).json().orgs;
    expect(orgs.find((o: { orgId: string }) => o.orgId === 'acme').dcBalance).toBe('0');
    // demo price = helium's $3.59, 1 DC = $0.00001: 1 HNT (10^8 bones) → 3.59 / 0.00001 = 359 000 DC
    const ok = await inject({ method: 'POST', url: '/api/v1/orgs/acme/dc', headers: admin, payload: { hntBones: '100000000' } });
    expect(ok.json()).toEqual({ dcAdded: '359000', dcBalance: '359000' });
  });
});

describe('challenges are rate limited per hotspot and per caller', () => {
  it('answers 429 with Retry-After and counts both limits', async () => {
    const c = await connectHotspot(oracle.mqttUrl, alice, clock.now());
    await c.publishAsync(`hexium/hotspot/${alice.address}/state/conn`, JSON.stringify({ v: 1, hotspot: alice.address, state: 'ONLINE' }), { qos: 1 });
    await oracle.idle();
    const challenge = (hotspot: string) => inject({ method: 'POST', url: '/api/v1/challenges', payload: { hotspot } });
    // caller hit 1: accepted
    expect((await challenge(alice.address)).statusCode).toBe(202);
    // caller hit 2: the same hotspot again within 300 s → 429; the clock has not moved, so the window ends in 300 s
    const again = await challenge(alice.address);
    expect(again.statusCode).toBe(429);
    expect(again.json().code).toBe('RATE_LIMITED');
    expect(again.headers['retry-after']).toBe('300');
    // caller hit 3: allowed by the caller limit (3 per minute), refused for its own reason
    expect((await challenge(hotspotKey('hard-nobody').address)).statusCode).toBe(404);
    // caller hit 4: over 3 per minute → 429, window of 60 s from the first hit, clock unchanged → 60
    const flood = await challenge(hotspotKey('hard-nobody').address);
    expect(flood.statusCode).toBe(429);
    expect(flood.headers['retry-after']).toBe('60');
    const m = await metricsText();
    expect(m).toContain('hexium_http_refused_total{route="/api/v1/challenges",reason="hotspot_rate"} 1');
    expect(m).toContain('hexium_http_refused_total{route="/api/v1/challenges",reason="caller_rate"} 1');
    await c.endAsync(true);
  });

  it('limits in fixed windows and forgets a released hit', () => {
    const l = new WindowLimiter(2, 1000);
    expect([l.hit('a', 0), l.hit('a', 10), l.hit('a', 20)]).toEqual([0, 0, 980]); // window [0, 1000): 1000 − 20
    l.release('a');
    expect(l.hit('a', 30)).toBe(0);
    expect(l.hit('a', 1000)).toBe(0); // a new window starts at 1000
  });
});

describe('bulk onboarding is bounded and never blocks the process', () => {
  it(`refuses more than ${BULK_MAX_ITEMS} items (400) and a body over its limit (413, counted)`, async () => {
    const tooMany = await inject({ method: 'POST', url: '/api/v1/hotspots/bulk', payload: { hotspots: Array.from({ length: BULK_MAX_ITEMS + 1 }, () => ({})) } });
    expect(tooMany.statusCode).toBe(400);
    const big = JSON.stringify({ hotspots: [{ pad: 'x'.repeat(1024 * 1024) }] });
    const huge = await inject({ method: 'POST', url: '/api/v1/hotspots/bulk', headers: { 'content-type': 'application/json' }, payload: big });
    expect(huge.statusCode).toBe(413);
    expect(await metricsText()).toContain('hexium_http_refused_total{route="/api/v1/hotspots/bulk",reason="body_too_large"} 1');
  });

  it('takes large lists only from the operator: the admin token is checked before the body is read', async () => {
    // 20 000 strings of 75 characters ≈ 1.56 MB: over the 1 MiB default, under the 16 MiB admin limit
    const body = JSON.stringify({ addresses: Array.from({ length: 20_000 }, () => 'x'.repeat(75)) });
    const anon = await inject({ method: 'PUT', url: '/api/v1/denylist', headers: { 'content-type': 'application/json' }, payload: body });
    expect(anon.statusCode).toBe(401);
    const admin = await inject({ method: 'PUT', url: '/api/v1/denylist', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, payload: body });
    expect(admin.statusCode).toBe(400);
    expect(admin.json().code).toBe('INVALID_ADDRESS');
    expect(await metricsText()).toContain('hexium_http_refused_total{route="/api/v1/denylist",reason="unauthorized"} 1');
  });

  it('serves health while it checks 1000 badly signed items, and counts the rejections', async () => {
    const good = onboardingBody(hotspotKey('hard-bulk'), 48.8, 2.3, clock.now());
    const badSig = { ...good, signature: Buffer.alloc(64, 7).toString('base64') };
    const bulk = inject({ method: 'POST', url: '/api/v1/hotspots/bulk', payload: { hotspots: Array.from({ length: 1000 }, () => badSig) } });
    const order: string[] = [];
    const health = inject({ url: '/api/v1/health' }).then((r) => (order.push('health'), r));
    const done = bulk.then((r) => (order.push('bulk'), r));
    const [h, b] = await Promise.all([health, done]);
    // the bulk yields between items, so health (asked after it) is answered before the bulk ends
    expect(order).toEqual(['health', 'bulk']);
    expect(h.json()).toEqual({ status: 'ok' });
    expect(b.json().rejected).toHaveLength(1000);
    expect(b.json().rejected[0]).toMatchObject({ index: 0, code: 'BAD_SIGNATURE' });
    expect(await metricsText()).toContain('hexium_http_refused_total{route="/api/v1/hotspots/bulk",reason="item_rejected"} 1000');
  });
});

describe('numbers in routes are bounded before SQL', () => {
  // epochs.epoch is a PostgreSQL integer: 2^31 − 1 = 2 147 483 647 is the largest; rounds.before is ms
  // in a bigint read as a JS number: 2^53 − 1 = 9 007 199 254 740 991 is the largest exact one.
  it.each([
    ['/api/v1/epochs/2147483648', 400, 'BAD_REQUEST'],
    ['/api/v1/epochs/2147483648/manifest', 400, 'BAD_REQUEST'],
    ['/api/v1/epochs/99999999999999999999999', 400, 'BAD_REQUEST'],
    ['/api/v1/epochs/2147483647', 404, 'EPOCH_NOT_FOUND'],
    ['/api/v1/epochs/2147483647/manifest', 404, 'EPOCH_NOT_FOUND'],
    ['/api/v1/rounds?before=9007199254740992', 400, 'BAD_REQUEST'],
    ['/api/v1/rounds?before=1e30', 400, 'BAD_REQUEST'],
    [`/api/v1/hotspots/${'a'.repeat(81)}`, 400, 'BAD_REQUEST'],
    [`/api/v1/coverage?bbox=${'1'.repeat(201)}`, 400, 'BAD_REQUEST'],
  ])('GET %s → %i %s', async (url, status, code) => {
    const r = await inject({ url });
    expect(r.statusCode).toBe(status);
    expect(r.json().code).toBe(code);
  });

  it('answers 200 for the largest valid before', async () => {
    expect((await inject({ url: '/api/v1/rounds?before=9007199254740991' })).statusCode).toBe(200);
  });
});

describe('security headers, Host allow-list and /metrics token', () => {
  it('sends CSP, no framing and nosniff on the API, the map page and /docs', async () => {
    for (const url of ['/api/v1/health', '/', '/docs/json']) {
      const r = await inject({ url });
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
    const docs = await inject({ url: '/docs/static/index.html' });
    expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self';");
  });

  it('refuses a Host that is not allowed with 421 and counts it; serves loopback and configured names', async () => {
    const evil = await inject({ method: 'POST', url: '/api/v1/challenges', headers: { host: 'attacker.example:8080' }, payload: { hotspot: alice.address } });
    expect(evil.statusCode).toBe(421);
    expect(evil.json().code).toBe('HOST_NOT_ALLOWED');
    for (const host of ['localhost:8080', '127.0.0.1', '[::1]:80', 'ORACLE.example:443']) {
      expect((await inject({ url: '/api/v1/health', headers: { host } })).statusCode).toBe(200);
    }
    expect(await metricsText()).toContain('hexium_http_refused_total{route="any",reason="host_not_allowed"} 1');
    expect(allowedHostSet('0.0.0.0', '*')).toBeNull();
    expect([...allowedHostSet('::1', '')!].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect([hostName('[::1]:8080'), hostName('a.b:80'), hostName('a.b'), hostName(undefined)]).toEqual(['[::1]', 'a.b', 'a.b', null]);
  });

  it('protects /metrics with the metrics (or admin) token', async () => {
    const anon = await inject({ url: '/metrics' });
    expect(anon.statusCode).toBe(401);
    expect((await inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN}` } })).statusCode).toBe(200);
    expect(await metricsText()).toContain('hexium_http_refused_total{route="/metrics",reason="unauthorized"} 1');
  });

  it('compares tokens in constant time on digests (equal, other, other length, absent)', () => {
    expect([tokenMatches('s3cret', 's3cret'), tokenMatches('s3creT', 's3cret'), tokenMatches('s3cret-longer', 's3cret'), tokenMatches(undefined, 's3cret')]).toEqual([true, false, false, false]);
  });

  it('masks URL credentials in print-config', () => {
    const text = describeConfig(withDefaults({ mqttUrl: 'mqtts://oracle:hunter2@broker.example:8883', databaseUrl: 'postgres://pg:pgpass@db/hexium' }));
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('pgpass');
    expect(text).toContain('mqtts://***:***@broker.example:8883');
    expect(redactUrl('not a url')).toBe('<set>');
  });
});

describe('the data directory', () => {
  let dir: string;
  const logLines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString());
        cb();
      },
    }),
  );
  const dclock = new ManualClock(T0);
  const start = (extra: Record<string, unknown> = {}) =>
    startOracle({ dataDir: dir, httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', fleets: { sim: 's3cret' }, ...extra }, { clock: dclock, logger });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hexium-hard-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is private (0700 / 0600), locked against a second oracle, and keeps a never-logged admin token', async () => {
    const a = await start();
    try {
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      const walk = async (d: string): Promise<string[]> => {
        const out: string[] = [];
        for (const e of await readdir(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) out.push(...(await walk(p)));
          else if (e.isFile() && ((await stat(p)).mode & 0o777) !== 0o600) out.push(p);
        }
        return out;
      };
      expect(await walk(dir)).toEqual([]); // no file with another mode than 0600
      const token = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
      expect(token).toBe(a.adminToken);
      expect(logLines.join('')).not.toContain(token);
      expect(await readFile(path.join(dir, 'oracle.lock'), 'utf8')).toBe(`${process.pid}\n`);
      await expect(start()).rejects.toThrow(`data directory ${dir} is in use by oracle process ${process.pid}`);
      // a successful first epoch: pay demo epoch 0 of this oracle (300 s long, paid 20 s after its end)
      dclock.advance(320_000);
      await a.tick('rewarder');
      await until(async () => (await a.sql.query('SELECT count(*)::int AS n FROM epochs')).rows[0].n === 1, 'epoch 0 paid');
      // T0 = 1 764 000 000 s lies at the start of demo epoch 1 764 000 000 / 300 = 5 880 000: that one is paid,
      // and recorded as published once the broker took it
      const meta = await a.sql.query("SELECT value FROM meta WHERE key = 'manifest_published_epoch'");
      expect(meta.rows[0].value).toBe('5880000');
    } finally {
      await a.stop();
    }
    await expect(stat(path.join(dir, 'oracle.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('takes over a stale lock, keeps the admin token and republishes the retained manifest', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a PID whose process has exited
    await writeFile(path.join(dir, 'oracle.lock'), `${dead}\n`);
    const token = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
    const b = await start();
    try {
      expect(b.adminToken).toBe(token);
      const c = await mqtt.connectAsync(b.mqttUrl, { clientId: 'fleet:sim', username: 'fleet:sim', password: 's3cret', reconnectPeriod: 0 });
      const got = new Promise<Buffer>((r) => c.once('message', (_t, p) => r(p)));
      await c.subscribeAsync('hexium/rewards/manifest', { qos: 1 });
      const m = JSON.parse((await got).toString());
      const stored = (await b.sql.query('SELECT hash FROM epochs ORDER BY epoch DESC LIMIT 1')).rows[0].hash;
      expect(m.hash).toBe(stored);
      expect(m.epoch).toBe(5_880_000);
      expect(logLines.some((l) => l.includes('reward manifests published again') && l.includes('[5880000]'))).toBe(true);
      await c.endAsync(true);
    } finally {
      await b.stop();
    }
  });

  it('refuses a world-readable oracle key and a changed epoch length', async () => {
    const key = path.join(dir, 'oracle-key.json');
    await chmod(key, 0o644);
    await expect(start()).rejects.toThrow(/oracle key .* is accessible by group or others/);
    await chmod(key, 0o600);
    // demo epochs are 300 s; 600 s (a multiple of the 60 s beacon interval) is another length
    await expect(start({ params: { profile: 'demo', epochLengthS: 600 } })).rejects.toThrow(
      'epoch length changed: this data was rewarded with epochLengthS = 300 and the parameters now say 600',
    );
    // a refused start leaves no lock behind
    await expect(stat(path.join(dir, 'oracle.lock'))).rejects.toThrow(/ENOENT/);
  });
});
