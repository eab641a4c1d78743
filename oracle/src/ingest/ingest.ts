/**
 * Ingest (spec §(a) "Signing and ingest"; oracles ingest/src/server_iot.rs): the oracle's receive time is
 * stamped the moment a message arrives (all timing checks use it), then schema, signature and
 * known-hotspot checks, then the raw report is appended to the report log. It never judges. Messages
 * received in one turn of the event loop are verified as a batch in the signature pool and appended
 * together (group commit); a QoS 1 message is acknowledged only once its report is durable in the log.
 */
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import { publicKeyFromAddress, signingBytes } from '@hexium/shared/identity/index';
import {
  type BeaconReport,
  type DownlinkTxAck,
  type HotspotState,
  type Topics,
  type UplinkFrame,
  type WitnessReport,
} from '@hexium/shared/protocol/index';
import type { Sql } from '../store/sql.ts';
import type { LoggedReport, ReportLog } from '../store/report-log/report-log.ts';
import { decodeHotspotPayload } from '../broker/device-auth.ts';
import type { InboundMessage } from '../broker/message-bus.ts';
import type { Arrival, ArrivalSource } from '../broker/packet-guard.ts';
import type { HotspotDirectory } from '../store/hotspot-directory.ts';
import { setHotspotOnline } from '../store/hotspot-store.ts';
import type { OracleEvents } from '../events/oracle-events.ts';
import type { WorkTracker } from '../workers/work-tracker.ts';
import type { Metrics } from '../metrics.ts';
import type { SignaturePool } from './signature-pool.ts';
import type { PacketRouterPort } from '../router/port.ts';
import type { ChallengeService } from '../hotspots/challenges.ts';

export interface IngestDeps {
  sql: Sql;
  log: ReportLog;
  clock: Clock;
  topics: Topics;
  directory: HotspotDirectory;
  pool: SignaturePool;
  events: OracleEvents;
  tracker: WorkTracker;
  metrics: Metrics;
  logger: Logger;
  router: () => PacketRouterPort | null;
  challenges: ChallengeService;
}

interface StoredBeacon {
  report: BeaconReport;
  /** The payload as received (stored verbatim). */
  raw: string;
  receivedAtMs: number;
  challengeId: string | null;
  end: (err?: Error) => void;
  startedNs: bigint;
}
interface StoredWitness {
  report: WitnessReport;
  raw: string;
  receivedAtMs: number;
  end: (err?: Error) => void;
  startedNs: bigint;
}

/** Waits for a growing value to reach a threshold: `wake(value)` resolves every wait at or below it. */
class ThresholdWaits {
  private waits: { at: number; resolve: () => void }[] = [];

  wait(at: number, value: number): Promise<void> {
    if (value >= at) return Promise.resolve();
    return new Promise((resolve) => this.waits.push({ at, resolve }));
  }

  wake(value: number): void {
    if (this.waits.length === 0) return;
    const due = this.waits.filter((w) => w.at <= value);
    if (due.length === 0) return;
    this.waits = this.waits.filter((w) => w.at > value);
    for (const w of due) w.resolve();
  }
}

/** How many messages have been stamped on arrival; `until(n)` resolves once `count` ≥ n. */
export class ArrivalCounter {
  count = 0;
  private readonly waits = new ThresholdWaits();

  until(n: number): Promise<void> {
    return this.waits.wait(n, this.count);
  }

  wake(): void {
    this.waits.wake(this.count);
  }
}

/** Receive stamps of the messages still being checked or written, oldest first. */
class InFlightStamps {
  private queue: { ms: number; done: boolean }[] = [];
  private head = 0;
  private readonly waits = new ThresholdWaits();

  add(ms: number): () => void {
    const e = { ms, done: false };
    this.queue.push(e);
    return () => {
      e.done = true;
      while (this.head < this.queue.length && this.queue[this.head].done) this.head++;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.waits.wake(this.oldest() ?? Infinity);
    };
  }

  /** Resolves once nothing stamped before `ms` is still in flight. */
  settledBefore(ms: number): Promise<void> {
    return this.waits.wait(ms, this.oldest() ?? Infinity);
  }

  oldest(): number | null {
    return this.head < this.queue.length ? this.queue[this.head].ms : null;
  }
}

