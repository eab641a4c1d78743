import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symbolTimeMs, timeOnAir } from './airtime.ts';

// Every expected value below is the AN1200.13 formula worked by hand (radio.md §1.2):
//   Tsym = 2^SF/BW; Npayload = 8 + max(ceil((8PL − 4SF + 28 + 16CRC − 20IH)/(4(SF − 2DE)))·(CR+4), 0)
//   ToA = (Npre + 4.25 + Npayload)·Tsym
const up = (sf: number, payloadBytes: number, bandwidthHz = 125_000) => timeOnAir({ sf, bandwidthHz, codingRate: 1, payloadBytes });

describe('timeOnAir — published figures (radio.md §1.2, §2.6)', () => {
  it('US915 beacon SF9/125 52 B takes 328.704 ms', () => {
    // Tsym = 512/125000 s = 4.096 ms; num = 416 − 36 + 28 + 16 = 424; 424/36 = 11.8 → 12; Npayload = 8 + 12·5 = 68
    // ToA = (8 + 4.25 + 68)·4.096 = 80.25·4.096 = 328.704 ms
    const r = up(9, 52);
    expect(r.timeOnAirMs).toBeCloseTo(328.704, 9);
    expect(r.symbolTimeMs).toBeCloseTo(4.096, 12);
    expect(r.payloadSymbols).toBe(68);
    expect(r.preambleMs).toBeCloseTo(50.176, 9); // 12.25·4.096
    expect(r.lowDataRateOptimize).toBe(false);
  });

  it('EU868 beacon SF12/125 52 B takes 2465.792 ms with LDRO on', () => {
    // Tsym = 4096/125000 s = 32.768 ms ≥ 16 → DE = 1; num = 416 − 48 + 44 = 412; den = 4·(12 − 2) = 40
    // 412/40 = 10.3 → 11; Npayload = 8 + 55 = 63; ToA = 75.25·32.768 = 2465.792 ms
    const r = up(12, 52);
    expect(r.timeOnAirMs).toBeCloseTo(2465.792, 9);
    expect(r.payloadSymbols).toBe(63);
    expect(r.lowDataRateOptimize).toBe(true);
  });

  it('US915 DR0 (SF10/125) with 24 B PHYPayload takes 370.7 ms, under the 400 ms dwell limit', () => {
    // Tsym = 8.192 ms; num = 192 − 40 + 44 = 196; 196/40 = 4.9 → 5; Npayload = 8 + 25 = 33
    // ToA = 45.25·8.192 = 370.688 ms
    expect(up(10, 24).timeOnAirMs).toBeCloseTo(370.688, 9);
  });

  it('EU868 DR0 (SF12/125) with 64 B PHYPayload takes 2.793 s', () => {
    // num = 512 − 48 + 44 = 508; 508/40 = 12.7 → 13; Npayload = 8 + 65 = 73; ToA = 85.25·32.768 = 2793.472 ms
    expect(up(12, 64).timeOnAirMs).toBeCloseTo(2793.472, 9);
  });
});

