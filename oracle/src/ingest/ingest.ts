/**
 * Ingest (spec §(a) "Signing and ingest"; oracles ingest/src/server_iot.rs): schema, signature and
 * known-hotspot checks, then the oracle's receive time is stamped (all timing checks use it) and the raw
 * report is stored. It never judges. Messages received in one turn of the event loop are verified as a
 * batch in the signature pool and written in one transaction.
 */
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import { publicKeyFromAddress, signingBytes } from '@hexium/shared/identity/index';
import {
  HOTSPOT_EVENT_SCHEMAS,
  HotspotStateSchema,
  type BeaconReport,
  type DownlinkTxAck,
  type HotspotState,
  type Topics,
  type UplinkFrame,
  type WitnessReport,
} from '@hexium/shared/protocol/index';
import type { Sql } from '../store/sql.ts';
import { checkSchema } from '../broker/schema-check.ts';
import type { InboundMessage } from '../broker/message-bus.ts';
import type { HotspotDirectory } from '../services/hotspot-directory.ts';
import type { OracleEvents } from '../services/oracle-events.ts';
import type { WorkTracker } from '../services/work-tracker.ts';
import type { Metrics } from '../metrics.ts';
import type { SignaturePool } from './signature-pool.ts';
import type { PacketRouterPort } from '../services/router-port.ts';
import type { ChallengeService } from '../services/challenges.ts';

export interface IngestDeps {
  sql: Sql;
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
  end: () => void;
  startedNs: bigint;
}
interface StoredWitness {
  report: WitnessReport;
  raw: string;
  receivedAtMs: number;
  end: () => void;
  startedNs: bigint;
}

const MAX_ROWS_PER_INSERT = 2000;

export function createIngest(d: IngestDeps) {
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
    try {
      await d.sql.transaction(async (tx) => {
        for (let i = 0; i < b.length; i += MAX_ROWS_PER_INSERT) {
          const part = b.slice(i, i + MAX_ROWS_PER_INSERT);
          const params: unknown[] = [];
          const values = part.map((x, j) => {
            params.push(x.report.hotspot, x.report.dataHex, x.report.remoteEntropyHex, x.receivedAtMs, x.challengeId, x.raw);
            const o = j * 6;
            return `($${o + 1},$${o + 2},$${o + 3},$${o + 4},$${o + 5},$${o + 6})`;
          });
          await tx.query(`INSERT INTO beacon_reports (hotspot, data_hex, remote_entropy_hex, received_at_ms, challenge_id, report) VALUES ${values.join(',')}`, params);
        }
        for (let i = 0; i < w.length; i += MAX_ROWS_PER_INSERT) {
          const part = w.slice(i, i + MAX_ROWS_PER_INSERT);
          const params: unknown[] = [];
          const values = part.map((x, j) => {
            params.push(x.report.hotspot, x.report.dataHex, x.receivedAtMs, x.raw);
            const o = j * 4;
            return `($${o + 1},$${o + 2},$${o + 3},$${o + 4})`;
          });
          await tx.query(`INSERT INTO witness_reports (hotspot, data_hex, received_at_ms, report) VALUES ${values.join(',')}`, params);
        }
      });
      const doneNs = process.hrtime.bigint();
      for (const x of b) {
        d.metrics.ingested.inc({ kind: 'beacon' });
        d.metrics.ingestLatency.observe(Number(doneNs - x.startedNs) / 1e9);
        const h = d.directory.get(x.report.hotspot);
        d.events.emit('beacon', {
          beaconer: x.report.hotspot,
          key: x.report.dataHex,
          receivedAtMs: x.receivedAtMs,
          frequencyHz: x.report.frequencyHz,
          dataRate: x.report.dataRate,
          lat: h?.lat ?? null,
          lng: h?.lng ?? null,
          ...(x.challengeId ? { challengeId: x.challengeId } : {}),
        });
      }
      for (const x of w) {
        d.metrics.ingested.inc({ kind: 'witness' });
        d.metrics.ingestLatency.observe(Number(doneNs - x.startedNs) / 1e9);
        const h = d.directory.get(x.report.hotspot);
        d.events.emit('witness', {
          witness: x.report.hotspot,
          key: x.report.dataHex,
          receivedAtMs: x.receivedAtMs,
          rssiDbm: x.report.rssiDbm,
          snrDb: x.report.snrDb,
          lat: h?.lat ?? null,
          lng: h?.lng ?? null,
        });
      }
    } catch (err) {
      d.logger.error({ err, beacons: b.length, witnesses: w.length }, 'storing reports failed');
      d.metrics.ingestDropped.inc({ reason: 'store_error' }, b.length + w.length);
    } finally {
      b.forEach((x) => x.end());
      w.forEach((x) => x.end());
    }
  }

  async function handleState(state: HotspotState, end: () => void): Promise<void> {
    try {
      const online = state.state === 'ONLINE';
      const h = await d.directory.resolve(state.hotspot);
      if (!h) return drop('unknown_hotspot', end);
      const changed = h.online !== online;
      d.directory.setOnline(state.hotspot, online);
      await d.sql.query('UPDATE hotspots SET online = $2, online_changed_at_ms = $3 WHERE address = $1', [state.hotspot, online, d.clock.now()]);
      d.metrics.onlineHotspots.set(d.directory.onlineCount);
      if (changed) d.events.emit('hotspot', { address: state.hotspot, online });
    } finally {
      end();
    }
  }

  async function handleEvent(event: string, value: Record<string, unknown>, raw: Buffer, address: string, receivedAtMs: number, end: () => void, startedNs: bigint) {
    try {
      const h = await d.directory.resolve(address);
      if (!h) return drop('unknown_hotspot', end);
      if (!(await signatureOk(value, address))) return drop('bad_signature', end);
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

  /** Take one inbound message (synchronously stamps the receive time and counts it as in flight). */
  function accept(msg: InboundMessage): void {
    const receivedAtMs = d.clock.now();
    const startedNs = process.hrtime.bigint();
    const end = d.tracker.begin();
    const parsed = d.topics.parse(msg.topic);
    if (!parsed || (parsed.kind !== 'hotspot-event' && parsed.kind !== 'hotspot-state')) return drop('unknown_topic', end);
    let value = msg.value;
    if (!value) {
      // external broker: nothing checked yet
      let json: unknown;
      try {
        json = JSON.parse(msg.payload.toString('utf8'));
      } catch {
        return drop('bad_json', end);
      }
      const schema = parsed.kind === 'hotspot-state' ? HotspotStateSchema : HOTSPOT_EVENT_SCHEMAS[parsed.event];
      if (!checkSchema(schema, json)) return drop('bad_schema', end);
      value = json as Record<string, unknown>;
      const claimed = parsed.kind === 'hotspot-event' && parsed.event === 'ack' ? value.gatewayId : value.hotspot;
      if (claimed !== parsed.address) return drop('address_mismatch', end);
    }
    if (parsed.kind === 'hotspot-state') void handleState(value as unknown as HotspotState, end);
    else void handleEvent(parsed.event, value, msg.payload, parsed.address, receivedAtMs, end, startedNs);
  }

  return {
    accept,
    /** Wait for pending writes (shutdown). */
    async drain(): Promise<void> {
      await d.tracker.idle();
      await writing;
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
