import { describe, expect, it } from 'vitest';
import { CAPTURE_THRESHOLD_DB, criticalSectionStartMs, isolationDb, SF_ISOLATION_DB, survivesInterference } from './interference.ts';

const F = 868_100_000;
const wanted = { sf: 7, freqHz: F, rssiDbm: -100, startMs: 0, endMs: 50 };

describe('interference (radio.md §1.4)', () => {
  it('holds the Goursaud matrix with 6 dB on the diagonal', () => {
    expect(CAPTURE_THRESHOLD_DB).toBe(6);
    for (let sf = 7; sf <= 12; sf++) expect(SF_ISOLATION_DB[sf][sf]).toBe(6);
    expect(SF_ISOLATION_DB[7]).toEqual({ 7: 6, 8: -16, 9: -18, 10: -19, 11: -19, 12: -20 });
    expect(SF_ISOLATION_DB[12]).toEqual({ 7: -36, 8: -36, 9: -36, 10: -36, 11: -36, 12: 6 });
    expect(isolationDb(9, 7)).toBe(-27);
    expect(isolationDb(10, 12)).toBe(-28);
    expect(() => isolationDb(6, 7)).toThrow(RangeError);
  });

  it('puts the critical section 5 symbols before the end of the preamble', () => {
    // SF7/125: Tsym = 1.024 ms; 8 − 5 = 3 symbols after the start → 3.072 ms; SF12: 3·32.768 = 98.304 ms
    expect(criticalSectionStartMs(0, 7, 125_000)).toBeCloseTo(3.072, 12);
    expect(criticalSectionStartMs(1000, 12, 125_000)).toBeCloseTo(1098.304, 9);
    expect(criticalSectionStartMs(0, 7, 125_000, 12)).toBeCloseTo(7.168, 12); // 7·1.024
  });

  it('co-SF, same channel: survives only when ≥ 6 dB stronger', () => {
    const i = { sf: 7, freqHz: F, startMs: 10, endMs: 60 };
    expect(survivesInterference({ wanted, interferer: { ...i, rssiDbm: -107 } })).toBe(true); // 7 dB
    expect(survivesInterference({ wanted, interferer: { ...i, rssiDbm: -106 } })).toBe(true); // exactly 6 dB
    expect(survivesInterference({ wanted, interferer: { ...i, rssiDbm: -105 } })).toBe(false); // 5 dB
  });

  it('ignores an interferer that ends before the critical section', () => {
    const strong = { sf: 7, freqHz: F, rssiDbm: -80, startMs: -40 };
    expect(survivesInterference({ wanted, interferer: { ...strong, endMs: 3.0 } })).toBe(true); // < 3.072 ms
    expect(survivesInterference({ wanted, interferer: { ...strong, endMs: 3.1 } })).toBe(false);
  });

  it('different channels and non-overlapping packets do not interfere', () => {
    expect(survivesInterference({ wanted, interferer: { sf: 7, freqHz: F + 200_000, rssiDbm: -60, startMs: 0, endMs: 50 } })).toBe(true);
    expect(survivesInterference({ wanted, interferer: { sf: 7, freqHz: F, rssiDbm: -60, startMs: 50, endMs: 90 } })).toBe(true);
  });

  it('inter-SF: survives while SIR ≥ the isolation entry', () => {
    // wanted SF7 vs interferer SF12: −20 dB. −100 vs −82 → SIR −18 ≥ −20 survives; vs −79 → SIR −21 lost
    const i = { sf: 12, freqHz: F, startMs: 0, endMs: 500 };
    expect(survivesInterference({ wanted, interferer: { ...i, rssiDbm: -82 } })).toBe(true);
    expect(survivesInterference({ wanted, interferer: { ...i, rssiDbm: -79 } })).toBe(false);
  });
});
