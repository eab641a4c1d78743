/**
 * The purger (oracles iot_verifier/src/purger.rs): a beacon still pending `staleAfterS` after it was
 * received (its entropy never expired or was never known) becomes an invalid round with reason `stale`,
 * together with the witnesses of its payload; witnesses still pending that long are dropped and counted.
 */
import type { WitnessVerdict } from '../poc/index.ts';
import type { PendingReports, PendingWitness } from './pending-reports.ts';
import type { RoundOutcome } from './runner.ts';

/**
 * Settle the beacons received before `cutoffMs` as stale rounds, each with the pending witnesses of its
 * payload. The witnesses left without a beacon are dropped and counted by the verifier
 * (`PendingReports.dropWitnessesBefore`).
 */
export function purgeStaleBeacons(pending: PendingReports, cutoffMs: number, locationOf: (address: string) => string | null): RoundOutcome[] {
  const rounds: RoundOutcome[] = [];
  for (const b of pending.beaconsWhere((x) => x.log.receivedAtMs < cutoffMs)) {
    const ws = pending.witnessesOf(b.log.dataHex);
    pending.settle(b, ws);
    const stale = (w: PendingWitness, index: number): WitnessVerdict => ({
      index, hotspot: w.report.hotspot, receivedAtMs: w.log.receivedAtMs, status: 'invalid', reason: 'stale', selected: false,
      hexScale: '0', rewardUnit: '0', location: locationOf(w.report.hotspot), distanceM: null,
    });
    rounds.push({
      beacon: b,
      witnesses: ws,
      verdict: {
        beacon: { status: 'invalid', reason: 'stale', hexScale: '0', rewardUnit: '0', location: locationOf(b.report.hotspot) },
        witnesses: ws.map(stale),
        dropped: [],
      },
    });
  }
  return rounds;
}
