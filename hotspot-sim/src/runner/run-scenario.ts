/**
 * Run a scenario end to end: the simulated world against the real oracle over real MQTT.
 *
 * - fast: virtual time. The oracle gets a {@link VirtualClock}; the driver pops one event at a time and,
 *   before the clock moves on, waits until every publish has arrived at the oracle (stamped with this
 *   step's receive time). Around the oracle timers that are neither background nor standalone ones (the
 *   rewarder), after anything the oracle answers at once, and at the start and end, it settles fully:
 *   every publish acknowledged, `oracle.idle()` resolved, and a round trip on the listening connection
 *   proving every message addressed to us has arrived; messages received are then handled in a fixed
 *   order (sorted). After a standalone timer (entropy) it awaits that timer's work and the round trip
 *   only. Same scenario + seed ⇒ same event log bytes.
 * - live: wall-clock time (optionally sped up: an in-process oracle then runs on the same scaled clock),
 *   one MQTT connection per hotspot up to `perHotspotLimit`, a fleet connection beyond.
 * Without a broker/oracle URL an oracle is started through the injected {@link OracleLauncher}
 * (`RunOptions.launchOracle`; `@hexium/harness` starts the real oracle in this process: embedded broker
 * on a free loopback port, store in memory (fast) or a temporary directory (live)).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '@hexium/shared/clock';
import { topics as makeTopics, DEFAULT_TOPIC_PREFIX, type PocResult, type RewardManifest } from '@hexium/shared/protocol/index';
import { resolveScenario, type ResolvedScenario } from '../core/scenario/load-scenario.ts';
import { materialize, type Network } from '../core/scenario/materialize.ts';
import { VirtualClock } from '../core/virtual-clock.ts';
import { EventQueue } from '../core/event-queue.ts';
import { World, type Scheduler } from '../core/world.ts';
import { MqttPort, decodeInboxMessage, type InboxItem } from './mqtt-port.ts';
import { SignPool } from './sign-pool.ts';
import { onboardHotspots, createSensorOrg, denyListHotspots } from './onboard.ts';
import { ResultsCollector, fetchOracleResults, unlessStoppedEarly, type RunSummary, type HotspotReward } from './results.ts';
import type { LaunchedOracle, OracleLauncher } from './oracle-launcher.ts';

export interface RunOptions {
  mode?: 'fast' | 'live';
  /** Live mode: simulated seconds per wall second. */
  speed?: number;
  /** Overrides the scenario seed. */
  seed?: number;
  brokerUrl?: string;
  oracleUrl?: string;
  /**
   * Starts the oracle when no broker/oracle URL is given (fast mode always). The simulator does not
   * depend on the oracle package; `@hexium/harness` passes `launchInProcessOracle`.
   */
  launchOracle?: OracleLauncher;
  fleet?: { id: string; secret: string };
  adminToken?: string;
  topicPrefix?: string;
  /** Live mode: per-hotspot MQTT connections up to this many hotspots, a fleet connection beyond. Default 2000. */
  perHotspotLimit?: number;
  /** Receives each event-log line (JSON, no newline). */
  onLog?: (line: string) => void;
  /** Keep the event log in the result. Default false. */
  keepLog?: boolean;
  /** Progress in [0, 1] of simulated time. */
  onProgress?: (fraction: number, simNowMs: number) => void;
  /** Oracle log level (in-process oracle). Default "silent". */
  oracleLogLevel?: string;
  /**
   * Fast mode: the oracle's clock moves in steps of at most this many virtual ms; reports published
   * within one step are received (stamped) at the step's start. Default 250 ms — far below the
   * witness lag limits (1500/4000 ms) and the whole-second entropy window.
   */
  syncQuantumMs?: number;
  /**
   * Fast mode: settle fully at least this often (virtual ms), so PoC results and reward manifests are
   * logged within this long of their publication. Default 30 s.
   */
  observeSettleMs?: number;
  /** Stop early (live mode: Ctrl-C). */
  signal?: AbortSignal;
}

