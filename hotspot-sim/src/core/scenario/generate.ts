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
  /** Mean sensor uplink interval, s (default {@link DEFAULT_SENSOR_INTERVAL_S}). */
  sensorIntervalS?: number;
}

/**
 * Mean uplink interval of a generated sensor: 15 minutes, what a metering or environmental LoRaWAN sensor
 * typically sends (real ones send every 5–60 min). The Things Network's fair use policy allows 30 s of
 * uplink airtime a day per device: at SF10/125 kHz the simulator's 24-byte uplink (13 bytes of LoRaWAN
 * header and MIC, 11 of Cayenne LPP) is on air ≈ 370 ms (Semtech AN1200.13), so one uplink every ~18 min. The demo parameters compress proof-of-coverage time (beacons, epochs), not the sensors:
 * 1,000 sensors then send ≈ 1.1 uplinks/s, as 1,000 real ones would.
 */
export const DEFAULT_SENSOR_INTERVAL_S = 900;

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
    sensors: { count: o.sensors, intervalS: o.sensorIntervalS ?? DEFAULT_SENSOR_INTERVAL_S, jitter: 0.2, confirmedShare: 0.1, otaaShare: 0.5, dataRate: 'auto' },
    adversaries: [],
  };
}
