/**
 * The oracle process: store, broker, ingest, entropy, challenges, verifier, density scaler, rewarder,
 * packet router and the HTTP API wired together, started in that order and stopped in reverse.
 * `startOracle` is the programmatic entry (tests, the simulator); `oracle serve` calls it.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { isVirtualClock, type Clock } from '@hexium/shared/clock';
import { keyPairFromSeed, type KeyPair } from '@hexium/shared/identity/index';
import { topics as makeTopics } from '@hexium/shared/protocol/index';
import type { NetworkParams } from '@hexium/shared/params/index';
import { loadNetworkParams, redactUrl, withDefaults, type OracleConfig } from './config.ts';
import { DataDirError, ensurePrivateDir, loadOrCreateAdminToken, lockDataDir, openToOthers, tightenModes, writePrivateFile } from './store/data-dir.ts';
import { systemClock } from './system-clock.ts';
import { openStore } from './store/open-store.ts';
import { LOCKS, type Sql } from './store/sql.ts';
import { startEventLoopProbe } from './event-loop-probe.ts';
import { createMetrics } from './metrics.ts';
import { createDeviceAuth } from './broker/device-auth.ts';
import { sqlTokenStore } from './store/connect-token-store.ts';
import { brokerAuthRoutes } from './broker/auth-http.ts';
import { startEmbeddedBroker } from './broker/embedded-broker.ts';
import { connectExternalBroker } from './broker/external-broker.ts';
import type { MessageBus } from './broker/message-bus.ts';
import { SignaturePool } from './ingest/signature-pool.ts';
import { createIngest } from './ingest/ingest.ts';
import { WorkTracker } from './workers/work-tracker.ts';
import { OracleEvents } from './events/oracle-events.ts';
import { startEventRelay } from './events/event-relay.ts';
import { HotspotDirectory } from './store/hotspot-directory.ts';
import { markAllOffline, setHotspotOffline } from './store/hotspot-store.ts';
import { pinOracleAddress } from './store/oracle-state-store.ts';
import { readRouterSettledMs, writeRouterSettledMs } from './store/router-store.ts';
import { createChallengeService } from './hotspots/challenges.ts';
import { createPacketRouter } from './router/index.ts';
import { startEntropyService } from './workers/entropy-service.ts';
import { createVerifier } from './verifier/verifier.ts';
import { openReportLog } from './store/report-log/open-report-log.ts';
import type { ReportLog } from './store/report-log/report-log.ts';
import { createRoundStore } from './store/round-store.ts';
import { createDensityScaler } from './workers/density-scaler.ts';
import { createRewarder } from './workers/rewarder.ts';
import { startLoop, type Loop } from './workers/periodic-loop.ts';
import { buildApp, resolveMapDir } from './app.ts';
import { BasemapService, defaultBasemapDir } from './basemap/basemap-service.ts';

/** How often a process without the router lease tries to take it (external broker + PostgreSQL). */
const ROUTER_LEASE_RETRY_MS = 1000;

export interface OracleDeps {
  clock?: Clock;
  /**
   * Debounce timers of the vector-tile cache (default: the wall clock, even when `clock` is virtual). The
   * tiles are a view of the stores; their rebuilds must never add instants to a virtual clock, where each
   * timer is a sync point of fast mode and would move receive stamps (the spacing between rebuilds is
   * measured in wall time). Tests that step the cache pass their manual clock here.
   */
  tileTimers?: Clock;
  logger?: Logger;
  /** The basemap to serve (tests: one built from a fixture); default: the 10 m land polygons per config. */
  basemap?: BasemapService;
}

export interface OracleHandle {
  config: OracleConfig;
  params: NetworkParams;
  mqttUrl: string;
  wsUrl: string | null;
  httpUrl: string;
  adminToken: string;
  fleets: Record<string, string>;
  oracleAddress: string;
  app: FastifyInstance;
  sql: Sql;
  /** The live event bus behind SSE (beacon, witness, poc, reward, packet, hotspot, challenge). */
  events: OracleEvents;
  /** Stop everything in reverse start order. */
  stop(): Promise<void>;
  /** Resolves when every received message is ingested and no loop tick is running. */
  idle(): Promise<void>;
  /**
   * Messages stamped on arrival so far (every PUBLISH the embedded broker read, every message an external
   * broker delivered), and a wait until that count reaches `n`. Fast mode uses it to know that what it
   * published carries this step's receive time without waiting for it to be checked and stored.
   */
  arrivals: { count(): number; until(n: number): Promise<void> };
  /** Snapshot of the oracle's counters (ingested, dropped, refused per reason, rounds, epochs). */
  counters(): Record<string, number>;
  /** Run one tick now (tests, fast mode): 'verifier' | 'density' | 'rewarder' | 'entropy'. */
  tick(loop: 'verifier' | 'density' | 'rewarder' | 'entropy'): Promise<void>;
}