export interface RunResult {
  summary: RunSummary;
  /** What the run could not do but did not fail for (the CLI prints each to stderr). */
  warnings?: string[];
  rewards: HotspotReward[];
  log: string[];
  network: Network;
  scenario: ResolvedScenario;
  /**
   * Every PoC result the oracle published during the run (one per pocId), sorted by (receivedAtMs,
   * pocId) so the order never depends on MQTT delivery. Empty when the run had no observer connection
   * (live mode against an external oracle without --fleet).
   */
  rounds: PocResult[];
  /** Wall-clock ms: oracle start + onboarding + connecting (setup), and the simulation itself (run). */
  timings: {
    setupMs: number;
    runMs: number;
    /**
     * Fast mode's sync points: `settled` waited until the oracle had handled everything; `arrived` only
     * until everything published had arrived (stamped), with checking and storing left running;
     * `standalone` awaited a standalone oracle timer's work (entropy) and the messages it sent.
     */
    syncs?: { settled: number; arrived: number; standalone: number };
  };
}

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');

function isResolved(x: unknown): x is ResolvedScenario {
  return typeof x === 'object' && x !== null && 'polygon' in x && 'source' in x;
}

/** Run a scenario (raw JSON object or resolved) and return its summary, rewards and event log. */
export async function runScenario(scenario: unknown, options: RunOptions = {}): Promise<RunResult> {
  const resolved = isResolved(scenario) ? scenario : resolveScenario(scenario);
  const seed = options.seed ?? resolved.seed;
  const mode = options.mode ?? 'fast';
  if ((options.brokerUrl || options.oracleUrl) && !(options.brokerUrl && options.oracleUrl)) {
    throw new Error('--broker and --oracle go together (MQTT for reports, HTTP for onboarding)');
  }
  if (mode === 'fast' && options.brokerUrl) throw new Error('fast mode drives the oracle\'s clock, so it needs the in-process oracle (omit --broker/--oracle)');
  const net = materialize(resolved, seed);
  const log: string[] = [];
  const emit = (e: Record<string, unknown>) => {
    const line = JSON.stringify(e);
    if (options.keepLog) log.push(line);
    options.onLog?.(line);
  };
  return mode === 'fast' ? runFast(resolved, net, seed, options, emit, log) : runLive(resolved, net, seed, options, emit, log);
}

interface Harness {
  oracle: LaunchedOracle | null;
  httpUrl: string;
  mqttUrl: string;
  fleet: { id: string; secret: string } | null;
  adminToken: string | null;
  prefix: string;
  cleanup: () => Promise<void>;
}

async function startInProcessOracle(resolved: ResolvedScenario, seed: number, clock: Clock | undefined, dataDir: string, o: RunOptions): Promise<Harness> {
  if (!o.launchOracle) {
    throw new Error('no oracle to run against: give --broker and --oracle, or run through @hexium/harness (the hotspot-sim binary), which starts one in process');
  }
  const fleet = { id: resolved.hotspots.fleet, secret: sha256hex(`hexium-sim-fleet:${seed}`).slice(0, 32) };
  const oracle = await o.launchOracle({
    dataDir,
    params: resolved.paramsInput,
    fleets: { [fleet.id]: fleet.secret },
    entropySeed: `hexium-sim:${seed}`,
    oracleKeySeedHex: sha256hex(`hexium-sim-oracle:${seed}`),
    logLevel: o.oracleLogLevel ?? 'silent',
    topicPrefix: o.topicPrefix ?? DEFAULT_TOPIC_PREFIX,
    ...(clock ? { clock } : {}),
  });
  return { oracle, httpUrl: oracle.httpUrl, mqttUrl: oracle.mqttUrl, fleet, adminToken: oracle.adminToken, prefix: o.topicPrefix ?? DEFAULT_TOPIC_PREFIX, cleanup: () => oracle.stop() };
}

