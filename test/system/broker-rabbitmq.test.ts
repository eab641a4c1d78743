/**
 * Hexium's device rules on an external broker (issue 14; docs/security.md "External brokers"): a private
 * RabbitMQ node (Debian package rabbitmq-server, plugins rabbitmq_mqtt and rabbitmq_auth_backend_http)
 * started on free ports with a configuration written here, the oracle connected to it with `MQTT_URL`
 * (its own account in RabbitMQ's internal database) and devices authenticated and authorized by the
 * oracle's `/api/v1/broker-auth/rabbitmq/*` endpoints. Each attack of the issue is refused and counted.
 * RabbitMQ takes 10–30 s to start, so this lives in the system tier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { startOracle, type OracleHandle } from '@hexium/oracle/server';
import { ManualClock } from '../../oracle/test/helpers/manual-clock.ts';
import { beaconReport, connectToken, hotspotKey, onboardingBody, witnessReport } from '../../oracle/test/helpers/devices.ts';

const run = promisify(execFile);
const RABBIT_BIN = '/usr/lib/rabbitmq/bin';
const hasRabbit = existsSync(path.join(RABBIT_BIN, 'rabbitmq-server')) && existsSync(path.join(RABBIT_BIN, 'rabbitmqctl'));
if (!hasRabbit) console.warn('broker-rabbitmq: rabbitmq-server is not installed (apt-get install rabbitmq-server) — skipping the external-broker auth test');

const T0 = 1_764_000_000_000;
const clock = new ManualClock(T0);
const alice = hotspotKey('rabbit-alice');
const bob = hotspotKey('rabbit-bob');
const fleetSpot = hotspotKey('rabbit-fleet');
/** A valid key that is never onboarded. */
const mallory = hotspotKey('rabbit-mallory');
const ORACLE_PASS = 'oracle-secret-for-this-test';

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!hasRabbit)('device rules on RabbitMQ through the HTTP auth backend', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let rabbit: ChildProcess | undefined;
  let rabbitOut = '';
  let mqttUrl: string;
  let oracle: OracleHandle;
  let tokenMs = T0;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hexium-rabbit-'));
    const [httpPort, amqpPort, mqttPort, distPort, epmdPort] = await freePorts(5);
    const api = `http://127.0.0.1:${httpPort}/api/v1/broker-auth/rabbitmq`;
    // docs/security.md "External brokers" shows the same configuration
    writeFileSync(
      path.join(dir, 'rabbitmq.conf'),
      [
        `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
        `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
        'mqtt.allow_anonymous = false',
        'auth_backends.1 = internal',
        'auth_backends.2 = http',
        'auth_http.http_method = get',
        `auth_http.user_path = ${api}/user`,
        `auth_http.vhost_path = ${api}/vhost`,
        `auth_http.resource_path = ${api}/resource`,
        `auth_http.topic_path = ${api}/topic`,
        'default_user = hexium-oracle',
        `default_pass = ${ORACLE_PASS}`,
        '',
      ].join('\n'),
    );
    // a fleet's username is `fleet:<id>`: without this RabbitMQ reads `<vhost>:<user>` (3.10 has the
    // setting in advanced.config only, not in rabbitmq.conf's schema)
    writeFileSync(path.join(dir, 'advanced.config'), '[{rabbitmq_mqtt, [{ignore_colons_in_username, true}]}].\n');
    writeFileSync(path.join(dir, 'enabled_plugins'), '[rabbitmq_mqtt,rabbitmq_auth_backend_http].\n');
    for (const d of ['home', 'mnesia', 'log']) mkdirSync(path.join(dir, d));
    env = {
      ...process.env,
      HOME: path.join(dir, 'home'), // the Erlang cookie
      RABBITMQ_NODENAME: `hexium-test-${process.pid}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_DIST_PORT: String(distPort),
      ERL_EPMD_PORT: String(epmdPort), // a private epmd, stopped at the end
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(dir, 'log'),
      RABBITMQ_PID_FILE: path.join(dir, 'rabbit.pid'),
      ERL_CRASH_DUMP: path.join(dir, 'erl_crash.dump'), // never in the working directory
    };
    // its own process group, so the shell wrapper and the Erlang VM can be stopped together
    rabbit = spawn(path.join(RABBIT_BIN, 'rabbitmq-server'), [], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    rabbit.stdout!.on('data', (d: Buffer) => (rabbitOut += d.toString()));
    rabbit.stderr!.on('data', (d: Buffer) => (rabbitOut += d.toString()));
    // a node that cannot start (a bad configuration) exits: fail then, not after the wait's timeout
    const exited = new Promise<never>((_, reject) => rabbit!.once('exit', (code) => reject(new Error(`rabbitmq-server exited with code ${code}`))));
    try {
      await Promise.race([run(path.join(RABBIT_BIN, 'rabbitmqctl'), ['wait', '--timeout', '600', path.join(dir, 'rabbit.pid')], { env, timeout: 660_000 }), exited]);
    } catch (e) {
      throw new Error(`RabbitMQ did not start: ${(e as Error).message}\n${rabbitOut.slice(-2000)}`);
    }
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    oracle = await startOracle(
      {
        dataDir: 'memory://', host: '127.0.0.1', httpPort, params: 'demo', fleets: { sim: 's3cret' }, adminToken: 'admin',
        mqttUrl: `mqtt://hexium-oracle:${ORACLE_PASS}@127.0.0.1:${mqttPort}`,
        ingestShareGroup: '', // RabbitMQ 3.10 has no $share subscriptions
      },
      { clock, logger: pino({ level: 'silent' }) },
    );
    for (const [k, lat, extra] of [[alice, 48.85, {}], [bob, 48.9, {}], [fleetSpot, 48.95, { fleet: 'sim' }]] as const) {
      const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(k, lat, 2.35, clock.now(), extra) });
      expect(r.statusCode).toBe(201);
    }
  }, 900_000);

  afterAll(async () => {
    await oracle?.stop();
    if (env) {
      await run(path.join(RABBIT_BIN, 'rabbitmqctl'), ['stop', path.join(dir, 'rabbit.pid')], { env, timeout: 300_000 }).catch(() => undefined);
      if (rabbit?.pid !== undefined && rabbit.exitCode === null) {
        try {
          process.kill(-rabbit.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      // the private epmd the node started (ERL_EPMD_PORT) outlives it
      await run('epmd', ['-kill'], { env }).catch(() => undefined);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 600_000);

  const refused = (stage: string, reason: string) => oracle.counters()[`mqttRefused.${stage}.${reason}`] ?? 0;
  const connect = (opts: mqtt.IClientOptions) => mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0, connectTimeout: 300_000, ...opts });
  const connectErr = (opts: mqtt.IClientOptions) =>
    connect(opts).then(
      (c) => (c.end(true), null),
      (e: Error & { code?: number }) => e,
    );
  const hotspot = (k: typeof alice, clientId = k.address) => connect({ clientId, username: k.address, password: connectToken(k, ++tokenMs) });
  // RabbitMQ 3.10 answers any failed login with CONNACK 4 or 5 (MQTT 3.1.1 §3.2.2.3)
  const LOGIN_REFUSED = [4, 5];

  it('lets an onboarded hotspot in with a fresh token; its witness report reaches ingest', async () => {
    const c = await hotspot(alice);
    const entropy = { v: 1 as const, dataHex: '44'.repeat(32), timestampS: T0 / 1000, version: 0 };
    await c.publishAsync(`hexium/hotspot/${alice.address}/event/witness`, JSON.stringify(witnessReport(alice, beaconReport(alice, entropy, oracle.params))), { qos: 1 });
    await until(async () => (await oracle.idle(), (oracle.counters()['ingested.witness'] ?? 0) === 1), 'witness ingested');
    expect(oracle.counters()['ingested.witness']).toBe(1); // the one report published
    await c.endAsync(true);
  });

  it('refuses a key that was never onboarded, and counts it', async () => {
    const err = await connectErr({ clientId: mallory.address, username: mallory.address, password: connectToken(mallory, ++tokenMs) });
    expect(LOGIN_REFUSED).toContain(err?.code);
    expect(refused('connect', 'not_onboarded')).toBe(1);
  });

  it('refuses a replayed token and a fleet with a wrong secret, and counts both', async () => {
    const token = connectToken(alice, ++tokenMs);
    const first = await connect({ clientId: alice.address, username: alice.address, password: token });
    await first.endAsync(true);
    expect(LOGIN_REFUSED).toContain((await connectErr({ clientId: alice.address, username: alice.address, password: token }))?.code);
    expect(refused('connect', 'replayed_token')).toBe(1);
    expect(LOGIN_REFUSED).toContain((await connectErr({ clientId: 'fleet:sim', username: 'fleet:sim', password: 'wrong' }))?.code);
    expect(refused('connect', 'bad_fleet_secret')).toBe(1);
    const fleet = await connect({ clientId: 'fleet:sim', username: 'fleet:sim', password: 's3cret' });
    await fleet.endAsync(true);
  });

  it("refuses another hotspot's client id and leaves that hotspot's session connected", async () => {
    const a = await hotspot(alice);
    let aliceClosed = false;
    a.on('close', () => (aliceClosed = true));
    const err = await connectErr({ clientId: alice.address, username: bob.address, password: connectToken(bob, ++tokenMs) });
    expect(LOGIN_REFUSED).toContain(err?.code);
    expect(refused('connect', 'foreign_client_id')).toBe(1);
    const granted = await a.subscribeAsync(`hexium/hotspot/${alice.address}/command/+`, { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    expect(aliceClosed).toBe(false);
    await a.endAsync(true);
  });

  // RabbitMQ 3.10 closes the connection on a refused subscribe or publish (access_refused)
  it("refuses a subscription to another hotspot's commands, and counts it", async () => {
    const a = await hotspot(alice);
    const closed = new Promise<void>((r) => a.once('close', () => r()));
    a.subscribe(`hexium/hotspot/${bob.address}/command/+`, { qos: 1 }, () => undefined);
    await closed;
    a.end(true);
    expect(refused('subscribe', 'foreign_topic')).toBe(1);
  });

  it("refuses a publish on another hotspot's topic, and counts it", async () => {
    const a = await hotspot(alice);
    const closed = new Promise<void>((r) => a.once('close', () => r()));
    a.publish(`hexium/hotspot/${bob.address}/event/witness`, '{}', { qos: 1 });
    await closed;
    a.end(true);
    expect(refused('publish', 'foreign_topic')).toBe(1);
  });

  it('passes a payload with a duplicated field through the broker, and ingest drops it as duplicate_key', async () => {
    const c = await hotspot(alice);
    const entropy = { v: 1 as const, dataHex: '55'.repeat(32), timestampS: T0 / 1000, version: 0 };
    const w = JSON.stringify(witnessReport(alice, beaconReport(alice, entropy, oracle.params))).replace(/^\{/, `{"hotspot":"${bob.address}",`);
    await c.publishAsync(`hexium/hotspot/${alice.address}/event/witness`, w, { qos: 1 });
    await until(async () => (await oracle.idle(), (oracle.counters()['ingestDropped.duplicate_key'] ?? 0) === 1), 'duplicate_key counted');
    expect(oracle.counters()['ingestDropped.duplicate_key']).toBe(1);
    expect(oracle.counters()['ingested.witness']).toBe(1); // still only the first test's report: this one was not stored
    await c.endAsync(true);
  });
});
