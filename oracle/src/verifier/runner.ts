/**
 * The runner (spec §(a) "Runner"; oracles iot_verifier/src/runner.rs): the beacons whose entropy has
 * expired (`entropy.timestamp + ENTROPY_LIFESPAN < now`) and whose whole entropy window has been read
 * from the log, each paired with the pending witnesses carrying its payload and verified with the
 * core's `verifyPoc`. Beacons go in report order; a later round sees the history an earlier one wrote.
 * Pure apart from the logger: the caller stores and publishes the outcomes.
 */
import type { Logger } from 'pino';
import type { NetworkParams } from '@hexium/shared/params/index';
import { verifyPoc, PocProcessingError, type EntropyRecord, type HotspotHistory, type PocContext, type PocVerdict } from '../poc/index.ts';
import type { PendingBeacon, PendingReports, PendingWitness } from './pending-reports.ts';

export interface RoundOutcome {
  beacon: PendingBeacon;
  witnesses: PendingWitness[];
  verdict: Pick<PocVerdict, 'beacon' | 'witnesses' | 'dropped'> & Partial<Pick<PocVerdict, 'shares' | 'historyUpdates'>>;
}

export interface RunnerInput {
  pending: PendingReports;
  params: NetworkParams;
  nowMs: number;
  /** Every report received before this instant has been read from the log. */
  readThroughMs: number;
  entropy: (hex: string) => EntropyRecord | undefined;
  history: Map<string, HotspotHistory>;
  ctx: Omit<PocContext, 'entropy' | 'history'>;
  logger: Logger;
  limit: number;
}

/** Beacons ready to verify now, in report order. */
export function readyBeacons(pending: PendingReports, params: NetworkParams, nowMs: number, readThroughMs: number, entropy: (hex: string) => EntropyRecord | undefined): PendingBeacon[] {
  const lifespanMs = params.entropyLifespanS * 1000;
  return pending.beaconsWhere((b) => {
    const e = entropy(b.report.remoteEntropyHex);
    if (!e) return false;
    const expiresMs = e.timestampS * 1000 + lifespanMs;
    return expiresMs < nowMs && expiresMs < readThroughMs;
  });
}

/** Verify up to `limit` ready rounds; settles them in `pending` and advances `history`. */
export function runRounds(i: RunnerInput, beacons: readonly PendingBeacon[]): RoundOutcome[] {
  const out: RoundOutcome[] = [];
  const ctx: PocContext = { ...i.ctx, entropy: i.entropy, history: (a: string) => i.history.get(a) ?? {} };
  for (const b of beacons) {
    if (out.length >= i.limit) break;
    const ws = i.pending.witnessesOf(b.log.dataHex);
    let verdict: PocVerdict;
    try {
      verdict = verifyPoc(
        { beacon: { ...b.report, receivedAtMs: b.log.receivedAtMs, challenged: b.log.challengeId != null }, witnesses: ws.map((w) => ({ ...w.report, receivedAtMs: w.log.receivedAtMs })) },
        ctx,
      );
    } catch (err) {
      if (err instanceof PocProcessingError) {
        i.logger.warn({ err: err.message, beaconer: b.report.hotspot }, 'round left for retry');
        continue;
      }
      throw err;
    }
    i.pending.settle(b, ws);
    applyHistory(i.history, verdict);
    out.push({ beacon: b, witnesses: ws, verdict });
  }
  return out;
}

/** Later rounds see the history earlier ones wrote (GREATEST, as the store applies it). */
function applyHistory(history: Map<string, HotspotHistory>, v: PocVerdict): void {
  const get = (a: string) => {
    let h = history.get(a);
    if (!h) history.set(a, (h = {}));
    return h;
  };
  const hu = v.historyUpdates;
  if (hu.lastBeaconAtMs) {
    const h = get(hu.lastBeaconAtMs[0]);
    h.lastBeaconAtMs = Math.max(h.lastBeaconAtMs ?? 0, hu.lastBeaconAtMs[1]);
  }
  if (hu.lastBeaconReciprocityAtMs) {
    const h = get(hu.lastBeaconReciprocityAtMs[0]);
    h.lastBeaconReciprocityAtMs = Math.max(h.lastBeaconReciprocityAtMs ?? 0, hu.lastBeaconReciprocityAtMs[1]);
  }
  for (const [a, t] of hu.lastWitnessAtMs) get(a).lastWitnessAtMs = Math.max(get(a).lastWitnessAtMs ?? 0, t);
}
