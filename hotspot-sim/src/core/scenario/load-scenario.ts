/**
 * Parse and validate a scenario (schema.ts), then fill in every default so the rest of the simulator
 * sees one complete, resolved object. Errors carry the JSON path and a message.
 */
import Value from 'typebox/value';
import type { Static, TSchema } from 'typebox';
import { resolveParams, HELIUM_REGIONS, type NetworkParams } from '@hexium/shared/params/index';
import { PROPAGATION_PRESETS } from '@hexium/shared/radio/index';
import { regionForLocation } from '@hexium/shared/geo/index';
import { ScenarioSchema, ExperimentScenarioSchema, type Scenario, type Distribution, type Adversary, type ExperimentScenario, type Area } from './schema.ts';
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
  propagation: {
    preset: string;
    fadingSigmaDb: number;
    noiseFigureDb: number;
    demodulators: number;
    /** Collision and path-loss rules handed to the medium (only those the scenario sets). */
    rules: { capture?: boolean; criticalSection?: boolean; interference?: 'pairwise' | 'sum'; freeSpaceFloor?: boolean };
  };
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

/** JSON text of a scenario or experiment file; a ScenarioError at `/` when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ScenarioError([{ path: '/', message: `not JSON: ${(e as Error).message}` }]);
  }
}

/** Check `data` against a file schema; a ScenarioError with the first 12 schema errors when it fails. */
function checkSchema<T extends TSchema>(schema: T, data: unknown): asserts data is Static<T> {
  if (Value.Check(schema, data)) return;
  throw new ScenarioError([...Value.Errors(schema, data)].slice(0, 12).map((e) => ({ path: e.instancePath || '/', message: e.message })));
}

/** Parse JSON text and resolve it; throws ScenarioError with path + message lines. */
export function parseScenario(text: string): ResolvedScenario {
  return resolveScenario(parseJson(text));
}

