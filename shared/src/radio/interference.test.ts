import { describe, expect, it } from 'vitest';
import { CAPTURE_THRESHOLD_DB, criticalSectionStartMs, SF_ISOLATION_DB } from './interference.ts';

// The rules themselves (capture, critical section, channels, summed interference) are tested through the
// medium that applies them: hotspot-sim/src/core/medium/medium.test.ts.
describe('interference (radio.md §1.4)', () => {
  it('holds the Goursaud matrix with 6 dB on the diagonal', () => {
    expect(CAPTURE_THRESHOLD_DB).toBe(6);
    for (let sf = 7; sf <= 12; sf++) expect(SF_ISOLATION_DB[sf][sf]).toBe(6);
    expect(SF_ISOLATION_DB[7]).toEqual({ 7: 6, 8: -16, 9: -18, 10: -19, 11: -19, 12: -20 });
    expect(SF_ISOLATION_DB[12]).toEqual({ 7: -36, 8: -36, 9: -36, 10: -36, 11: -36, 12: 6 });
    expect(SF_ISOLATION_DB[9][7]).toBe(-27);
    expect(SF_ISOLATION_DB[10][12]).toBe(-28);
  });

  it('puts the critical section 5 symbols before the end of the preamble', () => {
    // SF7/125: Tsym = 1.024 ms; 8 − 5 = 3 symbols after the start → 3.072 ms; SF12: 3·32.768 = 98.304 ms
    expect(criticalSectionStartMs(0, 7, 125_000)).toBeCloseTo(3.072, 12);
    expect(criticalSectionStartMs(1000, 12, 125_000)).toBeCloseTo(1098.304, 9);
    expect(criticalSectionStartMs(0, 7, 125_000, 12)).toBeCloseTo(7.168, 12); // 7·1.024
  });
});
