/**
 * Adversaries (issue 7 "Adversaries"): which hotspots cheat and how. Roles are assigned from the
 * scenario with the seeded RNG; the ground truth stays in the simulator's output and is never sent to
 * the oracle. What each one does:
 *
 * | kind | behaviour | what Helium's verifier should see |
 * |---|---|---|
 * | location-spoofer | asserts a location `offsetM` (default 5 km) away, transmits from its real place | bad_rssi / max_distance on witnesses of and by it |
 * | rssi-inflater | adds `inflateDb` (default 30 dB) to the RSSI of its witness reports | bad_rssi |
 * | replayer | re-sends each witness report `delayS` (default 30 s) later, re-signed | entropy_expired / duplicate / stale |
 * | colluding-ring | members publish fabricated witnesses of each other's beacons, no radio | nothing, if the RSSI is plausible (Helium does not catch it) |
 * | offline | `always`: never connects; `flaky`: up for `uptime` of every `periodS` | no reports (missing) |
 * | clock-skew | its clock runs `skewMs` (default +120 s) off: timestamps, beacon windows, connect token | irregular timing; refused connection beyond the oracle's auth skew |
 * | silent | never witnesses | no witness reports |
 * | deny-listed | behaves honestly; the run puts it on the oracle's deny list (`PUT /api/v1/denylist`) | denied |
 * | data-only | onboarded with fullHotspot: false, runs the normal firmware | invalid_capability |
 * | self-witness | also publishes a witness report of its own beacon | self_witness (dropped) |
 * | late-witness | holds each witness report `delayMs` (default 6000 ms) before publishing it | too_late |
 */
import type { Rng } from '@hexium/shared/random/rng';
import type { Adversary, AdversaryKind } from './scenario/schema.ts';

export type HotspotRole =
  | { kind: 'honest' }
  | { kind: 'location-spoofer'; offsetM: number }
  | { kind: 'rssi-inflater'; inflateDb: number }
  | { kind: 'replayer'; delayS: number }
  | { kind: 'colluding-ring'; ring: number; rssiDbm: number }
  | { kind: 'offline'; pattern: 'always' | 'flaky'; uptime: number; periodS: number }
  | { kind: 'clock-skew'; skewMs: number }
  | { kind: 'silent' }
  | { kind: 'deny-listed' }
  | { kind: 'data-only' }
  | { kind: 'self-witness' }
  | { kind: 'late-witness'; delayMs: number };

export type RoleKind = HotspotRole['kind'];

export function roleFor(a: Adversary, ring: number): HotspotRole {
  switch (a.kind) {
    case 'location-spoofer':
      return { kind: a.kind, offsetM: a.offsetM ?? 5000 };
    case 'rssi-inflater':
      return { kind: a.kind, inflateDb: a.inflateDb ?? 30 };
    case 'replayer':
      return { kind: a.kind, delayS: a.delayS ?? 30 };
    case 'colluding-ring':
      return { kind: a.kind, ring, rssiDbm: a.rssiDbm ?? -110 };
    case 'offline':
      return { kind: a.kind, pattern: a.pattern ?? 'always', uptime: a.uptime ?? 0.5, periodS: a.periodS ?? 120 };
    case 'clock-skew':
      return { kind: a.kind, skewMs: a.skewMs ?? 120_000 };
    case 'late-witness':
      return { kind: a.kind, delayMs: a.delayMs ?? 6000 };
    default:
      return { kind: a.kind as Exclude<AdversaryKind, 'location-spoofer' | 'rssi-inflater' | 'replayer' | 'colluding-ring' | 'offline' | 'clock-skew' | 'late-witness'> };
  }
}

/** Assign roles to `count` hotspots: a seeded shuffle, then the adversary entries in file order. */
export function assignRoles(count: number, adversaries: Adversary[], rng: Rng): HotspotRole[] {
  const roles: HotspotRole[] = Array.from({ length: count }, () => ({ kind: 'honest' }));
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  let next = 0;
  adversaries.forEach((a, ring) => {
    for (let k = 0; k < a.count; k++) roles[order[next++]] = roleFor(a, ring);
  });
  return roles;
}
