/**
 * Turn a resolved scenario into concrete hotspots and sensors: positions (uniform or clustered in the
 * area polygon), antenna gains and heights, seeded key pairs, asserted locations (res-12 H3 cells),
 * adversary roles, sensor identities and keys. Everything is drawn from forks of one seeded RNG, so the
 * same scenario and seed give the same network in any process.
 */
import { keyPairFromSeed, type KeyPair } from '@hexium/shared/identity/index';
import { createRng, type Rng } from '@hexium/shared/random/rng';
import { cellFromLatLng } from '@hexium/shared/geo/index';
import { getRegionalPlan, type RegionalPlan } from '@hexium/shared/region/index';
import { meanPathLossDb, requiredSnrDb, noiseFloorDbm, type PropagationPresetName } from '@hexium/shared/radio/index';
import type { ResolvedScenario } from './load-scenario.ts';
import type { Distribution } from './schema.ts';
import { pointInPolygon, offsetLatLng, greatCircleM, type Polygon } from './geometry.ts';
import { assignRoles, type HotspotRole } from '../adversaries.ts';

export interface HotspotSpec {
  index: number;
  key: KeyPair;
  /** Where the radio really is. */
  lat: number;
  lng: number;
  /** What it asserts (differs for a location spoofer). */
  location: string;
  assertedLat: number;
  assertedLng: number;
  gainDbi: number;
  elevationM: number;
  fullHotspot: boolean;
  role: HotspotRole;
}

export interface SensorSpec {
  index: number;
  lat: number;
  lng: number;
  elevationM: number;
  otaa: boolean;
  devEui: string;
  joinEui: string;
  appKey: string;
  devAddr: string;
  nwkSKey: string;
  appSKey: string;
  dr: number;
}