function dispatcher(world: () => World, collector: ResultsCollector, t: ReturnType<typeof makeTopics>, mode: 'fleet' | 'per-hotspot', emit: (e: Record<string, unknown>) => void, now: () => number) {
  return (item: InboxItem) => {
    const w = world();
    if (item.kind === 'connected') return w.onConnected(item.index);
    if (item.kind === 'disconnected') return w.onDisconnected(item.index);
    const d = decodeInboxMessage(item, t);
    if (!d) return;
    const { topic: p, msg } = d;
    if (p.kind === 'entropy') {
      if (mode === 'fleet') w.onEntropy(msg as never);
      else if (item.index !== null) w.onEntropyFor(item.index, msg as never);
    } else if (p.kind === 'hotspot-command') {
      w.onCommand(p.address, p.command, msg);
    } else if (p.kind === 'poc-result') {
      if (item.index !== null && mode === 'per-hotspot') return; // only the observer's copy counts
      const r = msg as PocResult;
      if (collector.rounds.has(r.pocId)) return;
      collector.onPocResult(r);
      emit({ t: now(), ev: 'poc', pocId: r.pocId, beaconer: r.beaconer, status: r.beacon.status, reason: r.beacon.reason, witnesses: r.witnesses.length, valid: r.witnesses.filter((x) => x.status === 'valid').length });
    } else if (p.kind === 'reward-manifest') {
      const m = msg as RewardManifest;
      emit({ t: now(), ev: 'manifest', epoch: m.epoch, hash: m.hash, hotspots: m.rewards.length });
    }
  };
}

/** Messages only observed (PoC results, reward manifests), as opposed to those for the devices. */
function isObserved(i: InboxItem, t: ReturnType<typeof makeTopics>): boolean {
  if (i.kind !== 'message') return false;
  const kind = t.parse(i.topic)?.kind;
  return kind === 'poc-result' || kind === 'reward-manifest';
}

const INBOX_ORDER: Record<InboxItem['kind'], number> = { disconnected: 0, connected: 1, message: 2 };
function inboxKey(i: InboxItem): string {
  return i.kind === 'message' ? `2|${i.topic}|${i.index ?? -1}|${i.payload}` : `${INBOX_ORDER[i.kind]}|${String(i.index).padStart(9, '0')}`;
}

