/**
 * The verifier (spec §(a) "Runner" and "Purger"; oracles iot_verifier): every `params.verifierPollMs`,
 * under the verifier advisory lock (one verifier per network),
 * 1. reads the reports received since its last read from the report log (up to the ingest horizon:
 *    nothing stamped earlier is still being written),
 * 2. runs the rounds whose entropy has expired (runner.ts), in report order,
 * 3. stores each chunk of rounds, shares and hotspot history in one transaction, and publishes them,
 * 4. purges what went stale (purger.ts),
 * 5. records its checkpoint — every report received before it is settled — and its beacon horizon —
 *    every beacon received before it has its round and shares stored (the rewarder waits for it) — and
 *    retires the log segments behind the checkpoint.
 * After a restart (or when another process held the verifier) it rebuilds its pending view from the
 * checkpoint; rounds already stored are recognised by their id and not stored or published again.
 */
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { PocResult, Topics } from '@hexium/shared/protocol/index';
import { loadDenyList } from '../store/deny-list-store.ts';
import type { EntropyRecord } from '../poc/index.ts';
import { LOCKS, type Sql, type SqlQuery } from '../store/sql.ts';
import type { LoggedReport, ReportLog } from '../store/report-log/report-log.ts';
import type { RoundStore } from '../store/round-store.ts';
import { applyHotspotOutcomes, loadHistories, type HotspotOutcome } from '../store/hotspot-store.ts';
import { readEntropy, readVerifierCheckpoint, writeVerifierCheckpoint } from '../store/oracle-state-store.ts';
import type { MessageBus } from '../broker/message-bus.ts';
import type { Metrics } from '../metrics.ts';
import type { HotspotDirectory } from '../store/hotspot-directory.ts';
import type { OracleEvents } from '../events/oracle-events.ts';
import { buildPocResult, pocId } from './poc-result.ts';
import { PendingReports } from './pending-reports.ts';
import { readyBeacons, runRounds, type RoundOutcome } from './runner.ts';
import { purgeStaleBeacons } from './purger.ts';

/**
 * Reports (beacons + witnesses) per store transaction, whole rounds only (one multi-row statement per
 * table). A dense network hears each beacon at a few hundred hotspots, so the bound is on reports, not
 * rounds: one transaction then holds the event loop (PGlite runs on it) for tens of milliseconds, not
 * seconds, and ingest keeps stamping and acknowledging between chunks. Each chunk is still atomic
 * (rounds, shares and history together).
 */
const CHUNK_REPORTS = 1_000;
/** Reports verified between two yields to the event loop (a few milliseconds of CPU), whole rounds only. */
const SLICE_REPORTS = 500;
/**
 * Reports read into the pending view, or purged, between two yields. At 8,000 reports/s a 2 s tick reads
 * 16,000 and purges as many; in one piece that held the thread for 100–150 ms (ingest waited behind it).
 */
const READ_SLICE = 2_000;
/** Span of receive time read from the log at once on a live server (about 2,000 reports at 8,000 reports/s). */
const READ_WINDOW_MS = 250;
/** Longest span read in such windows (a few ticks); more is read in one piece. */
const STEPPED_READ_MAX_MS = 60_000;