export function resolveScenario(data: unknown): ResolvedScenario {
  if (typeof data === 'object' && data !== null && 'experiment' in data) {
    throw new ScenarioError([{ path: '/experiment', message: 'this is an experiment file: run it with "hotspot-sim experiment <file>"' }]);
  }
  checkSchema(ScenarioSchema, data);
  const s: Scenario = data;
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
      rules: {
        ...s.propagation?.collisions,
        ...(s.propagation?.freeSpaceFloor === undefined ? {} : { freeSpaceFloor: s.propagation.freeSpaceFloor }),
      },
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

/** A per-node parameter: one value for all nodes, or a set each node draws from uniformly. */
export type NodePick<T> = { fixed: T } | { choice: T[] };

/** An experiment file with every default filled in (docs/simulator.md "Experiment scenarios"). */
export interface ResolvedExperiment {
  source: ExperimentScenario;
  name: string;
  seed: number;
  /** Gateway positions, metres. */
  gateways: [number, number][];
  gatewayGainDbi: number;
  demodulators: number;
  noiseFigureDb: number;
  /** Node counts, one result row each (a single count is a one-point sweep). */
  nodeCounts: number[];
  placement: { kind: 'disc'; radiusM: number } | { kind: 'area'; polygon: Polygon };
  intervalS: number;
  payloadBytes: number;
  preambleSymbols: number;
  sf: NodePick<number>;
  bandwidthHz: NodePick<number>;
  codingRate: NodePick<number>;
  txPowerDbm: NodePick<number>;
  channel: NodePick<number>;
  nodeGainDbi: number;
  pathLoss: { d0M: number; pl0Db: number; gamma: number; sigmaDb: number };
  collisions:
    | { model: 'none' }
    | { model: 'destructive' }
    | { model: 'capture'; thresholdDb: number; criticalSectionSymbols: number; sfIsolation: boolean };
  duration: { seconds: number } | { packetsPerNode: number };
}

function pick<T>(v: T | { choice: T[] } | undefined, dflt: T, map: (x: T) => T = (x) => x): NodePick<T> {
  if (v === undefined) return { fixed: map(dflt) };
  if (typeof v === 'object' && v !== null && 'choice' in v) return { choice: v.choice.map(map) };
  return { fixed: map(v) };
}

/** Parse JSON text of an experiment file and resolve it; throws ScenarioError with path + message lines. */
export function parseExperiment(text: string): ResolvedExperiment {
  return resolveExperiment(parseJson(text));
}

export function resolveExperiment(data: unknown): ResolvedExperiment {
  if (typeof data === 'object' && data !== null && !('experiment' in data)) {
    throw new ScenarioError([{ path: '/experiment', message: 'no "experiment" section: this is a network scenario (run it with "hotspot-sim run <file>")' }]);
  }
  checkSchema(ExperimentScenarioSchema, data);
  const s: ExperimentScenario = data;
  const x = s.experiment;
  const issues: { path: string; message: string }[] = [];
  const gateways: [number, number][] =
    'points' in x.gateways
      ? x.gateways.points.map(([a, b]) => [a, b])
      : Array.from({ length: x.gateways.grid.rows * x.gateways.grid.cols }, (_, i) => {
          const g = (x.gateways as { grid: { rows: number; cols: number; spacingM: number } }).grid;
          return [(i % g.cols) * g.spacingM, Math.floor(i / g.cols) * g.spacingM];
        });
  let placement: ResolvedExperiment['placement'] = { kind: 'disc', radiusM: 1 };
  if ('disc' in x.nodes.placement) placement = { kind: 'disc', radiusM: x.nodes.placement.disc.radiusM };
  else {
    const area: Area = x.nodes.placement.area;
    const preset = 'preset' in area ? AREA_PRESETS[area.preset] : undefined;
    if ('preset' in area && !preset) issues.push({ path: '/experiment/nodes/placement/area/preset', message: `unknown area preset "${area.preset}" (known: ${AREA_PRESET_NAMES.join(', ')})` });
    else {
      try {
        placement = { kind: 'area', polygon: areaPolygon(preset ? { bbox: preset.bbox } : area) };
      } catch (e) {
        issues.push({ path: '/experiment/nodes/placement/area', message: (e as Error).message });
      }
    }
  }
  const counts = typeof x.nodes.count === 'number' ? [x.nodes.count] : x.nodes.count;
  for (let i = 1; i < counts.length; i++) {
    if (counts[i] <= counts[i - 1]) issues.push({ path: `/experiment/nodes/count/${i}`, message: `a sweep's node counts must increase (${counts[i - 1]} then ${counts[i]})` });
  }
  const bws = x.nodes.bandwidthKhz === undefined ? [125] : typeof x.nodes.bandwidthKhz === 'number' ? [x.nodes.bandwidthKhz] : x.nodes.bandwidthKhz.choice;
  for (const bw of bws) if (![125, 250, 500].includes(bw)) issues.push({ path: '/experiment/nodes/bandwidthKhz', message: `bandwidth must be 125, 250 or 500 kHz, got ${bw}` });
  if (issues.length > 0) throw new ScenarioError(issues);
  const c = x.collisions;
  return {
    source: s,
    name: s.name,
    seed: s.seed,
    gateways,
    gatewayGainDbi: x.gatewayGainDbi ?? 0,
    demodulators: x.demodulators ?? 8,
    noiseFigureDb: x.noiseFigureDb ?? 6,
    nodeCounts: counts,
    placement,
    intervalS: x.nodes.intervalS,
    payloadBytes: x.nodes.payloadBytes,
    preambleSymbols: x.nodes.preambleSymbols ?? 8,
    sf: pick(x.nodes.sf, 7),
    bandwidthHz: pick(x.nodes.bandwidthKhz, 125, (k) => k * 1000),
    codingRate: pick(x.nodes.codingRate, 1),
    txPowerDbm: pick(x.nodes.txPowerDbm, 14),
    channel: pick(x.nodes.channel, 0),
    nodeGainDbi: x.nodes.gainDbi ?? 0,
    pathLoss: { ...x.pathLoss },
    collisions:
      c.model === 'capture'
        ? { model: 'capture', thresholdDb: c.thresholdDb ?? 6, criticalSectionSymbols: c.criticalSectionSymbols ?? 3, sfIsolation: c.sfIsolation ?? false }
        : { model: c.model },
    duration: 'seconds' in x.duration ? { seconds: x.duration.seconds } : { packetsPerNode: x.duration.packetsPerNode },
  };
}