export function createIngest(d: IngestDeps) {
  const inFlight = new InFlightStamps();
  let beacons: StoredBeacon[] = [];
  let witnesses: StoredWitness[] = [];
  let flushScheduled = false;
  let writing: Promise<void> = Promise.resolve();
  const keys = new Map<string, Uint8Array>();

  const drop = (reason: string, end: () => void) => {
    d.metrics.ingestDropped.inc({ reason });
    end();
  };

  function publicKey(address: string): Uint8Array | null {
    let k = keys.get(address);
    if (!k) {
      try {
        k = publicKeyFromAddress(address);
      } catch {
        return null;
      }
      if (keys.size > 200_000) keys.clear();
      keys.set(address, k);
    }
    return k;
  }

  async function signatureOk(value: Record<string, unknown>, address: string): Promise<boolean> {
    const key = publicKey(address);
    if (!key || typeof value.signature !== 'string') return false;
    // decodeHotspotPayload has refused what canonical JSON cannot encode (lone surrogates), so this never throws
    return d.pool.verify({ publicKey: key, message: signingBytes(value), signature: Buffer.from(value.signature, 'base64') });
  }

  let writeInFlight = false;

  /** One write at a time; reports arriving meanwhile are written together next (bigger batches under load). */
  function scheduleFlush(): void {
    if (flushScheduled || writeInFlight) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      const b = beacons;
      const w = witnesses;
      beacons = [];
      witnesses = [];
      writeInFlight = true;
      writing = write(b, w).finally(() => {
        writeInFlight = false;
        if (beacons.length > 0 || witnesses.length > 0) scheduleFlush();
      });
    });
  }

  async function write(b: StoredBeacon[], w: StoredWitness[]): Promise<void> {
    if (b.length === 0 && w.length === 0) return;
    const records: LoggedReport[] = [
      ...b.map((x): LoggedReport => ({ kind: 'beacon', receivedAtMs: x.receivedAtMs, hotspot: x.report.hotspot, dataHex: x.report.dataHex, challengeId: x.challengeId, raw: x.raw })),
      ...w.map((x): LoggedReport => ({ kind: 'witness', receivedAtMs: x.receivedAtMs, hotspot: x.report.hotspot, dataHex: x.report.dataHex, challengeId: null, raw: x.raw })),
    ];
    try {
      await d.log.append(records);
    } catch (err) {
      // Not durable, so not acknowledged: the broker closes the connection without a PUBACK and the
      // device sends the reports again when it reconnects.
      d.logger.error({ err, beacons: b.length, witnesses: w.length }, 'appending reports to the log failed');
      d.metrics.ingestDropped.inc({ reason: 'store_error' }, b.length + w.length);
      const failure = err instanceof Error ? err : new Error(String(err));
      b.forEach((x) => x.end(failure));
      w.forEach((x) => x.end(failure));
      return;
    }
    const doneNs = process.hrtime.bigint();
    // counts one stored report and gives its hotspot's position for the SSE event
    const stored = (kind: 'beacon' | 'witness', x: { report: { hotspot: string }; startedNs: bigint }) => {
      d.metrics.ingested.inc({ kind });
      d.metrics.ingestLatency.observe(Number(doneNs - x.startedNs) / 1e9);
      const h = d.directory.get(x.report.hotspot);
      return { lat: h?.lat ?? null, lng: h?.lng ?? null };
    };
    for (const x of b) {
      const { lat, lng } = stored('beacon', x);
      d.events.emit('beacon', {
        beaconer: x.report.hotspot,
        key: x.report.dataHex,
        receivedAtMs: x.receivedAtMs,
        frequencyHz: x.report.frequencyHz,
        dataRate: x.report.dataRate,
        lat,
        lng,
        ...(x.challengeId ? { challengeId: x.challengeId } : {}),
      });
    }
    for (const x of w) {
      const { lat, lng } = stored('witness', x);
      d.events.emit('witness', {
        witness: x.report.hotspot,
        key: x.report.dataHex,
        receivedAtMs: x.receivedAtMs,
        rssiDbm: x.report.rssiDbm,
        snrDb: x.report.snrDb,
        lat,
        lng,
      });
    }
    b.forEach((x) => x.end());
    w.forEach((x) => x.end());
  }

  /**
   * Checks run concurrently (signatures in worker threads) but their outcomes are acted on in the order
   * the messages arrived: challenge claims, the packet router and the log see one order, whichever
   * worker finishes first (DESIGN.md "Time and determinism").
   */
  let released: Promise<unknown> = Promise.resolve();
  function inArrivalOrder<T>(check: Promise<T>): Promise<T> {
    const turn = released.then(() => check);
    released = turn.catch(() => undefined);
    return turn;
  }

  async function handleState(state: HotspotState, end: () => void): Promise<void> {
    try {
      const online = state.state === 'ONLINE';
      const h = await inArrivalOrder(d.directory.resolve(state.hotspot));
      if (!h) return drop('unknown_hotspot', end);
      const changed = h.online !== online;
      d.directory.setOnline(state.hotspot, online);
      await setHotspotOnline(d.sql, state.hotspot, online, d.clock.now());
      d.metrics.onlineHotspots.set(d.directory.onlineCount);
      if (changed) d.events.emit('hotspot', { address: state.hotspot, online });
    } finally {
      end();
    }
  }

  async function handleEvent(event: string, value: Record<string, unknown>, raw: Buffer, address: string, receivedAtMs: number, end: () => void, startedNs: bigint) {
    try {
      const verdict = await inArrivalOrder(
        (async () => {
          if (!(await d.directory.resolve(address))) return 'unknown_hotspot';
          return (await signatureOk(value, address)) ? 'ok' : 'bad_signature';
        })(),
      );
      if (verdict !== 'ok') return drop(verdict, end);
      switch (event) {
        case 'beacon': {
          const report = value as unknown as BeaconReport;
          const challengeId = d.challenges.claim(address, receivedAtMs);
          beacons.push({ report, raw: raw.toString('utf8'), receivedAtMs, challengeId, end, startedNs });
          return scheduleFlush();
        }
        case 'witness':
          witnesses.push({ report: value as unknown as WitnessReport, raw: raw.toString('utf8'), receivedAtMs, end, startedNs });
          return scheduleFlush();
        case 'up': {
          const router = d.router();
          if (router) await router.handleUplink(value as unknown as UplinkFrame, receivedAtMs);
          else d.metrics.ingestDropped.inc({ reason: 'no_router' });
          d.metrics.ingested.inc({ kind: 'up' });
          return end();
        }
        case 'ack': {
          const router = d.router();
          if (router) await router.handleTxAck(value as unknown as DownlinkTxAck);
          d.metrics.ingested.inc({ kind: 'ack' });
          return end();
        }
        default:
          d.metrics.ingested.inc({ kind: event });
          return end();
      }
    } catch (err) {
      d.logger.error({ err, event, address }, 'ingest failed');
      drop('error', end);
    }
  }

  /**
   * Stamp a message arriving at the broker and count it as in flight from then on (the embedded broker
   * stamps each PUBLISH as its bytes are read off the socket, before aedes hands it over).
   */
  function arrive(): Arrival {
    const atMs = d.clock.now();
    arrived.count++;
    arrived.wake();
    return { atMs, ns: process.hrtime.bigint(), release: inFlight.add(atMs) };
  }
  const arrived = new ArrivalCounter();

  /**
   * Take one inbound message: its receive time is the broker's arrival stamp, else now (an external
   * broker's message); it counts as in flight until stored or refused.
   */
  function accept(msg: InboundMessage): void {
    const arrival = msg.arrival ?? arrive();
    const receivedAtMs = arrival.atMs;
    const startedNs = arrival.ns;
    const tracked = d.tracker.begin();
    const settled = arrival.release;
    // Stored (or refused and counted): only now may the broker acknowledge a QoS 1 publish.
    const end = (err?: Error) => {
      settled();
      tracked();
      msg.ack?.(err);
    };
    const parsed = d.topics.parse(msg.topic);
    if (!parsed || (parsed.kind !== 'hotspot-event' && parsed.kind !== 'hotspot-state')) return drop('unknown_topic', end);
    let value = msg.value;
    if (!value) {
      // external broker: nothing checked yet (the same checks as the embedded broker's publish hook)
      const decoded = decodeHotspotPayload(parsed, msg.payload);
      if (!decoded.ok) return drop(decoded.reason, end);
      value = decoded.value;
    }
    if (parsed.kind === 'hotspot-state') void handleState(value as unknown as HotspotState, end);
    else void handleEvent(parsed.event, value, msg.payload, parsed.address, receivedAtMs, end, startedNs);
  }

  return {
    accept,
    arrivals: { stamp: arrive } satisfies ArrivalSource,
    /** Messages stamped so far, and a wait for the count to reach a number (fast mode's step sync). */
    arrived,
    /** Resolves once every message stamped before `ms` is stored or refused (background ticks on a virtual clock). */
    settledBefore: (ms: number): Promise<void> => inFlight.settledBefore(ms),
    /** The oldest receive stamp still being checked or written (the verifier reads the log up to it). */
    horizonMs: (): number | null => inFlight.oldest(),
    /** Wait for pending writes (shutdown). */
    async drain(): Promise<void> {
      await d.tracker.idle();
      await writing;
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
