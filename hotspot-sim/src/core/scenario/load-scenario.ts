/**
 * Parse and validate a scenario (schema.ts), then fill in every default so the rest of the simulator
 * sees one complete, resolved object. Errors carry the JSON path and a message.
 */
import Value from 'typebox/value';
import { resolveParams, HELIUM_REGIONS, type NetworkParams } from '@hexium/shared/params/index';
import { PROPAGATION_PRESETS } from '@hexium/shared/radio/index';
import { regionForLocation } from '@hexium/shared/geo/index';
import { ScenarioSchema, type Scenario, type Distribution, type Adversary } from './schema.ts';
import { AREA_PRESETS, AREA_PRESET_NAMES } from './area-presets.ts';
import { areaPolygon, type Polygon } from './geometry.ts';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(readonly issues: { path: string; message: string }[]) {
    super('invalid scenario:\n' + issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'));
  }
}

/** 2026-01-01T00:00:00Z: the default virtual start, aligned to every epoch length that divides a day. */
export const DEFAULT_START_MS = 1_767_225_600_000;

export interface ResolvedScenario {
  source: Scenario;
  name: string;
  seed: number;
  region: string;
  params: NetworkParams;
  paramsInput: string | Record<string, unknown>;
  polygon: Polygon;
  startMs: number;
  /** Simulated duration (ms). With `epochs`, whole epochs from the first epoch boundary. */
  durationMs: number;
  epochs: number | null;
  propagation: { preset: string; fadingSigmaDb: number; noiseFigureDb: number; demodulators: number };
  hotspots: {
    count: number;
    placement: { kind: 'uniform' } | { kind: 'clustered'; clusters: number; spreadM: number } | { kind: 'points'; points: [number, number][] };
    gainDbi: Distribution;
    elevationM: Distribution;
    statsIntervalS: number;
    fleet: string;
  };
  sensors: {
    count: number;
    intervalS: number;
    jitter: number;
    confirmedShare: number;
    otaaShare: number;
    dataRate: number | 'auto';
    elevationM: Distribution;
    org: string;
    dcBalance: number;
  };
  adversaries: Adversary[];
}

/** Parse JSON text and resolve it; throws ScenarioError with path + message lines. */
export function parseScenario(text: string): ResolvedScenario {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError([{ path: '/', message: `not JSON: ${(e as Error).message}` }]);
  }
  return resolveScenario(data);
}

export function resolveScenario(data: unknown): ResolvedScenario {
  if (!Value.Check(ScenarioSchema, data)) {
    const issues = [...Value.Errors(ScenarioSchema, data)].slice(0, 12).map((e) => ({ path: e.instancePath || '/', message: e.message }));
    throw new ScenarioError(issues);
  }
  const s = data as Scenario;
  const issues: { path: string; message: string }[] = [];
  const preset = 'preset' in s.area ? AREA_PRESETS[s.area.preset] : undefined;
  if ('preset' in s.area && !preset) issues.push({ path: '/area/preset', message: `unknown area preset "${s.area.preset}" (known: ${AREA_PRESET_NAMES.join(', ')})` });
  let polygon: Polygon | undefined;
  try {
    polygon = areaPolygon(preset ? { bbox: preset.bbox } : s.area);
  } catch (e) {
    issues.push({ path: '/area', message: (e as Error).message });
  }
  // default region: the preset's, else the one the area's centre lies in (shared regionForLocation)
  const centre = polygon ? [(polygon.bbox[1] + polygon.bbox[3]) / 2, (polygon.bbox[0] + polygon.bbox[2]) / 2] : null;
  const region = s.region ?? preset?.region ?? (centre ? regionForLocation(centre[0], centre[1]) : null) ?? 'US915';
  if (!(HELIUM_REGIONS as readonly string[]).includes(region)) issues.push({ path: '/region', message: `unknown region "${region}" (known: ${HELIUM_REGIONS.join(', ')})` });
  const propPreset = s.propagation?.preset ?? preset?.propagation ?? 'urban';
  if (!(propPreset in PROPAGATION_PRESETS)) issues.push({ path: '/propagation/preset', message: `unknown propagation preset "${propPreset}" (known: ${Object.keys(PROPAGATION_PRESETS).join(', ')})` });
  let params: NetworkParams | undefined;
  try {
    params = resolveParams((s.params ?? 'demo') as never);
  } catch (e) {
    issues.push({ path: '/params', message: (e as Error).message });
  }
  const advTotal = (s.adversaries ?? []).reduce((n, a) => n + a.count, 0);
  if (advTotal > s.hotspots.count) issues.push({ path: '/adversaries', message: `${advTotal} adversaries but only ${s.hotspots.count} hotspots` });
  (s.adversaries ?? []).forEach((a, i) => {
    if (a.kind === 'colluding-ring' && a.count === 1) issues.push({ path: `/adversaries/${i}/count`, message: 'a colluding ring needs at least 2 members' });
  });
  const pl = s.hotspots.placement;
  if (pl?.kind === 'points' && pl.points.length !== s.hotspots.count) issues.push({ path: '/hotspots/placement/points', message: `${pl.points.length} points for ${s.hotspots.count} hotspots (give one per hotspot)` });
  if (issues.length > 0 || !params || !polygon) throw new ScenarioError(issues);
  const startMs = s.startMs ?? DEFAULT_START_MS;
  const epochMs = params.epochLengthS * 1000;
  const epochs = 'epochs' in s.duration ? s.duration.epochs : null;
  // With epochs: run to the end of the last whole epoch, plus the reward offset and the verifier's
  // entropy lifespan so the last epoch's rounds are verified and its manifest written.
  const firstBoundary = Math.ceil(startMs / epochMs) * epochMs;
  const durationMs =
    epochs !== null
      ? firstBoundary - startMs + epochs * epochMs + (params.rewardOffsetS + params.entropyLifespanS) * 1000 + params.verifierPollMs * 2
      : Math.round((s.duration as { seconds: number }).seconds * 1000);
  return {
    source: s,
    name: s.name,
    seed: s.seed,
    region,
    params,
    paramsInput: (s.params ?? 'demo') as string | Record<string, unknown>,
    polygon,
    startMs,
    durationMs,
    epochs,
    propagation: {
      preset: propPreset,
      fadingSigmaDb: s.propagation?.fadingSigmaDb ?? 0,
      noiseFigureDb: s.propagation?.noiseFigureDb ?? 6,
      demodulators: s.propagation?.demodulators ?? 8,
    },
    hotspots: {
      count: s.hotspots.count,
      placement: s.hotspots.placement ?? { kind: 'uniform' },
      gainDbi: s.hotspots.gainDbi ?? { choice: [1.2, 3, 5.8] },
      elevationM: s.hotspots.elevationM ?? { uniform: [3, 25] },
      statsIntervalS: s.hotspots.statsIntervalS ?? 60,
      fleet: s.hotspots.fleet ?? 'sim',
    },
    sensors: {
      count: s.sensors?.count ?? 0,
      intervalS: s.sensors?.intervalS ?? 60,
      jitter: s.sensors?.jitter ?? 0.2,
      confirmedShare: s.sensors?.confirmedShare ?? 0.1,
      otaaShare: s.sensors?.otaaShare ?? 0.5,
      dataRate: s.sensors?.dataRate ?? 'auto',
      elevationM: s.sensors?.elevationM ?? 1.5,
      org: s.sensors?.org ?? 'sim-org',
      dcBalance: s.sensors?.dcBalance ?? 1_000_000_000,
    },
    adversaries: s.adversaries ?? [],
  };
}