async function runFast(resolved: ResolvedScenario, net: Network, seed: number, o: RunOptions, emit: (e: Record<string, unknown>) => void, log: string[]): Promise<RunResult> {
  type Ev = () => void;
  const clock = new VirtualClock<Ev>(resolved.startMs);
  const wall0 = performance.now();
  const h = await startInProcessOracle(resolved, seed, clock, 'memory://', o);
  const t = makeTopics(h.prefix);
  const collector = new ResultsCollector(net);
  let inbox: InboxItem[] = [];
  let world: World | null = null;
  // The hotspots' reports are signed on two threads at each sync point, while the oracle's work goes on
  // on this one; they are published in the order they were made.
  const signer = new SignPool(2);
  const port = new MqttPort({
    url: h.mqttUrl, topics: t, mode: 'fleet', fleet: h.fleet, tokenTime: () => clock.now(), inbox: (i) => void inbox.push(i),
    observe: [`${t.prefix}/poc/+/result`, t.rewardManifest()], signer,
  });
  try {
    await onboardHotspots(h.httpUrl, net, { region: resolved.region, fleet: h.fleet?.id ?? null, nowMs: clock.now() });
    await createSensorOrg(h.httpUrl, h.adminToken, net, resolved.sensors.org, resolved.sensors.dcBalance);
    await denyListHotspots(h.httpUrl, h.adminToken, net);
    await port.open();
    const sched: Scheduler = { now: () => clock.now(), at: (atMs, fn) => void clock.schedule(Math.max(atMs, sched.now()), fn) };
    world = new World(resolved, net, sched, port, emit, seed);
    const dispatch = dispatcher(() => world!, collector, t, 'fleet', emit, () => clock.now());
    emit({ t: clock.now(), ev: 'start', scenario: resolved.name, seed, hotspots: net.hotspots.length, sensors: net.sensors.length, mode: 'fast' });
    const wall1 = performance.now();
    world.start();
    const endMs = resolved.startMs + resolved.durationMs;
    let published = -1;
    let reactive = -1;
    // oracle arrivals expected once everything published so far has arrived
    let arrivedTarget = 0;
    let oracleTicked = true;
    // a background oracle timer has fired since the last full settle (its results are still to come)
    let backgroundTicked = false;
    const arrivals = h.oracle!.arrivals;
    const syncs = { settled: 0, arrived: 0, standalone: 0 };
    // standalone oracle timers fired since the last sync point: the promises of their work
    const standaloneTicks: (void | Promise<void>)[] = [];
    const sync = async (full: boolean) => {
      // A step that published only PoC reports need not wait for the oracle to check and store them: the
      // oracle stamps each report's receive time as its bytes arrive (the embedded broker's packet
      // guard), so it is enough that every report has arrived before the clock moves. Checking and
      // storing go on in the background, and so do the oracle's background timers (verifier, HIP-17
      // density: each waits for the reports stamped before its time). The simulator settles fully before
      // any other oracle timer fires (the rewarder), after it has fired, and after anything the
      // oracle acts on at once (uplinks, ACKs, state, stats), and at least every `observeSettleMs` of
      // virtual time; only then does it handle what the oracle
      // sent (sorted), so PoC results and manifests are logged at those points, whenever they came in.
      // A standalone oracle timer (the entropy minter) needs no settle: at the sync point after it fired,
      // await its work, let what it sent arrive (a round trip on the listening connection) and hand the
      // devices their messages (sorted), at the same point a full settle would have. What is only
      // observed (PoC results, manifests) waits for the next full settle, as before, so it is logged at
      // a point that does not depend on how far the background work has got.
      await port.drain();
      if (standaloneTicks.length > 0) {
        syncs.standalone++;
        await Promise.all(standaloneTicks.splice(0));
        await port.barrier();
        const forDevices: InboxItem[] = [];
        const observed: InboxItem[] = [];
        for (const i of inbox) (isObserved(i, t) ? observed : forDevices).push(i);
        inbox = observed;
        for (const i of forDevices.sort((a, b) => (inboxKey(a) < inboxKey(b) ? -1 : 1))) dispatch(i);
        await port.drain();
      }
      if (arrivals && !full && !oracleTicked && reactive === port.reactivePublished) {
        if (port.errors.length) throw new Error(`MQTT: ${port.errors.slice(0, 3).join(' | ')}`);
        arrivedTarget += port.published - published;
        published = port.published;
        await arrivals.until(arrivedTarget);
        syncs.arrived++;
        return;
      }
      // settle: acks, oracle work, deliveries — until nothing new happens at this instant
      syncs.settled++;
      for (;;) {
        if (published !== port.published || oracleTicked || backgroundTicked || inbox.length > 0) {
          if (port.errors.length) throw new Error(`MQTT: ${port.errors.slice(0, 3).join(' | ')}`);
          await port.flush();
          await h.oracle!.idle();
          await port.barrier();
          oracleTicked = false;
          backgroundTicked = false;
        }
        published = port.published;
        reactive = port.reactivePublished;
        if (arrivals) arrivedTarget = arrivals.count();
        if (inbox.length === 0) return;
        const items = inbox.sort((a, b) => (inboxKey(a) < inboxKey(b) ? -1 : 1));
        inbox = [];
        for (const i of items) dispatch(i);
        await port.flush();
      }
    };
    await sync(true);
    let lastProgress = 0;
    const quantum = o.syncQuantumMs ?? 250;
    let simNow = clock.now();
    sched.now = () => simNow;
    let nextSyncAt = clock.now();
    // PoC results and manifests are logged at full settles; one every `observeSettleMs` of virtual time
    // keeps them close to when they happened (their count and content do not depend on it)
    const observeEvery = o.observeSettleMs ?? 30_000;
    let nextObserveAt = (Math.floor(clock.now() / observeEvery) + 1) * observeEvery;
    for (;;) {
      if (o.signal?.aborted) break;
      const next = clock.queue.peekTime();
      if (next === undefined || next > endMs) break;
      const head = clock.queue.peek()!.payload;
      const isTimer = head.kind === 'timer';
      // The oracle sees time move only at sync points: at oracle timers and at quantum boundaries.
      if (Math.floor(next) > clock.now() && (isTimer || next >= nextSyncAt)) {
        const observe = next >= nextObserveAt;
        await sync((isTimer && !head.background && !head.standalone) || observe);
        if (clock.queue.peekTime() !== next) continue;
        if (observe) nextObserveAt = (Math.floor(next / observeEvery) + 1) * observeEvery;
        clock.advanceTo(next);
        nextSyncAt = (Math.floor(next / quantum) + 1) * quantum;
        if (o.onProgress && next - lastProgress > resolved.durationMs / 200) {
          lastProgress = next;
          o.onProgress((next - resolved.startMs) / resolved.durationMs, next);
        }
      }
      const ev = clock.queue.pop()!;
      simNow = Math.max(simNow, ev.atMs);
      if (ev.payload.kind === 'timer') {
        if (ev.payload.standalone) standaloneTicks.push(ev.payload.fn());
        else {
          if (ev.payload.background) backgroundTicked = true;
          else oracleTicked = true;
          void ev.payload.fn();
        }
      } else ev.payload.event();
    }
    await sync(true);
    o.onProgress?.(1, clock.now());
    const fetched = await fetchOracleResults(h.httpUrl, collector.group);
    const summary = collector.summarize({ stats: { ...world.stats }, ...fetched });
    emit({ t: clock.now(), ev: 'end', manifestHashes: summary.manifestHashes });
    return { summary, rewards: fetched.rewards, log, network: net, scenario: resolved, rounds: collector.sortedRounds(), timings: { setupMs: wall1 - wall0, runMs: performance.now() - wall1, syncs } };
  } finally {
    await port.close();
    await signer.close();
    await h.cleanup();
  }
}

