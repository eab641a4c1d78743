/**
 * The verifier runner (spec §(a) "Runner", oracles iot_verifier/src/runner.rs + purger.rs): every
 * `params.verifierPollMs`, under the verifier advisory lock, take the stored beacons whose entropy has
 * expired (`entropy.timestamp < now − ENTROPY_LIFESPAN`), pair each with the witnesses carrying the same
 * payload (ordered by receive time), verify with the core's `verifyPoc`, and in one transaction per
 * chunk store the round, its shares and the history updates and retire the reports. Reports still ready
 * after `params.staleAfterS` are written as invalid with reason `stale`.
 */
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { BeaconReport, PocResult, Topics, WitnessReport } from '@hexium/shared/protocol/index';
import { loadDenyList } from './deny-list-store.ts';
import { verifyPoc, PocProcessingError, type EntropyRecord, type HotspotHistory, type PocVerdict, type WitnessVerdict } from '../poc/index.ts';
import { LOCKS, type Sql, type SqlQuery } from '../store/sql.ts';
import type { MessageBus } from '../broker/message-bus.ts';
import type { Metrics } from '../metrics.ts';
import type { HotspotDirectory } from './hotspot-directory.ts';
import type { OracleEvents } from './oracle-events.ts';
import { buildPocResult, type StoredWitnessReport } from './poc-result.ts';

/** Rounds verified per tick (runner.rs takes up to 25 000; smaller keeps each tick short). */
const BATCH = 2000;
/** Rounds per store transaction. */
const CHUNK = 200;

export interface VerifierDeps {
  sql: Sql;
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
}

interface BeaconRow {
  id: number;
  receivedAtMs: number;
  challengeId: string | null;
  report: BeaconReport;
}

interface Outcome {
  beacon: BeaconRow;
  witnesses: StoredWitnessReport[];
  verdict: Pick<PocVerdict, 'beacon' | 'witnesses' | 'dropped'> & Partial<Pick<PocVerdict, 'shares' | 'historyUpdates'>>;
}

