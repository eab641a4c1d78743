import { describe, expect, it } from 'vitest';
import { reportedSignal } from './reported-signal.ts';

describe('reportedSignal (radio.md §1.5)', () => {
  it('rounds RSSI to whole dBm and SNR to 0.25 dB steps', () => {
    // −118.397 → −118; −1.366 → round(−5.464)/4 = −5/4 = −1.25
    expect(reportedSignal(-118.397, -1.366)).toEqual({ rssiDbm: -118, snrDb: -1.25 });
    // −131.6 → −132; −14.6 → round(−58.4)/4 = −58/4 = −14.5; 7.9 → round(31.6)/4 = 32/4 = 8
    expect(reportedSignal(-131.6, -14.6)).toEqual({ rssiDbm: -132, snrDb: -14.5 });
    expect(reportedSignal(-60.2, 7.9).snrDb).toBe(8);
  });

  it('clamps SNR at 15 dB, the top of the SX127x SNR register', () => {
    expect(reportedSignal(-40, 15).snrDb).toBe(15);
    expect(reportedSignal(-40, 15.1).snrDb).toBe(15);
    expect(reportedSignal(-40, 60).snrDb).toBe(15);
  });

  it('never reports −0', () => {
    expect(Object.is(reportedSignal(-0.2, -0.1).rssiDbm, 0)).toBe(true);
    expect(Object.is(reportedSignal(-0.2, -0.1).snrDb, 0)).toBe(true);
  });
});
