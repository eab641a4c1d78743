import { describe, expect, it } from 'vitest';
import {
  freeSpacePathLossDb,
  hataPathLossDb,
  HataRangeError,
  linkShadowDb,
  logDistancePathLossDb,
  meanPathLossDb,
  PROPAGATION_PRESETS,
  rangeForPathLossM,
  SPEED_OF_LIGHT_M_PER_S,
} from './path-loss.ts';

describe('free-space path loss (radio.md §3.1)', () => {
  it('gives 91.22 dB at 868.1 MHz and 1 km, 111.68 dB at 915 MHz and 10 km', () => {
    // 20·log10(1) + 20·log10(868.1) + 32.4478 = 0 + 58.7714 + 32.4478 = 91.2192
    expect(freeSpacePathLossDb(1000, 868.1e6)).toBeCloseTo(91.22, 2);
    // 20 + 59.2284 + 32.4478 = 111.6762
    expect(freeSpacePathLossDb(10_000, 915e6)).toBeCloseTo(111.68, 2);
  });

  it('matches the ns-3 Friis test: λ = 0.125 m at 100 m → 80.046 dB', () => {
    // ns-3: Pt 17.0206 dBm, Pr 4.98265e-10 W = −63.0254 dBm → PL = 17.0206 + 63.0254 = 80.046 dB
    expect(freeSpacePathLossDb(100, SPEED_OF_LIGHT_M_PER_S / 0.125)).toBeCloseTo(80.046, 3);
  });

  it('grows 20 dB per decade of distance and rejects non-positive input', () => {
    expect(freeSpacePathLossDb(10_000, 868e6) - freeSpacePathLossDb(1000, 868e6)).toBeCloseTo(20, 10);
    expect(() => freeSpacePathLossDb(0, 868e6)).toThrow(RangeError);
    expect(() => freeSpacePathLossDb(100, -1)).toThrow(RangeError);
  });
});

describe('log-distance path loss (radio.md §3.2)', () => {
  it('returns PL0 at d0 and adds 10·n dB per decade', () => {
    // LoRaSim: 127.41 at 40 m; at 400 m: 127.41 + 10·2.08·1 = 148.21
    const lorasim = { d0M: 40, pl0Db: 127.41, exponent: 2.08 };
    expect(logDistancePathLossDb(40, lorasim)).toBeCloseTo(127.41, 10);
    expect(logDistancePathLossDb(400, lorasim)).toBeCloseTo(148.21, 10);
    // Oulu: 128.95 + 23.2·log10(10) = 152.15 at 10 km
    expect(logDistancePathLossDb(10_000, { d0M: 1000, pl0Db: 128.95, exponent: 2.32 })).toBeCloseTo(152.15, 10);
  });

  it('the ns-3 urban preset equals 3GPP macro-urban 120.5 + 37.6·log10(d_km)', () => {
    const m = PROPAGATION_PRESETS.urban.model;
    if (m.kind !== 'log-distance') throw new Error('urban preset must be log-distance');
    // 7.7 + 37.6·log10(1000) = 7.7 + 112.8 = 120.5; at 2 km: 120.5 + 37.6·0.30103 = 131.8187
    expect(logDistancePathLossDb(1000, m)).toBeCloseTo(120.5, 10);
    expect(logDistancePathLossDb(2000, m)).toBeCloseTo(131.8187, 4);
  });
});