/** Stored reports are JSON text (jsonb in early data dirs: already an object). */
function fromJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export function createVerifier(d: VerifierDeps) {
  async function loadHistory(addresses: string[]): Promise<Map<string, HotspotHistory>> {
    const out = new Map<string, HotspotHistory>();
    if (addresses.length === 0) return out;
    const { rows } = await d.sql.query(
      'SELECT address, last_beacon_at_ms, last_witness_at_ms, last_beacon_reciprocity_at_ms FROM hotspots WHERE address = ANY($1)',
      [addresses],
    );
    for (const r of rows) {
      const h: HotspotHistory = {};
      if (r.last_beacon_at_ms !== null) h.lastBeaconAtMs = r.last_beacon_at_ms;
      if (r.last_witness_at_ms !== null) h.lastWitnessAtMs = r.last_witness_at_ms;
      if (r.last_beacon_reciprocity_at_ms !== null) h.lastBeaconReciprocityAtMs = r.last_beacon_reciprocity_at_ms;
      out.set(r.address, h);
    }
    return out;
  }

  async function loadWitnesses(dataHexes: string[]): Promise<Map<string, StoredWitnessReport[]>> {
    const out = new Map<string, StoredWitnessReport[]>();
    if (dataHexes.length === 0) return out;
    const { rows } = await d.sql.query(
      "SELECT id, data_hex, received_at_ms, report FROM witness_reports WHERE status = 'ready' AND data_hex = ANY($1) ORDER BY received_at_ms, id",
      [dataHexes],
    );
    for (const r of rows) {
      const list = out.get(r.data_hex) ?? [];
      list.push({ id: r.id, receivedAtMs: r.received_at_ms, report: fromJson(r.report) as WitnessReport });
      out.set(r.data_hex, list);
    }
    return out;
  }

  /** Store the outcomes of a chunk in one transaction; returns the results to publish. */
  async function store(outcomes: Outcome[], verifiedAtMs: number, beaconStatus: 'verified' | 'stale'): Promise<PocResult[]> {
    const results: PocResult[] = [];
    await d.sql.transaction(async (tx: SqlQuery) => {
      for (const o of outcomes) {
        const result = buildPocResult(o.beacon, o.witnesses, o.verdict, verifiedAtMs);
        results.push(result);
        const ins = await tx.query(
          'INSERT INTO rounds (poc_id, beaconer, status, received_at_ms, verified_at_ms, challenge_id, result) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb) ON CONFLICT (poc_id) DO NOTHING',
          [result.pocId, result.beaconer, result.beacon.status, result.receivedAtMs, verifiedAtMs, result.challengeId ?? null, JSON.stringify(result)],
        );
        await tx.query(`UPDATE beacon_reports SET status = $2 WHERE id = $1`, [o.beacon.id, beaconStatus]);
        if (o.witnesses.length > 0) {
          await tx.query(`UPDATE witness_reports SET status = $2 WHERE id = ANY($1)`, [o.witnesses.map((w) => w.id), beaconStatus]);
        }
        if (ins.rowCount === 0) continue; // the same beacon stored twice: one round only
        const participants = [[result.beaconer, 'beaconer'], ...result.witnesses.map((w) => [w.hotspot, 'witness'])];
        for (const [hotspot, role] of participants) {
          await tx.query(
            'INSERT INTO round_participants (poc_id, hotspot, role, received_at_ms) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING',
            [result.pocId, hotspot, role, result.receivedAtMs],
          );
        }
        const shares = o.verdict.shares;
        if (shares?.beacon) {
          await tx.query('INSERT INTO poc_shares (poc_id, hotspot, kind, share, reward_at_ms) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING', [
            result.pocId, shares.beacon.hotspot, 'beacon', shares.beacon.share, result.receivedAtMs,
          ]);
        }
        for (const s of shares?.witnesses ?? []) {
          await tx.query('INSERT INTO poc_shares (poc_id, hotspot, kind, share, reward_at_ms) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING', [
            result.pocId, s.hotspot, 'witness', s.share, result.receivedAtMs,
          ]);
        }
        const hu = o.verdict.historyUpdates;
        if (hu?.lastBeaconAtMs) {
          await tx.query('UPDATE hotspots SET last_beacon_at_ms = GREATEST(COALESCE(last_beacon_at_ms, 0), $2) WHERE address = $1', hu.lastBeaconAtMs);
        }
        if (hu?.lastBeaconReciprocityAtMs) {
          await tx.query(
            'UPDATE hotspots SET last_beacon_reciprocity_at_ms = GREATEST(COALESCE(last_beacon_reciprocity_at_ms, 0), $2) WHERE address = $1',
            hu.lastBeaconReciprocityAtMs,
          );
        }
        for (const w of hu?.lastWitnessAtMs ?? []) {
          await tx.query('UPDATE hotspots SET last_witness_at_ms = GREATEST(COALESCE(last_witness_at_ms, 0), $2) WHERE address = $1', w);
        }
        await tx.query('UPDATE hotspots SET last_poc_status = $2 WHERE address = $1', [result.beaconer, result.beacon.status]);
        for (const w of result.witnesses) {
          if (w.status !== 'valid') continue;
          await tx.query(
            'UPDATE hotspots SET valid_witnesses = valid_witnesses + 1, best_rssi_dbm = GREATEST(COALESCE(best_rssi_dbm, $2), $2) WHERE address = $1',
            [w.hotspot, w.rssiDbm],
          );
        }
      }
    });
    return results;
  }

  async function publish(results: PocResult[]): Promise<void> {
    for (const r of results) {
      d.metrics.rounds.inc({ status: r.beacon.status });
      for (const w of r.witnesses) d.metrics.witnessVerdicts.inc({ status: w.status, reason: w.reason ?? 'none' });
      d.events.emit('poc', r);
      await d.bus().publish(d.topics.pocResult(r.beaconer), JSON.stringify(r), { qos: 0 });
    }
  }

  /** Verify every round whose entropy has expired. Returns the number of rounds verified. */
  async function verifyReady(nowMs: number): Promise<number> {
    const lifespanMs = d.params.entropyLifespanS * 1000;
    const { rows } = await d.sql.query(
      `SELECT b.id, b.received_at_ms, b.challenge_id, b.report, e.data_hex AS e_data, e.timestamp_s, e.version
         FROM beacon_reports b JOIN entropy e ON e.data_hex = b.remote_entropy_hex
        WHERE b.status = 'ready' AND e.timestamp_s * 1000 + $1 < $2
        ORDER BY b.received_at_ms, b.id LIMIT ${BATCH}`,
      [lifespanMs, nowMs],
    );
    if (rows.length === 0) return 0;
    const beacons: BeaconRow[] = rows.map((r) => ({ id: r.id, receivedAtMs: r.received_at_ms, challengeId: r.challenge_id, report: fromJson(r.report) as BeaconReport }));
    const entropy = new Map<string, EntropyRecord>(rows.map((r) => [r.e_data, { dataHex: r.e_data, timestampS: r.timestamp_s, version: r.version }]));
    const witnessesByData = await loadWitnesses([...new Set(beacons.map((b) => b.report.dataHex))]);
    const addresses = new Set<string>();
    for (const b of beacons) {
      addresses.add(b.report.hotspot);
      for (const w of witnessesByData.get(b.report.dataHex) ?? []) addresses.add(w.report.hotspot);
    }
    for (const a of addresses) await d.directory.resolve(a);
    const history = await loadHistory([...addresses]);
    const denyList = await loadDenyList(d.sql);
    const ctx = {
      params: d.params,
      gateway: (a: string) => d.directory.get(a),
      denyList,
      entropy: (hex: string) => entropy.get(hex),
      history: (a: string) => history.get(a) ?? {},
      hexScale: d.hexScale,
    };
    let done = 0;
    let chunk: Outcome[] = [];
    const usedWitnesses = new Set<number>();
    for (const b of beacons) {
      const ws = (witnessesByData.get(b.report.dataHex) ?? []).filter((w) => !usedWitnesses.has(w.id));
      let verdict: PocVerdict;
      try {
        verdict = verifyPoc(
          { beacon: { ...b.report, receivedAtMs: b.receivedAtMs }, witnesses: ws.map((w) => ({ ...w.report, receivedAtMs: w.receivedAtMs })) },
          ctx,
        );
      } catch (err) {
        if (err instanceof PocProcessingError) {
          d.logger.warn({ err: err.message, beaconer: b.report.hotspot }, 'round left for retry');
          continue;
        }
        throw err;
      }
      ws.forEach((w) => usedWitnesses.add(w.id));
      applyHistory(history, verdict);
      chunk.push({ beacon: b, witnesses: ws, verdict });
      if (chunk.length >= CHUNK) {
        await publish(await store(chunk, nowMs, 'verified'));
        done += chunk.length;
        chunk = [];
      }
    }
    if (chunk.length > 0) {
      await publish(await store(chunk, nowMs, 'verified'));
      done += chunk.length;
    }
    return done;
  }

  /** Later rounds of the same batch see the history the earlier ones wrote. */
  function applyHistory(history: Map<string, HotspotHistory>, v: PocVerdict): void {
    const get = (a: string) => {
      let h = history.get(a);
      if (!h) history.set(a, (h = {}));
      return h;
    };
    const hu = v.historyUpdates;
    if (hu.lastBeaconAtMs) get(hu.lastBeaconAtMs[0]).lastBeaconAtMs = Math.max(get(hu.lastBeaconAtMs[0]).lastBeaconAtMs ?? 0, hu.lastBeaconAtMs[1]);
    if (hu.lastBeaconReciprocityAtMs) {
      const h = get(hu.lastBeaconReciprocityAtMs[0]);
      h.lastBeaconReciprocityAtMs = Math.max(h.lastBeaconReciprocityAtMs ?? 0, hu.lastBeaconReciprocityAtMs[1]);
    }
    for (const [a, t] of hu.lastWitnessAtMs) get(a).lastWitnessAtMs = Math.max(get(a).lastWitnessAtMs ?? 0, t);
  }

  /** Purger (purger.rs): reports still ready after staleAfterS become invalid with reason `stale`. */
  async function purgeStale(nowMs: number): Promise<number> {
    const cutoff = nowMs - d.params.staleAfterS * 1000;
    const { rows } = await d.sql.query(
      `SELECT id, received_at_ms, challenge_id, report FROM beacon_reports WHERE status = 'ready' AND received_at_ms < $1 ORDER BY received_at_ms, id LIMIT ${BATCH}`,
      [cutoff],
    );
    const beacons: BeaconRow[] = rows.map((r) => ({ id: r.id, receivedAtMs: r.received_at_ms, challengeId: r.challenge_id, report: fromJson(r.report) as BeaconReport }));
    const witnessesByData = await loadWitnesses([...new Set(beacons.map((b) => b.report.dataHex))]);
    const outcomes: Outcome[] = beacons.map((b) => {
      const ws = witnessesByData.get(b.report.dataHex) ?? [];
      witnessesByData.delete(b.report.dataHex);
      const stale = (w: StoredWitnessReport, index: number): WitnessVerdict => ({
        index,
        hotspot: w.report.hotspot, receivedAtMs: w.receivedAtMs, status: 'invalid', reason: 'stale', selected: false,
        hexScale: '0', rewardUnit: '0', location: d.directory.get(w.report.hotspot)?.location ?? null, distanceM: null,
      });
      return {
        beacon: b,
        witnesses: ws,
        verdict: {
          beacon: { status: 'invalid', reason: 'stale', hexScale: '0', rewardUnit: '0', location: d.directory.get(b.report.hotspot)?.location ?? null },
          witnesses: ws.map(stale),
          dropped: [],
        },
      };
    });
    for (let i = 0; i < outcomes.length; i += CHUNK) await publish(await store(outcomes.slice(i, i + CHUNK), nowMs, 'stale'));
    const w = await d.sql.query("UPDATE witness_reports SET status = 'stale' WHERE status = 'ready' AND received_at_ms < $1", [cutoff]);
    return outcomes.length + w.rowCount;
  }

  /** One verifier tick under the advisory lock. */
  async function tick(): Promise<void> {
    await d.sql.withAdvisoryLock(LOCKS.verifier, async () => {
      const nowMs = d.clock.now();
      let n: number;
      do n = await verifyReady(nowMs);
      while (n >= BATCH);
      await purgeStale(nowMs);
    });
  }

  return { tick, verifyReady, purgeStale };
}

export type Verifier = ReturnType<typeof createVerifier>;
