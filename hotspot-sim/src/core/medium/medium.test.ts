import { describe, it, expect } from 'vitest';
import { Medium, type Transmission, type Gateway, type Listener } from './medium.ts';
import { linkShadowDb } from '@hexium/shared/radio/shadowing';
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

describe('medium fidelity rules', () => {
  // Free space, 868.1 MHz, every antenna 10 m high: FSPL(d) = 20·log10(d_m) + 20·log10(868.1e6) − 147.55
  // = 20·log10(d_m) + 31.22 dB (radio.md §3.1): 91.22 dB at 1 km, 71.22 dB at 100 m, 77.24 dB at 200 m.
  it('half duplex: a gateway that starts transmitting mid-reception loses that reception', () => {
    const m = new Medium(cfg, [gw(100)]);
    const a = tx({ startMs: 0, endMs: 100 });
    m.begin(a, [0]);
    m.transmitting(0, 150, 50); // transmits 50..150 ms, while a (0..100 ms) is still on the air
    expect(m.end(a)).toEqual([]);
    expect(m.halfDuplexLosses).toBe(1);
    // a reception that ends exactly when the transmission starts is whole
    const b = tx({ startMs: 200, endMs: 300, sourceId: 1001 });
    m.begin(b, [0]);
    m.transmitting(0, 400, 300);
    expect(m.end(b)).toHaveLength(1);
    // and one that starts while the gateway transmits is lost (as before)
    const c = tx({ startMs: 350, endMs: 450, sourceId: 1002 });
    m.begin(c, [0]);
    expect(m.end(c)).toEqual([]);
    expect(m.halfDuplexLosses).toBe(2);
  });

  it('a packet too weak to decode still destroys a decodable one within 6 dB, in either order', () => {
    // −30 dBm EIRP from x to a gateway at 0: Prx = −30 − (20·log10(d) + 31.22) (radio.md §3.1); noise
    // −117 dBm (125 kHz, NF 6), SF7 needs SNR ≥ −7.5 dB, so decodable from −124.5 dBm.
    // W from 1,227 m: −123.0 dBm (decodable); I from 1,733 m: −126.0 dBm (not decodable), 3 dB below W;
    // from 3,000 m: −130.8 dBm, 7.8 dB below W (the co-SF capture threshold is 6 dB)
    const heard = (iDistanceM: number, iFirst: boolean) => {
      const m = new Medium(cfg, [gw(0)]);
      const w = tx({ x: 1227, eirpDbm: -30, sourceId: 1001 });
      const i = tx({ x: -iDistanceM, eirpDbm: -30, sourceId: 1002 });
      for (const t of iFirst ? [i, w] : [w, i]) m.begin(t, [0]);
      expect(m.end(i)).toEqual([]); // never decodable
      return m.end(w).length;
    };
    expect(heard(1733, true)).toBe(0);
    expect(heard(1733, false)).toBe(0);
    expect(heard(3000, true)).toBe(1);
    expect(heard(3000, false)).toBe(1);
  });

  it('8 demodulators serve every channel: a 9th packet waits for one to end, and a cut packet frees its own', () => {
    // an SX1301 demodulates at most 8 packets at once whatever their channels (module comment); each
    // transmitter here has a channel of its own (200 kHz apart), so no two packets collide
    const m = new Medium(cfg, [gw(100)]);
    const on = (k: number, startMs: number, endMs: number) =>
      tx({ freqHz: 867_100_000 + 200_000 * k, startMs, endMs, sourceId: 1000 + k });
    const first = [on(0, 0, 100), ...[1, 2, 3, 4, 5, 6, 7].map((k) => on(k, 0, 300))];
    for (const t of first) m.begin(t, [0]);
    const ninth = on(8, 10, 110);
    m.begin(ninth, [0]);
    expect(m.end(first[0])).toHaveLength(1);
    expect(m.end(ninth)).toEqual([]); // all 8 busy at 10 ms: no-demodulator
    const tenth = on(8, 120, 220); // first[0] has ended: a demodulator is free
    m.begin(tenth, [0]);
    // the gateway transmits 150–160 ms: the 8 packets on the air then are lost (half duplex) …
    m.transmitting(0, 160, 150);
    expect(m.halfDuplexLosses).toBe(8);
    // … and hold no demodulator from then on, though still on the air: 8 new packets at 170 ms all get one
    const later = [9, 10, 11, 12, 13, 14, 15, 16].map((k) => on(k, 170, 270));
    for (const t of later) m.begin(t, [0]);
    for (const t of later) expect(m.end(t)).toHaveLength(1);
    for (const t of [...first.slice(1), tenth]) expect(m.end(t)).toEqual([]);
  });

  it("interference 'sum': two co-SF interferers each 6.02 dB weaker add up to 3.01 dB weaker and destroy the wanted packet", () => {
    // gateway at x = 100; wanted W from x = 0 (100 m), interferers from x = −100 and x = 300 (200 m each):
    // each is 20·log10(200/100) = 6.0206 dB below W, above the 6 dB co-SF capture threshold, so W survives
    // each alone (pairwise); together 2·P → 10·log10(2) = 3.0103 dB more: W − ΣI = 3.0103 dB < 6 → lost.
    const run = (interference: 'pairwise' | 'sum', i2StartMs: number) => {
      const m = new Medium({ ...cfg, interference }, [gw(100)]);
      const w = tx({ x: 0, startMs: 0, endMs: 100 });
      const i1 = tx({ x: -100, startMs: 10, endMs: 60, sourceId: 1001 });
      const i2 = tx({ x: 300, startMs: i2StartMs, endMs: i2StartMs + 30, sourceId: 1002 });
      m.begin(w, [0]);
      m.begin(i1, [0]);
      if (i2StartMs >= 60) m.end(i1);
      m.begin(i2, [0]);
      if (i2StartMs < 60) m.end(i1);
      m.end(i2);
      return m.end(w).length;
    };
    expect(run('pairwise', 20)).toBe(1); // each alone: 6.02 ≥ 6
    expect(run('sum', 20)).toBe(0); // both on the air 20..50 ms: 3.01 < 6
    expect(run('sum', 60)).toBe(1); // i1 gone at 60 ms when i2 starts: never more than one at once
  });

  it("interference 'sum' keeps the matrix across SFs: SF12 wanted vs two SF7 interferers 33 dB stronger each", () => {
    // SF12 wanted against SF7: isolation −36 dB (Goursaud). All from the same place, W at 14 dBm, each
    // interferer at 14 + 33 = 47 dBm: W − I = −33 ≥ −36 survives each alone; both on the air 150..200 ms
    // (after W's critical section starts at 3·32.768 = 98.3 ms): W − ΣI = −33 − 3.01 = −36.01 < −36 → lost.
    const m = new Medium({ ...cfg, interference: 'sum', maxEirpDbm: 47 }, [gw(100)]);
    const w = tx({ sf: 12, startMs: 0, endMs: 1000 });
    const i1 = tx({ sf: 7, eirpDbm: 47, startMs: 100, endMs: 200, sourceId: 1001 });
    const i2 = tx({ sf: 7, eirpDbm: 47, startMs: 150, endMs: 250, sourceId: 1002 });
    m.begin(w, [0]);
    m.begin(i1, [0]);
    m.begin(i2, [0]);
    expect(m.end(i1).length + m.end(i2).length).toBe(0); // the two SF7 packets are 0 dB apart (< 6): both lost
    expect(m.end(w)).toEqual([]);
  });

  it('freeSpaceFloor: false gives the plain log-distance loss, below FSPL + 2 dB when the draw is negative', () => {
    // urban at 10 m: 7.7 + 37.6·log10(10) = 45.3 dB (ns-3 log-distance fit: PL0 = 7.7 dB at d0 = 1 m,
    // γ = 3.76), plus the per-link draw Xσ = linkShadowDb(seed, 1000, 0, 4). With the floors (default) the
    // mean would be lifted to FSPL(10 m) = 51.22 dB and the total to ≥ 53.22 dB; without them
    // Prx = 14 − 45.3 − Xσ exactly, for every seed
    let aboveFloor = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const m = new Medium({ ...cfg, preset: 'urban', seed, freeSpaceFloor: false }, [gw(10)]);
      const prx = m.prxDbm(tx({}), 0).prxDbm;
      expect(prx).toBeCloseTo(14 - 45.3 - linkShadowDb(seed, 1000, 0, 4), 6);
      if (prx > -39.2193) aboveFloor++; // FSPL(10 m) + 2 = 53.2193 dB → −39.2193 dBm, the floor's cap
    }
    expect(aboveFloor).toBeGreaterThan(15); // 45.3 + Xσ < 53.2193 unless Xσ > 7.92 dB (P ≈ 2.4 % at σ = 4)
  });
});

