/**
 * Turn the core's verdict into the published `PocResult` (shared/src/protocol/messages.ts). The round
 * id follows Helium's `poc_id = hash(data ‖ u64_be(received_ms) ‖ pub_key)` (iot_verifier/src/lib.rs),
 * with SHA-256 in place of BLAKE3 (node:crypto has no BLAKE3).
 */
import { createHash } from 'node:crypto';
import { publicKeyFromAddress } from '@hexium/shared/identity/index';
import { PROTOCOL_VERSION, type BeaconReport, type PocResult, type WitnessReport } from '@hexium/shared/protocol/index';
import type { PocVerdict, WitnessVerdict } from '../poc/types.ts';

export function pocId(dataHex: string, receivedAtMs: number, hotspot: string): string {
  const ms = Buffer.alloc(8);
  ms.writeBigUInt64BE(BigInt(receivedAtMs));
  return createHash('sha256').update(Buffer.from(dataHex, 'hex')).update(ms).update(publicKeyFromAddress(hotspot)).digest('hex');
}

export interface StoredWitnessReport {
  receivedAtMs: number;
  report: WitnessReport;
}

export function buildPocResult(
  beacon: { report: BeaconReport; receivedAtMs: number; challengeId: string | null },
  witnesses: StoredWitnessReport[],
  verdict: Pick<PocVerdict, 'beacon' | 'witnesses' | 'dropped'>,
  verifiedAtMs: number,
): PocResult {
  const byHotspotTime = new Map<string, WitnessReport>();
  for (const w of witnesses) byHotspotTime.set(`${w.report.hotspot}@${w.receivedAtMs}`, w.report);
  const toWire = (v: WitnessVerdict) => {
    const r = byHotspotTime.get(`${v.hotspot}@${v.receivedAtMs}`);
    return {
      hotspot: v.hotspot,
      receivedAtMs: v.receivedAtMs,
      status: v.status,
      reason: v.reason,
      selected: v.selected,
      location: v.location,
      hexScale: v.hexScale,
      rewardUnit: v.rewardUnit,
      rssiDbm: r?.rssiDbm ?? 0,
      snrDb: r?.snrDb ?? 0,
      distanceM: v.distanceM,
    };
  };
  const result = {
    v: PROTOCOL_VERSION,
    pocId: pocId(beacon.report.dataHex, beacon.receivedAtMs, beacon.report.hotspot),
    dataHex: beacon.report.dataHex,
    beaconer: beacon.report.hotspot,
    receivedAtMs: beacon.receivedAtMs,
    verifiedAtMs,
    beacon: {
      status: verdict.beacon.status,
      reason: verdict.beacon.reason,
      location: verdict.beacon.location,
      hexScale: verdict.beacon.hexScale,
      rewardUnit: verdict.beacon.rewardUnit,
      frequencyHz: beacon.report.frequencyHz,
      dataRate: beacon.report.dataRate,
      txPowerDbm: beacon.report.txPowerDbm,
    },
    witnesses: [...verdict.witnesses, ...verdict.dropped].map(toWire),
  } as unknown as PocResult; // the schema's reason union infers as null only
  if (beacon.challengeId) result.challengeId = beacon.challengeId;
  return result;
}