async function loadOracleKey(cfg: OracleConfig): Promise<KeyPair> {
  if (cfg.oracleKeySeedHex) {
    if (!/^[0-9a-fA-F]{64}$/.test(cfg.oracleKeySeedHex)) throw new Error('oracleKeySeedHex must be 64 hex characters');
    return keyPairFromSeed(Buffer.from(cfg.oracleKeySeedHex, 'hex'));
  }
  if (cfg.dataDir === 'memory://') return keyPairFromSeed(randomBytes(32));
  const file = path.join(cfg.dataDir, 'oracle-key.json');
  try {
    const text = await readFile(file, 'utf8');
    // As PostgreSQL does for its server key and OpenSSH for private keys: a key file that group or
    // others may read is refused, not used (docs/security.md "Operators").
    const open = await openToOthers(file);
    if (open !== 0) {
      throw new DataDirError(`oracle key ${file} is accessible by group or others (mode ${(0o600 | open).toString(8)} or wider); run "chmod 600 ${file}" and restart`);
    }
    const { seedHex } = JSON.parse(text) as { seedHex: string };
    return keyPairFromSeed(Buffer.from(seedHex, 'hex'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const seed = randomBytes(32);
  await writePrivateFile(file, JSON.stringify({ seedHex: seed.toString('hex') }) + '\n');
  return keyPairFromSeed(seed);
}

/** This store's manifests are signed by another oracle key (docs/architecture.md "Several oracle processes"). */
export class OracleKeyMismatchError extends Error {
  override name = 'OracleKeyMismatchError';
  constructor(
    readonly storedAddress: string,
    readonly ownAddress: string,
  ) {
    super(
      `oracle key mismatch: this database's manifests are signed by ${storedAddress}, and this process's key is ${ownAddress}. ` +
        'Every oracle process of one network signs with the same key: give each the same HEXIUM_ORACLE_KEY_SEED (or the same <dataDir>/oracle-key.json, mode 0600).',
    );
  }
}

/**
 * One network, one oracle identity: the first process on a PostgreSQL store records its key's address,
 * and a process with another key refuses to start, so the manifest chain has one signer whichever
 * process holds the rewarder lock. (A PGlite store has one process by construction.)
 */
async function pinOracleIdentity(sql: Sql, key: KeyPair): Promise<void> {
  const stored = await pinOracleAddress(sql, key.address);
  if (stored !== key.address) throw new OracleKeyMismatchError(stored, key.address);
}

export async function startOracle(partial: Partial<OracleConfig> = {}, deps: OracleDeps = {}): Promise<OracleHandle> {
  const config = withDefaults(partial);
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? pino({ level: config.logLevel, base: { svc: 'oracle' } });
  const params = loadNetworkParams(config.params);
  const topics = makeTopics(config.topicPrefix);
  const stack: { name: string; stop: () => Promise<void> | void }[] = [];
  const stopAll = async () => {
    while (stack.length) {
      const s = stack.pop()!;
      try {
        await s.stop();
      } catch (err) {
        logger.warn({ err, part: s.name }, 'stop failed');
      }
    }
  };

  try {
    if (config.dataDir !== 'memory://') {
      await ensurePrivateDir(config.dataDir);
      const lock = await lockDataDir(config.dataDir);
      stack.push({ name: 'data dir lock', stop: () => lock.release() });
    }
    // PGlite in its own thread on the wall clock and on the simulator's virtual clock; on a manual test
    // clock it stays on this thread (tests that step such a clock expect its answers as microtasks).
    const sql = await openStore(config, { pgliteThread: !deps.clock || isVirtualClock(deps.clock) ? 'worker' : 'main' });
    stack.push({ name: 'store', stop: () => sql.close() });
    const metrics = createMetrics(!deps.clock);
    if (!deps.clock) {
      const probe = startEventLoopProbe(metrics.eventLoopDelay);
      stack.push({ name: 'event-loop probe', stop: async () => probe.stop() });
    }
    const reportLog: ReportLog = await openReportLog({
      sql,
      dataDir: config.dataDir,
      onDamage: (dmg) => {
        metrics.logDamage.inc({ reason: dmg.reason });
        logger.error(dmg, 'report log: damaged record skipped');
      },
    });
    stack.push({ name: 'report log', stop: () => reportLog.close() });
    const rounds = createRoundStore();
    const oracleKey = await loadOracleKey(config);
    if (sql.kind === 'postgres') await pinOracleIdentity(sql, oracleKey);
    let adminToken: string;
    let adminTokenFile: string | null = null;
    if (config.adminToken) adminToken = config.adminToken;
    else if (config.dataDir === 'memory://') adminToken = randomBytes(24).toString('base64url');
    else ({ token: adminToken, file: adminTokenFile } = await loadOrCreateAdminToken(config.dataDir));
    if (config.dataDir !== 'memory://') {
      // Files PGlite and the report log created under the process umask: 0600 / 0700 from here on.
      const changed = await tightenModes(config.dataDir);
      if (changed > 0) logger.info({ dataDir: config.dataDir, changed }, 'data directory: file modes set to 0600 / directories to 0700');
    }
    const tracker = new WorkTracker();
    const events = new OracleEvents();
    if (config.mqttUrl && config.databaseUrl && sql.kind === 'postgres') {
      // Several oracle processes: every process's stream shows what all of them produce (event-relay.ts).
      const relay = await startEventRelay({ databaseUrl: config.databaseUrl, sql, topicPrefix: topics.prefix, events, logger: logger.child({ part: 'events' }), nowMs: () => clock.now(),
        onRefused: (reason) => metrics.eventRelayRefused.inc({ reason }) });
      stack.push({ name: 'event relay', stop: () => relay.close() });
    }
    const directory = new HotspotDirectory(sql);
    await directory.load();
    // The retained state of a previous run is stale until devices reconnect.
    await markAllOffline(sql);
    await directory.load();

    let bus: MessageBus | null = null;
    const getBus = (): MessageBus => {
      if (!bus) throw new Error('broker not started');
      return bus;
    };
    const publish = (t: string, p: string | Buffer, o?: { retain?: boolean; qos?: 0 | 1 }) => getBus().publish(t, p, o);

    const pool = new SignaturePool(2);
    stack.push({ name: 'signature pool', stop: () => pool.close() });
    const challenges = createChallengeService({ sql, clock, topics, bus: getBus, directory, events, windowMs: params.entropyLifespanS * 1000 });
    const router = createPacketRouter({ sql, params, clock, publish, events, logger: logger.child({ part: 'router' }), topics, adminToken, tracker, oracleKey });
    stack.push({ name: 'router', stop: () => router.close() });
    metrics.attachRouter(() => router.counters());

    const ingest = createIngest({ sql, log: reportLog, clock, topics, directory, pool, events, tracker, metrics, logger: logger.child({ part: 'ingest' }), router: () => router, challenges });
    stack.push({ name: 'ingest', stop: () => ingest.drain() });

    const onRefused = (reason: string, stage: string) => {
      metrics.mqttRefused.inc({ stage, reason });
      logger.debug({ reason, stage }, 'mqtt refused');
    };
    // The device rules, for the embedded broker's hooks or an external broker's HTTP auth calls.
    const auth = createDeviceAuth({
      fleets: config.fleets, authSkewMs: config.authSkewMs, topics, fleetOf: (a) => directory.fleetOf(a),
      isOnboarded: async (a) => (await directory.resolve(a)) !== undefined,
      tokens: await sqlTokenStore(sql, { nowMs: clock.now(), authSkewMs: config.authSkewMs }),
    });
    if (config.mqttUrl) {
      bus = await connectExternalBroker({
        url: config.mqttUrl, topics, shareGroup: config.ingestShareGroup, clientId: `hexium-oracle-${randomBytes(4).toString('hex')}`,
        logger: logger.child({ part: 'broker' }), onMessage: ingest.accept,
      });
    } else {
      bus = await startEmbeddedBroker({
        host: config.host, mqttPort: config.mqttPort, wsPort: config.wsPort, auth, clock, logger: logger.child({ part: 'broker' }),
        topicPrefix: topics.prefix, fleetOf: (a) => directory.fleetOf(a), onMessage: ingest.accept, arrivals: ingest.arrivals,
        onRefused,
        onDisconnect: (identity) => {
          if (identity.kind !== 'hotspot' || !directory.get(identity.address)?.online) return;
          directory.setOnline(identity.address, false);
          metrics.onlineHotspots.set(directory.onlineCount);
          events.emit('hotspot', { address: identity.address, online: false });
          void tracker.track(setHotspotOffline(sql, identity.address, clock.now()));
        },
      });
    }
    const theBus = bus;
    stack.push({ name: 'broker', stop: () => theBus.close() });

    const density = createDensityScaler({ sql, clock, params, directory });
    await density.tick();
    const verifier = createVerifier({
      sql, log: reportLog, rounds, ingestHorizonMs: () => ingest.horizonMs(), settleMs: sql.kind === 'postgres' ? config.reportSettleMs : 0,
      instanceId: randomBytes(8).toString('hex'), yieldToLoop: !deps.clock, clock, params, topics, bus: getBus, directory, events, metrics, logger: logger.child({ part: 'verifier' }), hexScale: density.hexScale,
    });
    // The router's horizon in this process: every uplink copy stamped before it has its DC shares stored
    // (ingest's in-flight stamps cover copies not yet handed to the router).
    const localRouterSettledMs = (now = clock.now()) => Math.min(ingest.horizonMs() ?? now, router.oldestUnsettledMs() ?? now, now);
    // With several processes only the router-lease holder sees uplinks: it records its horizon in `meta`
    // each lease check, and a rewarder elsewhere reads it (docs/architecture.md "Several oracle processes").
    let routing = !theBus.routeUplinks;
    const dcSettledMs = async (nowMs: number): Promise<number | null> => {
      if (routing) return localRouterSettledMs(nowMs);
      return readRouterSettledMs(sql);
    };
    const rewarder = createRewarder({
      sql, clock, params, topics, bus: getBus, events, metrics, logger: logger.child({ part: 'rewarder' }), oracleKey,
      dcShares: (s, e) => router.dcSharesForEpoch(s, e),
      beforePay: (nowMs) => verifier.tick(nowMs),
      dcSettledMs,
    });
    await rewarder.firstEpoch();
    const republished = await rewarder.republish();
    if (republished.length) logger.info({ epochs: republished }, 'reward manifests published again (retained)');

    const loops: Record<string, Loop> = {};
    // On a virtual clock the verifier and density ticks run in the background (shared/src/clock.ts
    // `TimerOptions`): the simulator moves on once the reports are in, so each tick first waits until
    // everything stamped before its time is stored. Their `nowMs` is the time the tick's timer fired.
    // The rewarder is not one: how long it waits for the next tick depends on what the tick found.
    const virtual = isVirtualClock(clock);
    const loop = (name: string, nextDelayMs: (nowMs: number) => number, tick: (nowMs: number) => Promise<unknown>, background = false) => {
      const run = async (nowMs: number) => {
        if (background && virtual) await ingest.settledBefore(nowMs);
        await tick(nowMs);
      };
      loops[name] = startLoop({ name, clock, tracker, logger, nextDelayMs, tick: run, background });
      stack.push({ name, stop: () => loops[name].stop() });
    };
    const entropyLease = sql.lease(LOCKS.entropy);
    loops.entropy = startEntropyService({ sql, bus: getBus, clock, topics, intervalMs: params.entropyIntervalMs, seed: config.entropySeed, tracker, logger, lease: entropyLease });
    stack.push({ name: 'entropy', stop: async () => {
      await loops.entropy.stop();
      await entropyLease.release();
    } });
    if (theBus.routeUplinks) {
      // Several oracle processes on one broker: the holder of the router lease subscribes to every
      // uplink and TX ack, so one router sees every copy of a packet (docs/architecture.md "Several
      // oracle processes"). The others try to take the lease each second; a lease ends with its holder's
      // PostgreSQL session, so the role moves within about a second of the owner's death.
      const routeUplinks = theBus.routeUplinks;
      const routerLease = sql.lease(LOCKS.router);
      const claimRouter = async () => {
        const own = await routerLease.tryAcquire();
        if (own && routing) {
          await writeRouterSettledMs(sql, localRouterSettledMs());
        }
        if (own === routing) return;
        await routeUplinks(own);
        routing = own;
        logger.info({ routerOwner: own }, own ? 'packet router: this process owns the router (uplinks subscribed)' : 'packet router: router lease lost');
      };
      stack.push({ name: 'router lease', stop: () => routerLease.release() });
      await claimRouter();
      loop('router-owner', () => ROUTER_LEASE_RETRY_MS, claimRouter);
    }
    loop('verifier', () => params.verifierPollMs, (nowMs) => verifier.tick(nowMs), true);
    loop('density', () => params.hip17.refreshIntervalS * 1000, (nowMs) => density.tick(nowMs), true);
    loop('rewarder', (nowMs) => rewarder.nextDelayMs(nowMs), (nowMs) => rewarder.payDue(nowMs));

    // The offline basemap: a shared cache, built by a child process at start or on first request (docs/map.md "Basemap").
    const basemapLog = logger.child({ part: 'basemap' });
    const basemap = deps.basemap ?? new BasemapService({
      dir: config.basemapDir === '' ? defaultBasemapDir() : path.resolve(config.basemapDir),
      build: config.basemapBuild,
      log: (level, msg) => basemapLog[level](msg),
    });
    stack.push({ name: 'basemap build', stop: () => basemap.close() });

    let ready = false;
    const app = await buildApp(config, {
      logger: logger.child({ part: 'http' }),
      ctx: {
        sql, rounds, clock, tileTimers: deps.tileTimers ?? systemClock, prewarmTiles: !deps.clock, params, directory, events, metrics, challenges, router: () => router, adminToken, authSkewMs: config.authSkewMs,
        oracleAddress: oracleKey.address, ready: () => ready, mapDir: resolveMapDir(config.mapDir), verifySignature: (job) => pool.verify(job), basemap,
      },
    });
    stack.push({ name: 'http', stop: () => app.close() });
    // An external broker calls out for device auth (docs/security.md "External brokers").
    if (config.mqttUrl) await app.register(brokerAuthRoutes({ auth, clock, fleets: config.fleets, onRefused }));
    await app.listen({ host: config.host, port: config.httpPort });
    const addr = app.server.address();
    const httpPort = typeof addr === 'object' && addr ? addr.port : config.httpPort;
    const hostForUrl = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const httpUrl = `http://${hostForUrl}:${httpPort}`;
    ready = true;
    logger.info(
      { httpUrl, mqttUrl: redactUrl(theBus.mqttUrl), wsUrl: theBus.wsUrl, oracle: oracleKey.address, params: params.profile, store: sql.kind, router: true },
      'oracle started',
    );
    // The token itself is never logged (docs/security.md "Operators"): only where to read it.
    if (adminTokenFile) logger.info({ file: adminTokenFile }, 'admin token: read it from this file (or set HEXIUM_ADMIN_TOKEN)');
    else if (!config.adminToken) logger.info('admin token: random for this in-memory run (OracleHandle.adminToken; or set HEXIUM_ADMIN_TOKEN)');

    let stopped = false;
    return {
      config,
      params,
      mqttUrl: theBus.mqttUrl,
      wsUrl: theBus.wsUrl,
      httpUrl,
      adminToken,
      fleets: { ...config.fleets },
      oracleAddress: oracleKey.address,
      app,
      sql,
      events,
      async stop() {
        if (stopped) return;
        stopped = true;
        ready = false;
        await stopAll();
        logger.info('oracle stopped');
      },
      async idle() {
        for (let i = 0; i < 1000; i++) {
          await tracker.idle();
          await router.idle();
          if (tracker.inFlight === 0) return;
        }
      },
      arrivals: { count: () => ingest.arrived.count, until: (n) => ingest.arrived.until(n) },
      counters: () => metrics.counters(),
      tick: async (name) => {
        await loops[name].runNow();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