describe('timeOnAir — formula cases', () => {
  it('switches LDRO on automatically at SF11/125 (Tsym 16.384 ms) and honours a forced setting', () => {
    // SF11, PL 20: Tsym = 2048/125 = 16.384 ms. DE=1: num = 160 − 44 + 44 = 160; 160/36 = 4.4 → 5 → 33 symbols
    // ToA = 45.25·16.384 = 741.376 ms. DE=0: 160/44 = 3.6 → 4 → 28 symbols; ToA = 40.25·16.384 = 659.456 ms
    const auto = timeOnAir({ sf: 11, bandwidthHz: 125_000, codingRate: 1, payloadBytes: 20 });
    expect(auto.lowDataRateOptimize).toBe(true);
    expect(auto.timeOnAirMs).toBeCloseTo(741.376, 9);
    const off = timeOnAir({ sf: 11, bandwidthHz: 125_000, codingRate: 1, payloadBytes: 20, ldro: false });
    expect(off.lowDataRateOptimize).toBe(false);
    expect(off.timeOnAirMs).toBeCloseTo(659.456, 9);
  });

  it('LDRO auto is off at SF10/125 and on at SF12/250 (Tsym 8.192 vs 16.384 ms)', () => {
    expect(up(10, 20).lowDataRateOptimize).toBe(false);
    expect(up(12, 20, 250_000).lowDataRateOptimize).toBe(true);
    expect(up(11, 20, 250_000).lowDataRateOptimize).toBe(false); // 2048/250 = 8.192 ms
  });

  it('drops the 16 CRC bits for downlinks (crc=false)', () => {
    // SF7/125, 13 B: Tsym = 1.024 ms. CRC off: num = 104 − 28 + 28 = 104; 104/28 = 3.7 → 4 → 28 symbols;
    // ToA = 40.25·1.024 = 41.216 ms. CRC on: 120/28 = 4.3 → 5 → 33 symbols; ToA = 45.25·1.024 = 46.336 ms
    expect(timeOnAir({ sf: 7, bandwidthHz: 125_000, codingRate: 1, payloadBytes: 13, crc: false }).timeOnAirMs).toBeCloseTo(41.216, 9);
    expect(up(7, 13).timeOnAirMs).toBeCloseTo(46.336, 9);
  });

  it('saves the 20 header bits in implicit-header mode', () => {
    // SF7/125, 10 B, CRC on. Implicit: num = 80 − 28 + 28 + 16 − 20 = 76; 76/28 = 2.7 → 3 → 23 symbols;
    // ToA = (12.25 + 23)·1.024 = 35.25·1.024 = 36.096 ms. Explicit: 96/28 = 3.4 → 4 → 28 symbols; ToA = 40.25·1.024 = 41.216 ms
    const implicit = timeOnAir({ sf: 7, bandwidthHz: 125_000, codingRate: 1, payloadBytes: 10, implicitHeader: true });
    expect(implicit.payloadSymbols).toBe(23);
    expect(implicit.timeOnAirMs).toBeCloseTo(36.096, 9);
    expect(up(7, 10).timeOnAirMs).toBeCloseTo(41.216, 9);
  });

  it('uses (CR + 4) symbols per block for coding rate 4/8', () => {
    // SF8/250, CR 4/8 (index 4), 20 B: Tsym = 256/250 = 1.024 ms; num = 160 − 32 + 44 = 172; 172/32 = 5.4 → 6
    // Npayload = 8 + 6·8 = 56; ToA = (12.25 + 56)·1.024 = 68.25·1.024 = 69.888 ms
    const r = timeOnAir({ sf: 8, bandwidthHz: 250_000, codingRate: 4, payloadBytes: 20 });
    expect(r.payloadSymbols).toBe(56);
    expect(r.timeOnAirMs).toBeCloseTo(69.888, 9);
  });

  it('steps by whole (CR+4)-symbol blocks: SF7/125 15 → 16 B adds 5.12 ms', () => {
    // PL 15: 136/28 = 4.9 → 5 → 33 symbols; PL 16: 144/28 = 5.1 → 6 → 38 symbols; 5 symbols·1.024 ms = 5.12 ms
    expect(up(7, 16).timeOnAirMs - up(7, 15).timeOnAirMs).toBeCloseTo(5.12, 9);
  });

  it('adds one symbol time per extra preamble symbol', () => {
    // preamble 16 instead of 8 at SF7/125: +8·1.024 = 8.192 ms
    const long = timeOnAir({ sf: 7, bandwidthHz: 125_000, codingRate: 1, payloadBytes: 13, preambleSymbols: 16 });
    expect(long.timeOnAirMs - up(7, 13).timeOnAirMs).toBeCloseTo(8.192, 9);
  });

  it('never lets the payload term go negative (empty implicit frame without CRC = 8 symbols)', () => {
    // SF12, PL 0, IH 1, CRC 0: num = 0 − 48 + 28 − 20 = −40 → ceil(−40/40)·5 = −5 → max(·, 0) = 0 → 8 symbols
    const r = timeOnAir({ sf: 12, bandwidthHz: 125_000, codingRate: 1, payloadBytes: 0, crc: false, implicitHeader: true });
    expect(r.payloadSymbols).toBe(8);
  });

  it('uses the SX126x variant for SF6 (6.25 preamble symbols, no +8 bits)', () => {
    // SF6/125, 10 B, CRC on, explicit: num = 80 + 16 − 24 + 20 = 92; 92/24 = 3.8 → 4 → 8 + 20 = 28 symbols
    // Tsym = 64/125 = 0.512 ms; ToA = (8 + 6.25 + 28)·0.512 = 42.25·0.512 = 21.632 ms
    expect(timeOnAir({ sf: 6, bandwidthHz: 125_000, codingRate: 1, payloadBytes: 10 }).timeOnAirMs).toBeCloseTo(21.632, 9);
  });

  it('computes the symbol time 2^SF/BW', () => {
    expect(symbolTimeMs(7, 125_000)).toBeCloseTo(1.024, 12);
    expect(symbolTimeMs(12, 500_000)).toBeCloseTo(8.192, 12);
  });

  it('rejects parameters outside the modem range', () => {
    expect(() => up(13, 10)).toThrow(RangeError);
    expect(() => up(4, 10)).toThrow(RangeError);
    expect(() => up(7, 256)).toThrow(/payloadBytes/);
    expect(() => timeOnAir({ sf: 7, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 1 })).toThrow(/codingRate/);
    expect(() => timeOnAir({ sf: 7, bandwidthHz: 0, codingRate: 1, payloadBytes: 1 })).toThrow(/bandwidthHz/);
  });
});

describe('timeOnAir — properties', () => {
  const params = fc.record({
    sf: fc.integer({ min: 7, max: 12 }),
    bandwidthHz: fc.constantFrom(125_000, 250_000, 500_000),
    codingRate: fc.integer({ min: 1, max: 4 }),
    payloadBytes: fc.integer({ min: 0, max: 254 }),
    crc: fc.boolean(),
    implicitHeader: fc.boolean(),
  });

  it('never decreases when the payload grows by one byte, and grows in whole (CR+4)-symbol blocks', () => {
    fc.assert(
      fc.property(params, (p) => {
        const a = timeOnAir(p);
        const b = timeOnAir({ ...p, payloadBytes: p.payloadBytes + 1 });
        expect(b.timeOnAirMs).toBeGreaterThanOrEqual(a.timeOnAirMs);
        expect((b.payloadSymbols - a.payloadSymbols) % (p.codingRate + 4)).toBe(0);
      }),
    );
  });

  it('is preamble plus payload symbols times the symbol time', () => {
    fc.assert(
      fc.property(params, (p) => {
        const r = timeOnAir(p);
        expect(r.timeOnAirMs).toBeCloseTo((8 + 4.25 + r.payloadSymbols) * r.symbolTimeMs, 9);
        expect(r.preambleMs + r.payloadMs).toBeCloseTo(r.timeOnAirMs, 9);
      }),
    );
  });
});
