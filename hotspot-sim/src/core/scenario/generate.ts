/** Build a scenario object from a few parameters (`hotspot-sim generate`). */
import type { Scenario } from './schema.ts';
import { AREA_PRESETS } from './area-presets.ts';

export interface GenerateOptions {
  hotspots: number;
  sensors: number;
  /** A preset name or "w,s,e,n". */
  area: string;
  seed: number;
  epochs?: number;
  params?: string;
  name?: string;
}

export function parseArea(area: string): Scenario['area'] {
  if (AREA_PRESETS[area]) return { preset: area };
  const parts = area.split(',').map((s) => Number(s.trim()));
  if (parts.length === 4 && parts.every(Number.isFinite)) return { bbox: parts as [number, number, number, number] };
  throw new RangeError(`area must be a preset (${Object.keys(AREA_PRESETS).join(', ')}) or "west,south,east,north", got "${area}"`);
}

export function generateScenario(o: GenerateOptions): Scenario {
  const area = parseArea(o.area);
  return {
    name: o.name ?? `${o.hotspots} hotspots in ${o.area}`,
    seed: o.seed,
    params: o.params ?? 'demo',
    area,
    duration: { epochs: o.epochs ?? 1 },
    hotspots: { count: o.hotspots, placement: { kind: 'uniform' }, gainDbi: { choice: [1.2, 3, 5.8] }, elevationM: { uniform: [3, 25] } },
    sensors: { count: o.sensors, intervalS: 60, jitter: 0.2, confirmedShare: 0.1, otaaShare: 0.5, dataRate: 'auto' },
    adversaries: [],
  };
}