describe('Okumura–Hata (radio.md §3.3)', () => {
  // ns-3 okumura-hata-test-suite.cc: 869 MHz, 2 km, hb 30 m, hm 1 m. Formula values worked by hand:
  //   log10 869 = 2.93902, log10 30 = 1.47712, log10 2 = 0.30103
  //   a(hm) small = (1.1·2.93902 − 0.7)·1 − (1.56·2.93902 − 0.8) = 2.53292 − 3.78487 = −1.25195
  //   L_urban(small) = 69.55 + 76.8848 − 20.4138 + 1.25195 + 35.2249·0.30103 = 137.8766
  //   a(hm) large = 3.2·(log10 11.75)² − 4.97 = 3.2·1.14498 − 4.97 = −1.30605 → L = 137.9307
  //   suburban = 137.8766 − 2·(log10(869/28))² − 5.4 = 137.8766 − 4.4513 − 5.4 = 128.0253
  //   open = 137.8766 − 4.78·2.93902² + 18.33·2.93902 − 40.94 = 137.8766 − 41.2889 + 53.8722 − 40.94 = 109.5200
  const ref = { hbM: 30, hmM: 1 };
  it.each([
    ['urban-large', 137.93, 137.9307],
    ['urban', 137.88, 137.8766],
    ['suburban', 128.03, 128.0253],
  ] as const)('%s: ns-3 reference %f dB, formula %f dB', (environment, ns3, formula) => {
    const pl = hataPathLossDb(2000, 869e6, { ...ref, environment });
    expect(Math.abs(pl - formula)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(pl - ns3)).toBeLessThanOrEqual(0.01);
  });

  it('open area uses the standard 4.78 coefficient: 109.52 dB (not ns-3’s 109.66)', () => {
    expect(Math.abs(hataPathLossDb(2000, 869e6, { ...ref, environment: 'open' }) - 109.52)).toBeLessThanOrEqual(0.01);
  });

  it('gives 143.40 dB for urban 915 MHz, 3 km, hb 30 m, hm 1.5 m (radio.md §3.4 vector)', () => {
    // a(hm) = (1.1·2.961421 − 0.7)·1.5 − (1.56·2.961421 − 0.8) = 3.836345 − 3.819817 = 0.016528
    // L = 69.55 + 77.4708 − 20.4138 − 0.0165 + 35.2249·0.477121 = 143.3970
    expect(hataPathLossDb(3000, 915e6)).toBeCloseTo(143.397, 3);
  });

  it('uses the low-frequency large-city a(hm) below 200 MHz', () => {
    // 150 MHz, 2 km, hb 30, hm 1: a_small = (1.1·2.176091 − 0.7) − (1.56·2.176091 − 0.8) = −0.90100
    // a_large(f < 200) = 8.29·(log10 1.54)² − 1.1 = 8.29·0.035164 − 1.1 = −0.80849
    // L_small = 117.5675, L_large = L_small + a_small − a_large = 117.4750
    expect(hataPathLossDb(2000, 150e6, { ...ref, environment: 'urban' })).toBeCloseTo(117.5675, 3);
    expect(hataPathLossDb(2000, 150e6, { ...ref, environment: 'urban-large' })).toBeCloseTo(117.475, 3);
  });

  it('throws HataRangeError outside its validity range unless forced', () => {
    expect(() => hataPathLossDb(500, 915e6)).toThrow(HataRangeError); // 0.5 km < 1 km
    expect(() => hataPathLossDb(25_000, 915e6)).toThrow(/distance 25 km/);
    expect(() => hataPathLossDb(3000, 2400e6)).toThrow(/frequency 2400 MHz/);
    expect(() => hataPathLossDb(3000, 100e6)).toThrow(HataRangeError);
    expect(() => hataPathLossDb(3000, 915e6, { hbM: 15 })).toThrow(/gateway height 15 m/);
    expect(() => hataPathLossDb(3000, 915e6, { hmM: 0.5 })).toThrow(/device height 0.5 m/);
    // The range is inclusive at its edges.
    expect(() => hataPathLossDb(1000, 150e6, { hbM: 200, hmM: 10 })).not.toThrow();
    expect(() => hataPathLossDb(20_000, 1500e6, { hbM: 30, hmM: 1 })).not.toThrow();
    // Forced: the same formula extrapolated. 0.5 km urban 915 MHz: 143.3970 + 35.2249·(log10 0.5 − log10 3)
    //   = 143.3970 − 35.2249·0.778151 = 115.9867
    expect(hataPathLossDb(500, 915e6, { force: true })).toBeCloseTo(115.9867, 3);
  });
});