/** Consecutive runs of `items`, each closed once its weights reach `max` (at least one item per run). */
function slices<T>(items: readonly T[], weight: (t: T) => number, max: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let w = 0;
  for (const t of items) {
    cur.push(t);
    w += weight(t);
    if (w >= max) {
      out.push(cur);
      cur = [];
      w = 0;
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Let timers and socket I/O run (ingest) before the next slice of work. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface VerifierDeps {
  sql: Sql;
  log: ReportLog;
  rounds: RoundStore;
  clock: Clock;
  params: NetworkParams;
  topics: Topics;
  bus: () => MessageBus;
  directory: HotspotDirectory;
  events: OracleEvents;
  metrics: Metrics;
  logger: Logger;
  /** HIP-17 scale of a location from the density scaler's map. */
  hexScale(location: string): string | undefined;
  /**
   * Every report received before this instant is in the log (or was refused): ingest's oldest receive
   * stamp still being written. Null when nothing is in flight.
   */
  ingestHorizonMs(): number | null;
  /** Margin for reports other oracle processes stamped but have not committed yet (PostgreSQL log). */
  settleMs: number;
  /** Identifies this process in `verifier_state.owner`. */
  instanceId: string;
  /**
   * Give the event loop a turn between slices and chunks (live servers). Off on a virtual clock (fast mode,
   * harness): there, which I/O callbacks land inside a tick would depend on timing, and runs must repeat.
   */
  yieldToLoop?: boolean;
}

export function createVerifier(d: VerifierDeps) {
  const yieldToLoop = async (): Promise<void> => {
    if (d.yieldToLoop) await turn();
  };
  let pending = new PendingReports();
  let readThroughMs: number | null = null;
  let checkpointMs = 0;
  let beaconsSettledMs: number | null = null;
  /** Whether `verifier_state` names this process (its pending view is the truth). */
  let owned = false;
  const entropyCache = new Map<string, EntropyRecord>();

  /** (Re)build the pending view from the stored checkpoint when this process does not own it. */
  async function attach(): Promise<void> {
    const stored = await readVerifierCheckpoint(d.sql);
    owned = stored?.owner === d.instanceId;
    if (readThroughMs !== null && owned) return;
    pending = new PendingReports();
    checkpointMs = stored?.checkpointMs ?? 0;
    readThroughMs = checkpointMs;
    d.logger.info({ checkpointMs }, 'verifier reading the report log from its checkpoint');
  }

  async function readLog(nowMs: number): Promise<void> {
    // Exclusive: more reports may still be stamped `nowMs` (the clock has not moved); they are read
    // next tick, as are reports ingest is still checking or writing.
    const inFlight = d.ingestHorizonMs();
    const horizon = Math.min(nowMs - d.settleMs, inFlight ?? Infinity);
    if (readThroughMs === null || horizon <= readThroughMs) return;
    // On a live server a tick's reports are read in windows of READ_WINDOW_MS with a turn between them: a
    // 2 s tick at 8,000 reports/s is 16,000 reports to unpack and sort, which in one read held the thread
    // for 50–100 ms. A longer span (catching up from the checkpoint after a start) is read at once.
    const stepped = d.yieldToLoop === true && horizon - readThroughMs <= STEPPED_READ_MAX_MS;
    const beacons: LoggedReport[] = [];
    let bad = 0;
    for (let from = readThroughMs; from < horizon; ) {
      const to = stepped ? Math.min(horizon, from + READ_WINDOW_MS) : horizon;
      if (from > readThroughMs) await yieldToLoop();
      const records = await d.log.read(from, to);
      for (let i = 0; i < records.length; i += READ_SLICE) {
        if (i > 0) await yieldToLoop();
        bad += pending.add(records.slice(i, i + READ_SLICE));
      }
      for (const r of records) if (r.kind === 'beacon') beacons.push(r);
      from = to;
    }
    if (bad > 0) d.metrics.ingestDropped.inc({ reason: 'log_unreadable' }, bad);
    // Beacons the store already holds were settled before a restart: skip them and their witnesses.
    if (beacons.length > 0) {
      const ids = new Map(beacons.map((b) => [pocId(b.dataHex, b.receivedAtMs, b.hotspot), b]));
      const stored = await d.rounds.storedIds(d.sql, [...ids.keys()]);
      if (stored.size > 0) {
        const settled = pending.beaconsWhere((b) => stored.has(pocId(b.log.dataHex, b.log.receivedAtMs, b.log.hotspot)));
        for (const b of settled) {
          pending.settle(b, []);
          pending.dropWitnessesOf(b.log.dataHex);
        }
      }
    }
    readThroughMs = horizon;
  }

  async function loadEntropy(): Promise<void> {
    const missing = new Set<string>();
    for (const b of pending.beaconsWhere(() => true)) if (!entropyCache.has(b.report.remoteEntropyHex)) missing.add(b.report.remoteEntropyHex);
    if (missing.size === 0) return;
    for (const [dataHex, e] of await readEntropy(d.sql, [...missing])) entropyCache.set(dataHex, e);
  }

  /** What a chunk of rounds changes in `hotspots`, one entry per hotspot, in address order. */
  function hotspotOutcomes(outcomes: readonly RoundOutcome[], results: readonly PocResult[]): HotspotOutcome[] {
    const by = new Map<string, HotspotOutcome>();
    const get = (a: string) => {
      let o = by.get(a);
      if (!o) by.set(a, (o = { address: a, validWitnesses: 0 }));
      return o;
    };
    const max = (a: number | undefined, b: number) => (a === undefined ? b : Math.max(a, b));
    outcomes.forEach((o, i) => {
      const hu = o.verdict.historyUpdates;
      if (hu?.lastBeaconAtMs) get(hu.lastBeaconAtMs[0]).lastBeaconAtMs = max(get(hu.lastBeaconAtMs[0]).lastBeaconAtMs, hu.lastBeaconAtMs[1]);
      if (hu?.lastBeaconReciprocityAtMs) {
        const h = get(hu.lastBeaconReciprocityAtMs[0]);
        h.lastBeaconReciprocityAtMs = max(h.lastBeaconReciprocityAtMs, hu.lastBeaconReciprocityAtMs[1]);
      }
      for (const [a, t] of hu?.lastWitnessAtMs ?? []) get(a).lastWitnessAtMs = max(get(a).lastWitnessAtMs, t);
      const r = results[i];
      get(r.beaconer).lastPocStatus = r.beacon.status; // rounds are in report order: the last one wins
      for (const w of r.witnesses) {
        if (w.status !== 'valid') continue;
        const h = get(w.hotspot);
        h.validWitnesses++;
        h.bestRssiDbm = max(h.bestRssiDbm, w.rssiDbm);
      }
    });
    return [...by.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  /** Store a chunk in one transaction; returns the rounds stored now (to publish). */
  async function store(outcomes: readonly RoundOutcome[], verifiedAtMs: number): Promise<PocResult[]> {
    const results = outcomes.map((o) =>
      buildPocResult(
        { report: o.beacon.report, receivedAtMs: o.beacon.log.receivedAtMs, challengeId: o.beacon.log.challengeId },
        o.witnesses.map((w) => ({ receivedAtMs: w.log.receivedAtMs, report: w.report })),
        o.verdict,
        verifiedAtMs,
      ),
    );
    const stored = await d.sql.transaction(async (tx: SqlQuery) => {
      const ids = await d.rounds.insertRounds(tx, results.map((result, i) => ({ result, shares: outcomes[i].verdict.shares })), (n) => {
        d.metrics.lateShares.inc({ kind: 'poc' }, n);
        d.logger.error({ shares: n }, 'reward shares for an epoch already paid: moved to the next unpaid epoch');
      });
      const fresh = outcomes.filter((_, i) => ids.has(results[i].pocId));
      await applyHotspotOutcomes(tx, hotspotOutcomes(fresh, results.filter((r) => ids.has(r.pocId))));
      return ids;
    });
    return results.filter((r) => stored.has(r.pocId));
  }

  async function publish(results: readonly PocResult[]): Promise<void> {
    for (const r of results) {
      d.metrics.rounds.inc({ status: r.beacon.status });
      for (const w of r.witnesses) d.metrics.witnessVerdicts.inc({ status: w.status, reason: w.reason ?? 'none' });
      d.events.emit('poc', r);
      await d.bus().publish(d.topics.pocResult(r.beaconer), JSON.stringify(r), { qos: 0 });
    }
  }

  async function storeAndPublish(outcomes: readonly RoundOutcome[], nowMs: number): Promise<void> {
    const chunks = slices(outcomes, (o) => 1 + o.witnesses.length, CHUNK_REPORTS);
    for (let i = 0; i < chunks.length; i++) {
      if (i > 0) await yieldToLoop();
      await publish(await store(chunks[i], nowMs));
    }
  }

  /** Verify every round whose entropy has expired. Returns the number of rounds verified. */
  async function verifyReady(nowMs: number): Promise<number> {
    await loadEntropy();
    const beacons = readyBeacons(pending, d.params, nowMs, readThroughMs ?? 0, (h) => entropyCache.get(h));
    if (beacons.length === 0) return 0;
    const addresses = new Set<string>();
    for (const b of beacons) {
      addresses.add(b.report.hotspot);
      for (const w of pending.witnessesOf(b.log.dataHex)) addresses.add(w.log.hotspot);
    }
    const sorted = [...addresses].sort();
    for (const a of sorted) await d.directory.resolve(a);
    const history = await loadHistories(d.sql, sorted);
    const ctx = { params: d.params, gateway: (a: string) => d.directory.get(a), denyList: await loadDenyList(d.sql), hexScale: d.hexScale };
    const input = { pending, params: d.params, nowMs, readThroughMs: readThroughMs ?? 0, entropy: (h: string) => entropyCache.get(h), history, ctx, logger: d.logger, limit: Infinity };
    // In slices with a yield between them: the same rounds in the same order as one run (each slice sees
    // the history and pending reports the previous one left), without holding the loop for all of them.
    const outcomes: RoundOutcome[] = [];
    const parts = slices(beacons, (b) => 1 + pending.witnessesOf(b.log.dataHex).length, SLICE_REPORTS);
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) await yieldToLoop();
      outcomes.push(...runRounds(input, parts[i]));
    }
    await yieldToLoop();
    await storeAndPublish(outcomes, nowMs);
    return outcomes.length;
  }

  async function purge(nowMs: number): Promise<number> {
    const locationOf = (a: string) => d.directory.get(a)?.location ?? null;
    const cutoffMs = nowMs - d.params.staleAfterS * 1000;
    const rounds = purgeStaleBeacons(pending, cutoffMs, locationOf);
    let witnesses = 0;
    for (;;) {
      const n = pending.dropWitnessesBefore(cutoffMs, READ_SLICE);
      witnesses += n;
      if (n < READ_SLICE) break;
      await yieldToLoop();
    }
    if (witnesses > 0) d.metrics.ingestDropped.inc({ reason: 'stale_witness' }, witnesses);
    await storeAndPublish(rounds, nowMs);
    return rounds.length + witnesses;
  }

  /**
   * Record how far the log is settled and retire the segments behind it. Beside the checkpoint, the
   * beacon horizon: every beacon received before it has its round and shares stored (the rewarder waits
   * for it; pending witnesses without a beacon hold the checkpoint, not the shares).
   */
  async function checkpoint(): Promise<void> {
    const read = readThroughMs ?? 0;
    const next = Math.min(pending.oldestMs() ?? Infinity, read);
    const beacons = Math.min(pending.oldestBeaconMs() ?? Infinity, read);
    if (owned && next === checkpointMs && beacons === beaconsSettledMs) return;
    await writeVerifierCheckpoint(d.sql, { checkpointMs: next, owner: d.instanceId, beaconsSettledMs: beacons });
    checkpointMs = next;
    beaconsSettledMs = beacons;
    owned = true;
    await d.log.retire(next);
  }

  /** One verifier tick under the advisory lock. */
  async function tick(nowMs = d.clock.now()): Promise<void> {
    await d.sql.withAdvisoryLock(LOCKS.verifier, async () => {
      await attach();
      await readLog(nowMs);
      await verifyReady(nowMs);
      await purge(nowMs);
      const unreadable = pending.takeUnreadable();
      if (unreadable > 0) d.metrics.ingestDropped.inc({ reason: 'log_unreadable' }, unreadable);
      await checkpoint();
      d.metrics.pendingReports.set(pending.size.beacons + pending.size.witnesses);
    });
  }

  return { tick };
}

export type Verifier = ReturnType<typeof createVerifier>;
