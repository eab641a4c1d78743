/**
 * The harness scenario file (docs/harness-scenarios.md): a simulator scenario (hotspot-sim's format,
 * docs/simulator.md) plus an `expect` block of what the oracle must conclude. TypeBox schema, so the
 * loader and the docs agree on every field; the simulator validates `scenario` itself.
 */
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { INVALID_REASONS } from '@hexium/shared/protocol/index';
import { parseMatcher } from './matchers.ts';

const Matcher = Type.Union([Type.Number(), Type.String({ minLength: 1 })], { description: 'number = exactly; ">= n", "> n", "<= n", "< n", "== n", "!= n", "a..b"' });
const Reasons = Type.Record(Type.String(), Matcher, { description: 'reason → matcher' });

const Verdicts = Type.Object(
  {
    total: Type.Optional(Matcher),
    valid: Type.Optional(Matcher),
    invalid: Type.Optional(Matcher),
    /** Count per invalid reason; a reason not listed is not checked (see onlyReasons). */
    reasons: Type.Optional(Reasons),
    /** Every invalid verdict must carry one of these reasons. */
    onlyReasons: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

const Rewards = Type.Object(
  {
    /** Sums over the group's hotspots, in bones. */
    total: Type.Optional(Matcher),
    beacon: Type.Optional(Matcher),
    witness: Type.Optional(Matcher),
    dcTransfer: Type.Optional(Matcher),
    /** How many of the group's hotspots earned anything. */
    earning: Type.Optional(Matcher),
  },
  { additionalProperties: false },
);

export const GroupExpectSchema = Type.Object(
  {
    /** Hotspots in the group (ground truth from the simulator). */
    hotspots: Type.Optional(Matcher),
    /** Rounds the group's hotspots beaconed in, and their beacon verdicts. */
    beacons: Type.Optional(Verdicts),
    /** Witness reports by the group's hotspots, and their verdicts. */
    witnesses: Type.Optional(Verdicts),
    /** Share (0..1) of the group's beacon + witness reports the oracle rejected. */
    detectionRate: Type.Optional(Matcher),
    rewards: Type.Optional(Rewards),
    /** HIP-17 hex scale (decimal string, 4 dp) in each hotspot's latest round as beaconer or witness. */
    hexScale: Type.Optional(
      Type.Object(
        {
          /** Every hotspot of the group ends with this scale. */
          final: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' })),
          /** How many hotspots end with each scale: { "0.25": 4, "1": 4 }. */
          finalCounts: Type.Optional(Type.Record(Type.String(), Matcher)),
          /** Every scale seen in any of the group's rounds is one of these. */
          allowed: Type.Optional(Type.Array(Type.String())),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type GroupExpect = Static<typeof GroupExpectSchema>;

export const ExpectSchema = Type.Object(
  {
    /** Reward manifests written (one per epoch). */
    epochs: Type.Optional(Matcher),
    /** PoC rounds verified. */
    rounds: Type.Optional(Matcher),
    /** Invalid witness verdicts per reason over every hotspot. */
    invalidWitnessReasons: Type.Optional(Reasons),
    invalidBeaconReasons: Type.Optional(Reasons),
    /** Packet router: DC charged, uplinks heard by at least one hotspot. */
    dcSpent: Type.Optional(Matcher),
    uplinks: Type.Optional(Matcher),
    uplinksDelivered: Type.Optional(Matcher),
    /** Per group: "honest" or an adversary kind (location-spoofer, rssi-inflater, …), or "all". */
    groups: Type.Optional(Type.Record(Type.String(), GroupExpectSchema)),
    /**
     * Relations between groups: "<group>.<metric> <op> <group>.<metric>|<number>", metric one of
     * beacons.valid|invalid|total, witnesses.valid|invalid|total, detectionRate,
     * rewards.<total|beacon|witness|dcTransfer>[.sum|.min|.max|.mean] (default .sum).
     */
    relations: Type.Optional(Type.Array(Type.String())),
    /** Run twice with the same seed: the reward manifest hashes must be identical. */
    deterministic: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Expect = Static<typeof ExpectSchema>;

export const HarnessScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    /** What is tested and why the expected numbers are what they are (worked out by hand). */
    description: Type.String({ minLength: 1 }),
    /** What Helium's rules do NOT catch in this scenario, stated in the report. */
    notCaught: Type.Optional(Type.String()),
    /** The simulator scenario (hotspot-sim format). */
    scenario: Type.Record(Type.String(), Type.Unknown()),
    expect: ExpectSchema,
  },
  { additionalProperties: false },
);
export type HarnessScenario = Static<typeof HarnessScenarioSchema>;

export class HarnessFileError extends Error {
  override name = 'HarnessFileError';
}

const KNOWN_REASONS = new Set<string>(INVALID_REASONS);

/** Parse and validate a harness scenario file's text; errors name the JSON path. */
export function parseHarnessScenario(text: string, file = '<input>'): HarnessScenario {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new HarnessFileError(`${file}: not JSON: ${(e as Error).message}`);
  }
  if (!Value.Check(HarnessScenarioSchema, data)) {
    const lines = [...Value.Errors(HarnessScenarioSchema, data)].slice(0, 8).map((e) => `  ${e.instancePath || '/'}: ${e.message}`);
    throw new HarnessFileError(`${file}: invalid harness scenario:\n${lines.join('\n')}`);
  }
  const h = data as HarnessScenario;
  const problems: string[] = [];
  const checkMatcher = (path: string, m: unknown) => {
    try {
      parseMatcher(m as number | string);
    } catch (e) {
      problems.push(`${path}: ${(e as Error).message}`);
    }
  };
  const checkReasons = (path: string, r: Record<string, unknown> | undefined) => {
    for (const [k, v] of Object.entries(r ?? {})) {
      if (!KNOWN_REASONS.has(k)) problems.push(`${path}/${k}: unknown reason (Helium's names: ${INVALID_REASONS.join(', ')})`);
      checkMatcher(`${path}/${k}`, v);
    }
  };
  const e = h.expect;
  for (const k of ['epochs', 'rounds', 'dcSpent', 'uplinks', 'uplinksDelivered'] as const) if (e[k] !== undefined) checkMatcher(`/expect/${k}`, e[k]);
  checkReasons('/expect/invalidWitnessReasons', e.invalidWitnessReasons);
  checkReasons('/expect/invalidBeaconReasons', e.invalidBeaconReasons);
  for (const [g, ge] of Object.entries(e.groups ?? {})) {
    const base = `/expect/groups/${g}`;
    for (const part of ['beacons', 'witnesses'] as const) {
      const v = ge[part];
      if (!v) continue;
      for (const k of ['total', 'valid', 'invalid'] as const) if (v[k] !== undefined) checkMatcher(`${base}/${part}/${k}`, v[k]);
      checkReasons(`${base}/${part}/reasons`, v.reasons);
      for (const r of v.onlyReasons ?? []) if (!KNOWN_REASONS.has(r)) problems.push(`${base}/${part}/onlyReasons: unknown reason "${r}"`);
    }
    for (const [k, v] of Object.entries(ge.rewards ?? {})) checkMatcher(`${base}/rewards/${k}`, v);
    if (ge.detectionRate !== undefined) checkMatcher(`${base}/detectionRate`, ge.detectionRate);
    if (ge.hotspots !== undefined) checkMatcher(`${base}/hotspots`, ge.hotspots);
  }
  if (problems.length) throw new HarnessFileError(`${file}: invalid expectations:\n  ${problems.join('\n  ')}`);
  return h;
}