describe('propagation presets and meanPathLossDb (radio.md §3.4)', () => {
  it('holds the §3.4 parameter sets and σ', () => {
    expect(PROPAGATION_PRESETS['urban-dense']).toMatchObject({ model: { kind: 'log-distance', d0M: 40, pl0Db: 127.41, exponent: 2.08 }, sigmaDb: 3.57 });
    expect(PROPAGATION_PRESETS.rural).toMatchObject({ model: { kind: 'log-distance', d0M: 1000, pl0Db: 128.95, exponent: 2.32 }, sigmaDb: 7.8 });
    expect(PROPAGATION_PRESETS.urban.sigmaDb).toBe(4);
    expect(PROPAGATION_PRESETS.suburban).toMatchObject({ model: { kind: 'hata', environment: 'suburban' }, sigmaDb: 6 });
    expect(PROPAGATION_PRESETS.open.model).toEqual({ kind: 'hata', environment: 'open' });
    expect(PROPAGATION_PRESETS.freespace).toMatchObject({ model: { kind: 'free-space' }, sigmaDb: 0 });
  });

  it('reproduces the §3.4 mean max ranges for a 151.03 dB budget (SF12, 14 dBm, 0 dBi)', () => {
    // urban: 10^((151.03 − 7.7)/37.6) = 10^3.81197 = 6486 m; urban-dense: 40·10^((151.03 − 127.41)/20.8) = 546 m
    // rural: 1000·10^((151.03 − 128.95)/23.2) = 8948 m; suburban (868 MHz, hb 30, hm 1.5) ≈ 9.8 km; open ≈ 32.8 km
    // radio.md rounds to 0.1 km (0.01 km for urban-dense), so allow 0.06 km (0.006 km).
    const km = (p: Parameters<typeof rangeForPathLossM>[0]) => rangeForPathLossM(p, 151.03, 868e6) / 1000;
    expect(Math.abs(km('urban') - 6.5)).toBeLessThan(0.06);
    expect(Math.abs(km('urban-dense') - 0.55)).toBeLessThan(0.006);
    expect(Math.abs(km('rural') - 9.0)).toBeLessThan(0.06);
    expect(Math.abs(km('suburban') - 9.8)).toBeLessThan(0.06);
    expect(Math.abs(km('open') - 32.8)).toBeLessThan(0.06);
  });

  it('equals the model inside its range', () => {
    // suburban 915 MHz 3 km: 143.3970 − 2·(log10(915/28))² − 5.4 = 143.3970 − 4.5860 − 5.4 = 133.4110
    expect(meanPathLossDb('suburban', 3000, 915e6)).toBeCloseTo(133.411, 3);
    expect(meanPathLossDb('rural', 10_000, 868e6)).toBeCloseTo(152.15, 10);
    expect(meanPathLossDb('freespace', 1000, 868.1e6)).toBeCloseTo(91.22, 2);
  });

  it('evaluates Hata with antenna heights of at least 1 m', () => {
    expect(meanPathLossDb('suburban', 3000, 915e6, { hbM: 0, hmM: 0 })).toBe(meanPathLossDb('suburban', 3000, 915e6, { hbM: 1, hmM: 1 }));
  });

  it('extrapolates Hata below 30 m gateways instead of throwing', () => {
    expect(Number.isFinite(meanPathLossDb('suburban', 3000, 915e6, { hbM: 12 }))).toBe(true);
    expect(meanPathLossDb('suburban', 3000, 915e6, { hbM: 12 })).toBeGreaterThan(meanPathLossDb('suburban', 3000, 915e6));
  });

  it('clamps Hata to d ≥ 0.1 km and never goes below free space', () => {
    // suburban 868 MHz at 0.1 km (hb 30, hm 1.5): 80.9202 dB, above FSPL(100 m) = 71.2182 dB → used for 10 m too
    expect(meanPathLossDb('suburban', 10, 868e6)).toBeCloseTo(80.9202, 3);
    expect(meanPathLossDb('suburban', 100, 868e6)).toBeCloseTo(80.9202, 3);
    // open 868 MHz at 0.1 km is 62.4168 dB, below FSPL(100 m) = 71.2182 → free space wins at 100 m
    expect(meanPathLossDb('open', 100, 868e6)).toBeCloseTo(71.2182, 3);
    // ns-3 urban at 10 m is 7.7 + 37.6 = 45.3 dB, below FSPL(10 m, 868 MHz) = 51.2182 dB
    expect(meanPathLossDb('urban', 10, 868e6)).toBeCloseTo(51.2182, 3);
  });

  it('treats distances below 1 m as 1 m and rejects unknown presets', () => {
    expect(meanPathLossDb('freespace', 0, 868e6)).toBe(meanPathLossDb('freespace', 1, 868e6));
    expect(() => meanPathLossDb('swamp' as 'urban', 100, 868e6)).toThrow(/unknown propagation preset/);
  });
});

describe('shadowing', () => {
  it('gives each (seed, link) one fixed value in both directions, independent of call order', () => {
    const first = linkShadowDb(7, 1, 2, 6);
    linkShadowDb(7, 3, 4, 6);
    expect(linkShadowDb(7, 1, 2, 6)).toBe(first);
    expect(linkShadowDb(7, 2, 1, 6)).toBe(first); // path loss is reciprocal
    expect(linkShadowDb(8, 1, 2, 6)).not.toBe(first);
    expect(linkShadowDb(7, 1, 2, 0)).toBe(0);
  });

  it('has mean ≈ 0 and standard deviation ≈ σ over many links', () => {
    // 4000 links, σ = 4: standard error of the mean 4/√4000 = 0.063; bounds are > 4 standard errors.
    const xs = Array.from({ length: 4000 }, (_, i) => linkShadowDb(12345, i, 4000 + i, 4));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.3);
    expect(Math.abs(sd - 4)).toBeLessThan(0.25);
  });
});
