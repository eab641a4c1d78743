import { describe, it, expect } from 'vitest';
import { HELIUM_PARAMS } from '@hexium/shared/params/index';
import { rewardUnits } from './reward-units.ts';

// HIP-15 as the oracle ran it (runner.rs test `reward_unit_calculations`, spec §(c)), N = 4, r = 0.8, cap 2.
const TX = ['0.25', '0.5', '0.75', '1', '1.2', '1.36', '1.488', '1.5904', '1.6723', '1.7379', '1.7903', '1.8322', '1.8658', '1.8926', '1.9141'];
const RX = ['1', '1', '1', '1', '0.76', '0.6067', '0.5017', '0.4262', '0.3697', '0.3262', '0.2918', '0.264', '0.2411', '0.222', '0.2057'];

describe('HIP-15 reward units', () => {
  it('match the published table for 1 to 15 valid selected witnesses', () => {
    for (let w = 1; w <= 15; w++) expect(rewardUnits(w, HELIUM_PARAMS), `w=${w}`).toEqual({ beacon: TX[w - 1], witness: RX[w - 1] });
  });

  it('are zero for a beacon without valid witnesses', () => {
    expect(rewardUnits(0, HELIUM_PARAMS)).toEqual({ beacon: '0', witness: '0' });
  });

  it('switch formula exactly above N: w = 4 is linear (1, 1), w = 5 decays (2 − 0.8 = 1.2, (4 − 0.2)/5 = 0.76)', () => {
    expect(rewardUnits(4, HELIUM_PARAMS)).toEqual({ beacon: '1', witness: '1' });
    expect(rewardUnits(5, HELIUM_PARAMS)).toEqual({ beacon: '1.2', witness: '0.76' });
  });

  it('round to 4 places with banker\'s rounding: w = 6 gives RX (4 − 0.36)/6 = 0.60666… → 0.6067', () => {
    expect(rewardUnits(6, HELIUM_PARAMS).witness).toBe('0.6067');
  });

  it('cap the beaconer unit at the cap parameter (cap 1.5: 2 − 0.8^4 = 1.5904 → 1.5)', () => {
    const params = { ...HELIUM_PARAMS, hip15: { ...HELIUM_PARAMS.hip15, txRewardUnitCap: '1.5' } };
    expect(rewardUnits(8, params).beacon).toBe('1.5');
    expect(rewardUnits(7, params).beacon).toBe('1.488'); // 2 − 0.8^3 = 1.488 is under the cap
  });

  it('keep the total per beacon near N + 1 = 5 (w = 14: 1.8926 + 14 × 0.2220 = 1.8926 + 3.108 = 5.0006)', () => {
    const u = rewardUnits(14, HELIUM_PARAMS);
    expect(Number(u.beacon) + 14 * Number(u.witness)).toBeCloseTo(5.0006, 10);
  });
});