/** A clock running `speed` times faster than the wall clock from `startMs` (live mode). */
function scaledClock(startMs: number, speed: number): Clock {
  const wall0 = Date.now();
  return {
    now: () => Math.round(startMs + (Date.now() - wall0) * speed),
    setTimer: (ms, fn) => setTimeout(fn, Math.max(0, ms / speed)),
    clearTimer: (hd) => clearTimeout(hd as NodeJS.Timeout),
  };
}

async function runLive(resolved: ResolvedScenario, net: Network, seed: number, o: RunOptions, emit: (e: Record<string, unknown>) => void, log: string[]): Promise<RunResult> {
  const speed = o.speed ?? 1;
  if (o.brokerUrl && speed !== 1) throw new Error('--speed needs the in-process oracle (an external oracle runs on the wall clock; docs/simulator.md "Running")');
  const clock = speed === 1 ? scaledClock(Date.now(), 1) : scaledClock(Date.now(), speed);
  const wall0 = performance.now();
  let h: Harness;
  let tmp: string | null = null;
  if (o.brokerUrl && o.oracleUrl) {
    h = { oracle: null, httpUrl: o.oracleUrl.replace(/\/$/, ''), mqttUrl: o.brokerUrl, fleet: o.fleet ?? null, adminToken: o.adminToken ?? null, prefix: o.topicPrefix ?? DEFAULT_TOPIC_PREFIX, cleanup: async () => undefined };
  } else {
    tmp = await mkdtemp(path.join(tmpdir(), 'hexium-sim-'));
    const inner = await startInProcessOracle(resolved, seed, speed === 1 ? undefined : clock, tmp, o);
    h = { ...inner, cleanup: async () => { await inner.cleanup(); await rm(tmp!, { recursive: true, force: true }); } };
  }
  const limit = o.perHotspotLimit ?? 2000;
  const mode = net.hotspots.length > limit ? 'fleet' : 'per-hotspot';
  if (mode === 'fleet' && !h.fleet) throw new Error(`${net.hotspots.length} hotspots need a fleet connection: pass --fleet id:secret`);
  const t = makeTopics(h.prefix);
  const collector = new ResultsCollector(net);
  const queue = new EventQueue<() => void>();
  let timer: NodeJS.Timeout | null = null;
  let armedAt = Infinity;
  const endMs = clock.now() + resolved.durationMs;
  let world: World | null = null;
  let stopped = false;
  const sched: Scheduler = {
    now: () => clock.now(),
    at: (atMs, fn) => {
      if (stopped) return;
      queue.push(atMs, fn);
      arm();
    },
  };
  const runDue = () => {
    timer = null;
    armedAt = Infinity;
    while ((queue.peekTime() ?? Infinity) <= clock.now()) queue.pop()!.payload();
    arm();
  };
  function arm() {
    const next = queue.peekTime();
    if (next === undefined || next >= armedAt) return;
    if (timer) clearTimeout(timer);
    armedAt = next;
    timer = setTimeout(runDue, Math.max(0, (next - clock.now()) / speed));
  }
  const dispatch = dispatcher(() => world!, collector, t, mode, emit, () => clock.now());
  const port = new MqttPort({
    url: h.mqttUrl, topics: t, mode, fleet: h.fleet, inbox: (i) => queueMicrotask(() => !stopped && dispatch(i)),
    tokenTime: (hs) => clock.now() + (hs.role.kind === 'clock-skew' ? hs.role.skewMs : 0),
    observe: h.fleet ? [`${t.prefix}/poc/+/result`, t.rewardManifest()] : [],
  });
  try {
    await onboardHotspots(h.httpUrl, net, { region: resolved.region, fleet: h.fleet?.id ?? null, nowMs: clock.now() });
    await createSensorOrg(h.httpUrl, h.adminToken, net, resolved.sensors.org, resolved.sensors.dcBalance);
    await denyListHotspots(h.httpUrl, h.adminToken, net);
    await port.open();
    world = new World(resolved, net, sched, port, emit, seed);
    emit({ t: clock.now(), ev: 'start', scenario: resolved.name, seed, hotspots: net.hotspots.length, sensors: net.sensors.length, mode: 'live', speed, httpUrl: h.httpUrl, mqttUrl: h.mqttUrl });
    world.start();
    const startMs = clock.now();
    const wall1 = performance.now();
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = clock.now();
        o.onProgress?.(Math.min(1, (now - startMs) / resolved.durationMs), now);
        if (now >= endMs || o.signal?.aborted) {
          clearInterval(tick);
          resolve();
        }
      }, 250);
    });
    stopped = true;
    if (timer) clearTimeout(timer);
    // Stopped early (Ctrl-C), the broker and the oracle may be stopping too: the summary comes anyway
    const stoppedEarly = o.signal?.aborted === true;
    const flushed = await unlessStoppedEarly(stoppedEarly, () => port.flush(), undefined, (why) => `the broker did not acknowledge every message published (${why})`);
    const { value: fetched, warning } = await unlessStoppedEarly(
      stoppedEarly,
      () => fetchOracleResults(h.httpUrl, collector.group),
      { epochs: [], rewards: [], dcSpent: 0 },
      (why) => `the oracle's API at ${h.httpUrl} did not answer (${why}), so the summary has no epochs or rewards`,
    );
    const warnings = [flushed.warning, warning].filter((w): w is string => w !== null);
    const summary = collector.summarize({ stats: { ...world.stats }, ...fetched });
    emit({ t: clock.now(), ev: 'end', manifestHashes: summary.manifestHashes });
    return {
      summary,
      rewards: fetched.rewards,
      log,
      network: net,
      scenario: resolved,
      rounds: collector.sortedRounds(),
      timings: { setupMs: wall1 - wall0, runMs: performance.now() - wall1 },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  } finally {
    stopped = true;
    if (timer) clearTimeout(timer);
    await port.close();
    await h.cleanup();
  }
}