export interface Network {
  hotspots: HotspotSpec[];
  sensors: SensorSpec[];
  plan: RegionalPlan;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function draw(d: Distribution, rng: Rng): number {
  if (typeof d === 'number') return d;
  if ('uniform' in d) return d.uniform[0] + rng.next() * (d.uniform[1] - d.uniform[0]);
  if ('choice' in d) return d.choice[rng.int(0, d.choice.length - 1)];
  let v = rng.normal(d.normal.mean, d.normal.sd);
  if (d.normal.min !== undefined && v < d.normal.min) v = d.normal.min;
  if (d.normal.max !== undefined && v > d.normal.max) v = d.normal.max;
  return v;
}

function uniformPoint(poly: Polygon, rng: Rng): [number, number] {
  const [w, s, e, n] = poly.bbox;
  for (let i = 0; i < 10_000; i++) {
    const lng = w + rng.next() * (e - w);
    const lat = s + rng.next() * (n - s);
    if (pointInPolygon(lng, lat, poly)) return [lat, lng];
  }
  throw new RangeError('could not place a point in the area polygon (is it degenerate?)');
}

function placePoints(n: number, s: ResolvedScenario, rng: Rng): [number, number][] {
  const p = s.hotspots.placement;
  if (p.kind === 'points') return p.points.slice(0, n).map(([lng, lat]) => [lat, lng] as [number, number]);
  if (p.kind === 'uniform') return Array.from({ length: n }, () => uniformPoint(s.polygon, rng));
  const centres = Array.from({ length: p.clusters }, () => uniformPoint(s.polygon, rng));
  return Array.from({ length: n }, () => {
    const [clat, clng] = centres[rng.int(0, centres.length - 1)];
    for (let i = 0; i < 1000; i++) {
      const [lat, lng] = offsetLatLng(clat, clng, Math.abs(rng.normal(0, p.spreadM)), rng.next() * 2 * Math.PI);
      if (pointInPolygon(lng, lat, s.polygon)) return [lat, lng] as [number, number];
    }
    return [clat, clng] as [number, number];
  });
}

/** Build the network of a scenario (seed overrides the scenario's). */
export function materialize(s: ResolvedScenario, seed = s.seed): Network {
  const root = createRng(seed);
  const placeRng = root.fork('placement');
  const keyRng = root.fork('keys');
  const attrRng = root.fork('attributes');
  const roleRng = root.fork('roles');
  const plan = getRegionalPlan(s.region);
  const points = placePoints(s.hotspots.count, s, placeRng);
  const roles = assignRoles(s.hotspots.count, s.adversaries, roleRng);
  const hotspots: HotspotSpec[] = points.map(([lat, lng], index) => {
    const key = keyPairFromSeed(keyRng.bytes(32));
    const role = roles[index];
    let [alat, alng] = [lat, lng];
    const bearing = attrRng.next() * 2 * Math.PI;
    if (role.kind === 'location-spoofer') [alat, alng] = offsetLatLng(lat, lng, role.offsetM, bearing);
    return {
      index,
      key,
      lat,
      lng,
      location: cellFromLatLng(alat, alng, 12),
      assertedLat: alat,
      assertedLng: alng,
      gainDbi: Math.round(draw(s.hotspots.gainDbi, attrRng) * 10) / 10,
      elevationM: Math.max(1, Math.round(draw(s.hotspots.elevationM, attrRng) * 10) / 10),
      fullHotspot: role.kind !== 'data-only',
      role,
    };
  });
  const sensorRng = root.fork('sensors');
  const sensors: SensorSpec[] = [];
  for (let index = 0; index < s.sensors.count; index++) {
    const [lat, lng] = uniformPoint(s.polygon, sensorRng);
    const elevationM = Math.max(0.5, draw(s.sensors.elevationM, sensorRng));
    const otaa = sensorRng.next() < s.sensors.otaaShare;
    const keys = sensorRng.bytes(16 + 16 + 16 + 8);
    sensors.push({
      index,
      lat,
      lng,
      elevationM,
      otaa,
      devEui: hex(keys.subarray(48, 56)),
      joinEui: '70b3d57ed0000000',
      appKey: hex(keys.subarray(0, 16)),
      // ABP addresses from 0x48800000 up; OTAA joins get theirs from the org range 48000000–48ffffff
      devAddr: otaa ? '' : (0x48800000 + index).toString(16).padStart(8, '0'),
      nwkSKey: otaa ? '' : hex(keys.subarray(16, 32)),
      appSKey: otaa ? '' : hex(keys.subarray(32, 48)),
      dr: s.sensors.dataRate === 'auto' ? autoDr(plan, s.propagation.preset as PropagationPresetName, s.propagation.noiseFigureDb, lat, lng, elevationM, hotspots) : s.sensors.dataRate,
    });
  }
  return { hotspots, sensors, plan };
}

/** The fastest uplink DR (125 kHz LoRa) whose SNR margin to the nearest hotspot is ≥ 10 dB (mean path loss). */
function autoDr(plan: RegionalPlan, preset: PropagationPresetName, nf: number, lat: number, lng: number, hmM: number, hotspots: HotspotSpec[]): number {
  let best = Infinity;
  let gw: HotspotSpec | undefined;
  for (const h of hotspots) {
    const d = greatCircleM(lat, lng, h.lat, h.lng);
    if (d < best) {
      best = d;
      gw = h;
    }
  }
  const drs = plan.uplinkDataRates.filter((dr) => {
    const d = plan.dataRates[dr];
    return d.modulation === 'LORA' && d.bandwidthHz === 125_000;
  });
  const slowest = drs.reduce((a, b) => ((plan.dataRates[a] as { sf: number }).sf > (plan.dataRates[b] as { sf: number }).sf ? a : b));
  if (!gw) return slowest;
  const prx = plan.maxEirpDbm + gw.gainDbi - meanPathLossDb(preset, Math.max(best, 1), plan.uplinkChannelsHz[0], { hbM: gw.elevationM, hmM });
  const snr = prx - noiseFloorDbm(125_000, nf);
  let pick = slowest;
  let pickSf = 99;
  for (const dr of drs) {
    const sf = (plan.dataRates[dr] as { sf: number }).sf;
    if (snr - requiredSnrDb(sf) >= 10 && sf < pickSf) {
      pick = dr;
      pickSf = sf;
    }
  }
  return pick;
}