describe('downlinks through the medium', () => {
  // Gateway 0 at x = 0 sends the downlink; the sensor listens at x = 1000 (1 km): 14 − 91.22 = −77.22 dBm.
  const sensor: Listener = { id: 100, x: 1000, y: 0, elevationM: 10, gainDbi: 0, sensitivityDbm: -124 }; // SX1272 SF7/125
  const down = (over: Partial<Transmission> = {}) => tx({ sourceId: 0, x: 0, iqInverted: true, startMs: 0, endMs: 100, ...over });

  it('reaches a listening sensor above its sensitivity, not below (SX1272 SF7/125: −124 dBm)', () => {
    const m = new Medium(cfg, [gw(0)]);
    const d = down();
    m.begin(d, [], [sensor]);
    const heard = m.endAll(d).listeners;
    expect(heard.map((r) => r.listener)).toEqual([100]);
    expect(heard[0].prxDbm).toBeCloseTo(-77.22, 1);
    // −40 dBm EIRP: −40 − 91.22 = −131.22 < −124 → not decoded; −30 dBm: −121.22 ≥ −124 → decoded
    const weak = down({ eirpDbm: -40 });
    m.begin(weak, [], [sensor]);
    expect(m.endAll(weak).listeners).toEqual([]);
    const ok = down({ eirpDbm: -30, startMs: 1000, endMs: 1100 });
    m.begin(ok, [], [sensor]);
    expect(m.endAll(ok).listeners).toHaveLength(1);
  });

  it('is lost at the sensor to a co-channel uplink 20 dB stronger there, whichever starts first; survives a 20 dB weaker one and another channel', () => {
    // uplink from x = 1100 (100 m from the sensor): 14 − 71.22 = −57.22 dBm, 20 dB above the downlink;
    // from x = 11 000 (10 km): 14 − 111.22 = −97.22 dBm, 20 dB below (≥ 6 dB capture)
    for (const upFirst of [true, false]) {
      const m = new Medium(cfg, [gw(0)]);
      const u = tx({ x: 1100, sourceId: 101, startMs: upFirst ? -50 : 20, endMs: upFirst ? 50 : 120 });
      const d = down();
      if (upFirst) m.begin(u, []);
      m.begin(d, [], [sensor]);
      if (!upFirst) m.begin(u, []);
      if (upFirst) m.endAll(u);
      expect(m.endAll(d).listeners).toEqual([]);
      expect(m.listenerCollisions).toBe(1);
    }
    const m = new Medium(cfg, [gw(0)]);
    const far = tx({ x: 11_000, sourceId: 102, startMs: 10, endMs: 110 });
    const other = tx({ x: 1100, sourceId: 101, freqHz: 868_300_000, startMs: 10, endMs: 110 });
    const d = down();
    m.begin(d, [], [sensor]);
    m.begin(far, []);
    m.begin(other, []);
    expect(m.endAll(d).listeners).toHaveLength(1);
  });

  it('gateways hear a downlink (inverted IQ) only as interference: never decoded, but it destroys a weaker uplink', () => {
    // gateway 1 at x = 100: the downlink from x = 0 arrives at 14 − 71.22 = −57.22 dBm; an uplink from
    // x = 1100 (1 km) at 14 − 91.22 = −77.22 dBm, 20 dB weaker → lost
    const m = new Medium(cfg, [gw(0), gw(100)]);
    const u = tx({ x: 1100, sourceId: 101, startMs: 0, endMs: 100 });
    const d = down({ startMs: 10, endMs: 110 });
    m.begin(u, [1]);
    m.begin(d, [1]);
    expect(m.end(u)).toEqual([]);
    expect(m.end(d)).toEqual([]);
    expect(m.collisions).toBe(1);
  });
});
