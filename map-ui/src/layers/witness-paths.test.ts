import { describe, it, expect } from 'vitest';
import { latLngToCell } from 'h3-js';
import { MAX_BEACONED_ROUNDS, MAX_PATHS_PER_BEACON, witnessPaths } from './witness-paths.ts';
import type { PocResult } from '../api/types.ts';

const cell = (lat: number, lng: number) => latLngToCell(lat, lng, 12);
type Witness = PocResult['witnesses'][number];
const w = (hotspot: string, location: string | null, status: 'valid' | 'invalid', reason: string | null): Witness =>
  ({ hotspot, receivedAtMs: 1, status, reason, selected: status === 'valid', location, hexScale: '1', rewardUnit: '1', rssiDbm: -100, snrDb: 0, distanceM: 5000 }) as Witness;
const round = (pocId: string, beaconer: string, loc: string | null, witnesses: PocResult['witnesses']): PocResult => ({
  v: 1, pocId, dataHex: '00'.repeat(51), beaconer, receivedAtMs: 0, verifiedAtMs: 1,
  beacon: { status: 'valid', reason: null, location: loc, hexScale: '1', rewardUnit: '1', frequencyHz: 867_100_000, dataRate: 'SF9BW125', txPowerDbm: 16 },
  witnesses,
});

describe('witnessPaths', () => {
  const A = cell(52.5, 13.4);
  const B = cell(52.55, 13.45);
  const C = cell(52.45, 13.35);

  it('draws every witness of the hotspot\'s own beacons, with verdict and reason', () => {
    const f = witnessPaths('me', [round('r1', 'me', A, [w('x', B, 'valid', null), w('y', C, 'invalid', 'below_min_distance')])]);
    expect(f).toHaveLength(2);
    expect(f.map((x) => [x.properties.witness, x.properties.status, x.properties.reason, x.properties.role])).toEqual([
      ['x', 'valid', null, 'beaconed'],
      ['y', 'invalid', 'below_min_distance', 'beaconed'],
    ]);
    expect(f.map((x) => x.id)).toEqual([0, 1]);
    const [from, to] = f[0].geometry.coordinates;
    expect(from[0]).toBeCloseTo(13.4, 3);
    expect(to[1]).toBeCloseTo(52.55, 3);
  });

  it('draws only its own path for rounds it witnessed, and skips unasserted ends', () => {
    const f = witnessPaths('me', [
      round('r2', 'other', A, [w('me', B, 'invalid', 'too_late'), w('z', C, 'valid', null)]),
      round('r3', 'me', null, [w('x', B, 'valid', null)]),
      round('r4', 'me', A, [w('x', null, 'valid', null)]),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].properties).toMatchObject({ beaconer: 'other', witness: 'me', role: 'witnessed', reason: 'too_late' });
  });

  it('draws only the newest MAX_BEACONED_ROUNDS of its own beacons (a dense city would fill the view)', () => {
    const mine = [0, 1, 2, 3, 4].map((i) => ({ ...round(`b${i}`, 'me', A, [w('x', B, 'valid', null)]), receivedAtMs: i * 1000 }));
    const witnessed = { ...round('o1', 'other', A, [w('me', B, 'valid', null)]), receivedAtMs: 0 };
    const f = witnessPaths('me', [...mine, witnessed]);
    expect(MAX_BEACONED_ROUNDS).toBe(3);
    // newest first: b4, b3, b2 (own beacons), then the older round it witnessed — always drawn.
    expect(f.map((x) => x.properties.pocId)).toEqual(['b4', 'b3', 'b2', 'o1']);
  });

  it('draws the MAX_PATHS_PER_BEACON nearest witnesses of each own beacon (by distanceM, then address)', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ ...w(`w${String(i).padStart(2, '0')}`, B, 'valid', null), distanceM: 10_000 - i * 100 }));
    const f = witnessPaths('me', [round('r', 'me', A, many)]);
    expect(MAX_PATHS_PER_BEACON).toBe(20);
    // w24 is nearest (7,600 m), w05 the 20th (9,500 m); w00–w04 are left out.
    expect(f.map((x) => x.properties.witness)).toEqual(Array.from({ length: 20 }, (_, i) => `w${String(24 - i).padStart(2, '0')}`));
  });
});

