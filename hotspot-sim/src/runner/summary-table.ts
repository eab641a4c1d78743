/** The human summary printed at the end of `hotspot-sim run` (issue 7 "a summary table at the end"). */
import { formatTable } from '@hexium/shared/cli/args';
import type { RunSummary } from './results.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const hnt = (bones: string) => (Number(BigInt(bones)) / 1e8).toFixed(4);

export function formatSummary(s: RunSummary): string {
  const out: string[] = [];
  out.push(
    formatTable(
      [
        ['hotspots / sensors', `${s.hotspots} / ${s.sensors}`],
        ['epochs rewarded', s.epochs],
        ['beacons sent / rounds verified', `${s.beacons} / ${s.rounds}`],
        ['valid beacons', s.validBeacons],
        ['witness reports sent', s.witnesses],
        ['witnesses per beacon (verified)', s.witnessesPerBeacon],
        ['valid witness share', pct(s.validShare)],
        ['uplinks sent / heard by ≥ 1 hotspot', `${s.uplinks} / ${s.uplinksDelivered}`],
        ['data extraction rate', pct(s.dataExtractionRate)],
        ['collisions (receptions lost)', s.collisions],
        ['DC spent', s.dcSpent],
      ],
      ['run', 'value'],
    ),
  );
  const reasons = Object.entries(s.invalidByReason);
  if (reasons.length) out.push(formatTable(reasons, ['invalid witness reason', 'count']));
  const beaconReasons = Object.entries(s.invalidBeaconsByReason);
  if (beaconReasons.length) out.push(formatTable(beaconReasons, ['invalid beacon reason', 'count']));
  const groups = Object.entries(s.rewardsByGroup);
  if (groups.length) out.push(formatTable(groups.map(([g, b]) => [g, hnt(b)]), ['rewards by group', 'HNT']));
  const adv = Object.entries(s.adversaries);
  if (adv.length) {
    out.push(
      formatTable(
        adv.map(([k, a]) => {
          const total = a.beacons.valid + a.beacons.invalid + a.witnesses.valid + a.witnesses.invalid;
          const why = Object.entries(a.rejectedByReason).map(([r, n]) => `${r} ${n}`).join(', ') || '-';
          return [k, a.hotspots.length, total, a.rejected, total ? pct(a.rejected / total) : '-', why, hnt(a.rewardBones)];
        }),
        ['adversary', 'hotspots', 'reports judged', 'rejected', 'share', 'reasons', 'HNT earned'],
      ),
    );
  }
  return out.join('\n');
}
