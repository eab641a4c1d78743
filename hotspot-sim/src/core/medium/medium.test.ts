import { describe, it, expect } from 'vitest';
import { Medium, type Transmission, type Gateway } from './medium.ts';
import { createRng } from '@hexium/shared/random/rng';

const gw = (x: number, gainDbi = 0): Gateway => ({ lat: 52.5, lng: 13.4 + x / 67_800, x, y: 0, elevationM: 10, gainDbi });
const cfg = { preset: 'freespace' as const, seed: 1, fadingSigmaDb: 0, noiseFigureDb: 6, demodulators: 8, maxEirpDbm: 16, maxGainDbi: 0, freqHz: 868_100_000 };
let id = 0;
const tx = (over: Partial<Transmission>): Transmission => ({
  id: id++, sourceId: 1000, lat: 52.5, lng: 13.4, x: 0, y: 0, elevationM: 10, eirpDbm: 14, freqHz: 868_100_000, sf: 7, bandwidthHz: 125_000, startMs: 0, endMs: 100, data: null, ...over,
});

describe('medium physics', () => {
  it('receives at the free-space link budget: 14 dBm at 1 km and 868.1 MHz gives -77.22 dBm', () => {
    // FSPL(1 km, 868.1 MHz) = 20·log10(1000·868.1e6) + 20·log10(4π/c) = 91.22 dB (radio.md §3.1) → 14 − 91.22
    const m = new Medium(cfg, [gw(1000)]);
    expect(m.prxDbm(tx({}), 0).prxDbm).toBeCloseTo(-77.22, 1);
  });

  it('never lets a shadowing draw beat free space + 2 dB on a terrestrial preset', () => {
    // urban (ns-3: 7.7 dB at 1 m, n = 3.76, σ 4 dB) at 10 m: 7.7 + 37.6 = 45.3 dB, below FSPL, so the mean
    // is FSPL(10 m, 868.1 MHz) = 20·log10(0.01) + 20·log10(868.1) + 32.4478 = 51.2193 dB (radio.md §3.1); about half the seeds draw a
    // negative shadowing, which the floor must stop at FSPL + 2: Prx ≤ 14 − 53.2193 = −39.2193 dBm,
    // while positive draws go lower
    let atFloor = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const m = new Medium({ ...cfg, preset: 'urban', seed }, [gw(10)]);
      const prx = m.prxDbm(tx({}), 0).prxDbm;
      expect(prx).toBeLessThanOrEqual(-39.2193 + 1e-3);
      if (prx > -39.2193 - 1e-3) atFloor++;
    }
    expect(atFloor).toBeGreaterThan(5); // the floor did bind (P(all 40 draws positive) = 2^-40)
  });

  it('hears nobody beyond the radio horizon of two 10 m antennas (4.12·(√10+√10) km = 26.06 km)', () => {
    const m = new Medium(cfg, [gw(25_000), gw(27_000)]);
    const t = tx({});
    m.begin(t, [0, 1]);
    expect(m.end(t).map((r) => r.gateway)).toEqual([0]);
  });

  it('drops a co-SF packet within 6 dB of an overlapping one and keeps the stronger one when ≥ 6 dB above', () => {
    // gateway 0 at 100 m; A from 0 m (−17.2 dBm... strong), B from 1000 m: 20·log10(10) = 20 dB weaker
    const m = new Medium(cfg, [gw(100)]);
    const a = tx({ x: 0, startMs: 0, endMs: 100 });
    const b = tx({ x: 1100, startMs: 10, endMs: 110, sourceId: 1001 });
    m.begin(a, [0]);
    m.begin(b, [0]);
    expect(m.end(a).length).toBe(1); // 20 dB above B: captured
    expect(m.end(b).length).toBe(0); // 20 dB below A: lost
  });

  it('keeps both packets on different channels and an interferer that ends before the critical section', () => {
    const m = new Medium(cfg, [gw(100)]);
    const a = tx({ startMs: 0, endMs: 100 });
    const b = tx({ freqHz: 868_300_000, startMs: 0, endMs: 100, sourceId: 1001 });
    m.begin(a, [0]);
    m.begin(b, [0]);
    expect(m.end(a).length + m.end(b).length).toBe(2);
    // SF7/125: Tsym = 1.024 ms; critical section starts 3 symbols in (8 − 5) = 3.072 ms
    const c = tx({ startMs: 1000, endMs: 1100 });
    const d = tx({ startMs: 990, endMs: 1003, sourceId: 1001 });
    m.begin(d, [0]);
    m.begin(c, [0]);
    expect(m.end(c).length).toBe(1);
  });

  it('delivers e^(−2G) of Poisson traffic on one channel and SF without capture (pure ALOHA)', () => {
    const m = new Medium({ ...cfg, capture: false, criticalSection: false, demodulators: 1e9 }, [gw(100)]);
    const rng = createRng(3);
    const T = 100;
    const G = 0.5;
    const n = 4000;
    let t = 0;
    const txs: Transmission[] = [];
    for (let i = 0; i < n; i++) {
      t += -Math.log(1 - rng.next()) * (T / G);
      txs.push(tx({ startMs: t, endMs: t + T, sourceId: 2000 + i }));
    }
    // process in time order: begin each, end those finished before the next start
    const live: Transmission[] = [];
    let ok = 0;
    for (const x of txs) {
      while (live.length && live[0].endMs <= x.startMs) ok += m.end(live.shift()!).length;
      m.begin(x, [0]);
      live.push(x);
    }
    for (const x of live) ok += m.end(x).length;
    // e^(−1) = 0.3679; 4000 trials, σ ≈ √(p(1−p)/n) ≈ 0.0076 → ±0.03 is ~4σ
    expect(ok / n).toBeGreaterThan(Math.exp(-2 * G) - 0.03);
    expect(ok / n).toBeLessThan(Math.exp(-2 * G) + 0.03);
  });
});
