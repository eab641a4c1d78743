import { describe, expect, it } from 'vitest';
import { canDecode, linkBudget } from './link-budget.ts';
import { hataPathLossDb } from './okumura-hata.ts';

describe('linkBudget and canDecode (radio.md §1.4, §3.4)', () => {
  it('reproduces the radio.md §3.4 vector: RSSI −118.40 dBm, SNR −1.37 dB, decodable at every SF', () => {
    // 20 + 2 + 3 − 143.40 = −118.40 dBm; SNR = −118.40 − (−117.03) = −1.37 dB
    const pathLossDb = hataPathLossDb(3000, 915e6, { hbM: 30, hmM: 1.5, environment: 'urban' });
    const b = linkBudget({ txPowerDbm: 20, txGainDbi: 2, rxGainDbi: 3, pathLossDb, noiseFigureDb: 6 });
    expect(b.rssiDbm).toBeCloseTo(-118.4, 2);
    expect(b.snrDb).toBeCloseTo(-1.37, 2);
    expect(b.noiseFloorDbm).toBeCloseTo(-117.03, 2);
    for (const sf of [7, 8, 9, 10, 11, 12]) expect(canDecode({ ...b, sf })).toBe(true);
  });

  it('subtracts shadowing and lets SNR go negative', () => {
    // 14 + 0 + 0 − 140 − 5 = −131 dBm; SNR = −131 + 117.0309 = −13.9691 dB
    const b = linkBudget({ txPowerDbm: 14, pathLossDb: 140, shadowingDb: 5 });
    expect(b.rssiDbm).toBe(-131);
    expect(b.snrDb).toBeCloseTo(-13.9691, 4);
    // SF9 needs −12.5 dB → no; SF10 needs −15 dB and S = −132.03 dBm → yes
    expect(canDecode({ ...b, sf: 9 })).toBe(false);
    expect(canDecode({ ...b, sf: 10 })).toBe(true);
  });

  it('decodes exactly at the sensitivity and not 0.01 dB below', () => {
    // SF12 at 125 kHz, NF 6: S = −137.0309 dBm, SNR −20 dB
    const n = -174 + 10 * Math.log10(125_000) + 6;
    expect(canDecode({ rssiDbm: n - 20, snrDb: -20, sf: 12 })).toBe(true);
    expect(canDecode({ rssiDbm: n - 20.01, snrDb: -20.01, sf: 12 })).toBe(false);
  });

  it('uses the bandwidth and noise figure it is given', () => {
    // 500 kHz, NF 6: N = −111.0103; SF7 needs S = −118.5103. −120 dBm fails at 500 kHz and passes at 125 kHz
    expect(canDecode({ rssiDbm: -120, snrDb: -120 + 111.0103, sf: 7, bandwidthHz: 500_000 })).toBe(false);
    expect(canDecode({ rssiDbm: -120, snrDb: -120 + 117.0309, sf: 7 })).toBe(true);
    expect(() => canDecode({ rssiDbm: -100, snrDb: 0, sf: 13 })).toThrow(RangeError);
  });
});
