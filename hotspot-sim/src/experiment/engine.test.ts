/**
 * The laws the experiment engine must obey (docs/radio-validation.md "The laws"). Every expected value
 * is worked by hand in the comments; no figure is taken from the engine's own output.
 */
import { describe, it, expect } from 'vitest';
import { resolveExperiment, type ResolvedExperiment } from '../core/scenario/load-scenario.ts';
import { placeNodes, runExperiment } from './engine.ts';
import { packetKind, ReceptionSweep, type CollisionModel } from './reception-sweep.ts';

/** LoRaSim's channel (Bor et al., MSWiM 2016): PL(d) = 127.41 dB + 10·2.08·log10(d / 40 m), σ = 0. */
const LORASIM_PATH_LOSS = { d0M: 40, pl0Db: 127.41, gamma: 2.08, sigmaDb: 0 };

function experiment(over: Record<string, unknown>, nodes: Record<string, unknown> = {}): ResolvedExperiment {
  return resolveExperiment({
    name: 'law',
    seed: 7,
    experiment: {
      gateways: { points: [[0, 0]] },
      demodulators: 1024,
      nodes: { count: 100, placement: { disc: { radiusM: 100 } }, intervalS: 100, payloadBytes: 20, sf: 7, txPowerDbm: 14, ...nodes },
      pathLoss: LORASIM_PATH_LOSS,
      collisions: { model: 'destructive' },
      duration: { seconds: 1000 },
      ...over,
    },
  });
}

describe('pure ALOHA: one channel, one SF, destructive collisions, everyone in range', () => {
  // SF7/BW125/CR4-5, 20-byte PHYPayload (AN1200.13): Tsym = 2^7/125 kHz = 1.024 ms, no LDRO;
  // payload symbols = 8 + ceil((8·20 − 28 + 28 + 16)/(4·7))·5 = 8 + ceil(6.29)·5 = 43; preamble 8 + 4.25;
  // ToA = 55.25 · 1.024 ms = 56.576 ms.
  const AIRTIME_S = 0.056576;
  // Link: 14 dBm − PL(100 m) = 14 − 127.41 − 20.8·log10(2.5) = −121.69 dBm ≥ SF7 sensitivity
  // −174 + 10·log10(125 000) + 6 − 7.5 = −124.53 dBm: every node in the 100 m disc is in range, so the
  // path loss sets no limit. 1024 demodulator paths: never the limit.
  //
  // Statistics: N = 2000 nodes, duration 250 mean intervals ⇒ about 500 000 packets per point. The DER
  // estimate has binomial sd √(p(1−p)/n); at G = 1, p = e^−2 = 0.1353 ⇒ sd = 0.00048 (0.36 % of p);
  // collisions come in pairs, which at most doubles the variance (0.5 % of p), so the 2 % tolerance is
  // ≥ 4 sd. The finite population shifts the law to e^(−2G(N−1)/N), 0.1 % at G = 1 for N = 2000, and the
  // last airtime of the run (no later interferers) is 1/(250·T/air) of it — both far below 2 %.
  const N = 2000;
  it.each([0.1, 0.25, 0.5, 1])('G = %s: DER within 2 percent of e^(−2G)', (G) => {
    const intervalS = (N * AIRTIME_S) / G; // G = N · airtime / T
    const x = experiment({ duration: { seconds: 250 * intervalS } }, { count: N, intervalS });
    const r = runExperiment(x, N, 11);
    const expected = Math.exp(-2 * G);
    expect(r.total.sent).toBeGreaterThan(480_000);
    expect(Math.abs(r.total.der - expected) / expected).toBeLessThan(0.02);
    expect(r.total.lostSensitivity).toBe(0);
    expect(r.total.lostDemodulator).toBe(0);
  });
});

describe('collision model none: DER is the share of nodes in range', () => {
  // SF12/BW125, 14 dBm, NF 6 dB: sensitivity = −174 + 10·log10(125 000) + 6 − 20 = −137.031 dBm.
  // In range ⇔ 14 − 127.41 − 20.8·log10(d/40) ≥ −137.031 ⇔ log10(d/40) ≤ 23.621/20.8 = 1.135625
  // ⇔ d ≤ 40 · 10^1.135625 = 546.61 m. Nodes are uniform in a 1000 m disc, so the expected share is
  // (546.61/1000)² = 0.29878; with 20 000 nodes its sd is √(0.3·0.7/20 000) = 0.0032 (4 sd = 0.013).
  const RANGE_M = 546.61;
  it('every in-range node is received, every other is lost to sensitivity', () => {
    const n = 20_000;
    const x = experiment(
      { collisions: { model: 'none' }, duration: { packetsPerNode: 2 } },
      { count: n, sf: 12, placement: { disc: { radiusM: 1000 } }, intervalS: 1000 },
    );
    const r = runExperiment(x, n, 3);
    const nodes = placeNodes(x, n, 3);
    let inRange = 0;
    for (let i = 0; i < n; i++) if (Math.hypot(nodes.x[i], nodes.y[i]) <= RANGE_M) inRange++;
    expect(r.total.sent).toBe(2 * n);
    expect(r.total.received).toBe(2 * inRange);
    expect(r.total.lostSensitivity).toBe(2 * (n - inRange));
    expect(r.total.lostCollision).toBe(0);
    expect(Math.abs(r.total.der - (RANGE_M / 1000) ** 2)).toBeLessThan(0.013);
  });
});

describe('shadowing and placement', () => {
  it('with σ = 6 dB, a link whose mean power is 1 σ above sensitivity is in range for Φ(1) = 84.13 % of nodes', () => {
    // Gateways at (0, 0) and (281.3, 0); nodes alternate between 1 m discs around them. SF12, 14 dBm:
    // sensitivity −137.031 dBm (see above); mean power at gateway 0 from the far nodes is
    // 14 − 127.41 − 20.8·log10(281.3/40) = 14 − 127.41 − 17.621 = −131.031 dBm = sensitivity + 6 dB
    // (±1 m moves it by 0.03 dB). In range ⇔ Xσ ≤ 6 dB ⇔ X/σ ≤ 1: probability Φ(1) = 0.8413. The near
    // nodes (d ≤ 1 m, counted as d0 = 40 m: −113.41 dBm) are always in range. 10 000 far nodes: sd of the
    // share √(0.84·0.16/10 000) = 0.0037; tolerance 0.015 ≈ 4 sd.
    const n = 20_000;
    const x = experiment(
      { gateways: { points: [[0, 0], [281.3, 0]] }, pathLoss: { ...LORASIM_PATH_LOSS, sigmaDb: 6 }, collisions: { model: 'none' }, duration: { packetsPerNode: 1 } },
      { count: n, sf: 12, placement: { disc: { radiusM: 1 } }, intervalS: 1000 },
    );
    const r = runExperiment(x, n, 9);
    const farShare = (r.perGateway[0].heard - n / 2) / (n / 2);
    expect(Math.abs(farShare - 0.8413)).toBeLessThan(0.015);
  });
  it('places area nodes inside the area, in metres around its centre', () => {
    // bbox 0.02° × 0.02° at the equator: ±0.01° = ±1113.2 m each way (6 371 008.8 m · π/180 · 0.01).
    const x = experiment({}, { placement: { area: { bbox: [-0.01, -0.01, 0.01, 0.01] } } });
    const nodes = placeNodes(x, 500, 1);
    for (let i = 0; i < 500; i++) {
      expect(Math.abs(nodes.x[i])).toBeLessThanOrEqual(1113.2);
      expect(Math.abs(nodes.y[i])).toBeLessThanOrEqual(1113.2);
    }
    expect(Math.max(...nodes.x)).toBeGreaterThan(1000);
  });
});

/** Drive the sweep by hand: packets [kind, lane (= channel), startMs, [rssi at gateway 0, rssi at gateway 1, …]]. */
function sweep(collisions: CollisionModel, packets: [number, number, number, number[]][], demodulators = 8, gateways = 1) {
  const css = collisions.model === 'capture' ? collisions.criticalSectionSymbols : 0;
  // kind 0: SF12/BW125/CR4-5/20 B; kind 1: SF7/BW125/CR4-5/20 B
  const kinds = [packetKind(12, 125_000, 1, 20, 8, css, 6), packetKind(7, 125_000, 1, 20, 8, css, 6)];
  const s = new ReceptionSweep(kinds, gateways, demodulators, collisions, 4); // lanes 0..3 = channels 0..3 at 125 kHz
  for (const [kind, channel, start, rssis] of packets) {
    const gw = Int32Array.from(rssis.map((_, g) => g));
    s.packet(kind, channel, start, gw, Float32Array.from(rssis), 0, rssis.length);
  }
  s.flush();
  return s;
}

const CAPTURE: CollisionModel = { model: 'capture', thresholdDb: 6, criticalSectionSymbols: 3, sfIsolation: false };
// SF12/BW125: Tsym = 4096/125 000 s = 32.768 ms; LDRO on; payload symbols 8 + ceil((160 − 48 + 28 + 16)/(4·10))·5
// = 8 + 4·5 = 28; ToA = (12.25 + 28) · 32.768 = 1318.912 ms; critical section from start + 3·32.768 = 98.304 ms.
const TSYM = 32.768;
const TOA12 = 1318.912;

describe('capture', () => {
  it('at exactly the 6 dB threshold the stronger packet survives, the weaker is lost', () => {
    // A −100 dBm at 0 ms, B −106 dBm at 500 ms: SIR(A) = 6 ≥ 6 survives; SIR(B) = −6 < 6 lost.
    const s = sweep(CAPTURE, [[0, 0, 0, [-100]], [0, 0, 500, [-106]]]);
    expect(s.total).toMatchObject({ sent: 2, received: 1, lostCollision: 1, collided: 1 });
  });
  it('1 dB under the threshold both are lost', () => {
    // SIR(A) = 5 < 6, SIR(B) = −5 < 6.
    const s = sweep(CAPTURE, [[0, 0, 0, [-100]], [0, 0, 500, [-105]]]);
    expect(s.total).toMatchObject({ sent: 2, received: 0, lostCollision: 2 });
  });
  it('an interferer that ends one symbol before the critical section does no harm', () => {
    // Equal powers (SIR 0 < 6: any counted overlap kills). A: 0 → 1318.912 ms. W starts 2 symbols before
    // A ends (1318.912 − 65.536 = 1253.376 ms); W's critical section starts at 1253.376 + 98.304 =
    // 1351.68 ms, after A ended ⇒ W survives. W is on the air inside A's critical section ⇒ A is lost.
    const s = sweep(CAPTURE, [[0, 0, 0, [-100]], [0, 0, TOA12 - 2 * TSYM, [-100]]]);
    expect(s.total).toMatchObject({ sent: 2, received: 1, lostCollision: 1 });
  });
  it('an interferer that lasts one symbol into the critical section kills', () => {
    // W starts 4 symbols before A ends (1187.84 ms); its critical section starts at 1286.144 ms, A is
    // still on the air until 1318.912 ms ⇒ W lost; A lost as above.
    const s = sweep(CAPTURE, [[0, 0, 0, [-100]], [0, 0, TOA12 - 4 * TSYM, [-100]]]);
    expect(s.total).toMatchObject({ sent: 2, received: 0, lostCollision: 2 });
  });
  it('different channels never collide', () => {
    const s = sweep(CAPTURE, [[0, 0, 0, [-100]], [0, 1, 500, [-100]]]);
    expect(s.total.received).toBe(2);
  });
  it('a copy below sensitivity is lost to sensitivity yet still interferes', () => {
    // SF12 sensitivity −137.03 dBm. W at −136 dBm is in range; I at −138 dBm is not, but SIR(W) = 2 < 6.
    const s = sweep(CAPTURE, [[0, 0, 0, [-136]], [0, 0, 300, [-138]]]);
    expect(s.total).toMatchObject({ sent: 2, received: 0, lostCollision: 1, lostSensitivity: 1 });
  });
});

describe('inter-SF isolation (Goursaud matrix, shared/src/radio/interference.ts)', () => {
  const ISO: CollisionModel = { ...CAPTURE, sfIsolation: true };
  // SF12 at 0 ms (on the air to 1318.9 ms), SF7 at 500 ms (56.576 ms): the SF12 packet covers all of it.
  it('SF7 wanted 15 dB under an SF12 interferer survives (needs SIR ≥ −20 dB)', () => {
    // SIR(SF7) = −100 − (−85) = −15 ≥ −20; SIR(SF12) = +15 ≥ −36: both received.
    const s = sweep(ISO, [[0, 0, 0, [-85]], [1, 0, 500, [-100]]]);
    expect(s.total).toMatchObject({ sent: 2, received: 2 });
  });
  it('SF7 wanted 25 dB under an SF12 interferer is lost', () => {
    // SIR(SF7) = −25 < −20 ⇒ lost; SIR(SF12) = +25 ⇒ received.
    const s = sweep(ISO, [[0, 0, 0, [-75]], [1, 0, 500, [-100]]]);
    expect(s.total).toMatchObject({ sent: 2, received: 1, lostCollision: 1 });
    expect(s.perSf[7].lostCollision).toBe(1);
    expect(s.perSf[12].received).toBe(1);
  });
  it('with the matrix off, different SFs are orthogonal', () => {
    const s = sweep(CAPTURE, [[0, 0, 0, [-75]], [1, 0, 500, [-100]]]);
    expect(s.total.received).toBe(2);
  });
});

describe('destructive, demodulators, several gateways', () => {
  it('destructive: a 0.9 ms overlap kills both, even 20 dB apart; capture keeps the stronger', () => {
    // A 0 → 1318.912 ms; B from 1318 ms. Capture: A ends before B's critical section (1416.3 ms) so B
    // survives; B overlaps A's critical section with SIR(A) = −20 ⇒ A lost.
    const pk: [number, number, number, number[]][] = [[0, 0, 0, [-100]], [0, 0, 1318, [-80]]];
    expect(sweep({ model: 'destructive' }, pk).total).toMatchObject({ received: 0, lostCollision: 2 });
    expect(sweep(CAPTURE, pk).total).toMatchObject({ received: 1, lostCollision: 1 });
  });
  it('with 2 paths the third simultaneous packet is lost; a path frees when its packet ends', () => {
    // Channels differ (no collisions). Paths busy 0–1318.9 and 10–1328.9 ms; the packet at 20 ms finds
    // none; the one at 1400 ms finds both free.
    const s = sweep(CAPTURE, [[0, 0, 0, [-100]], [0, 1, 10, [-100]], [0, 2, 20, [-100]], [0, 3, 1400, [-100]]], 2);
    expect(s.total).toMatchObject({ sent: 4, received: 3, lostDemodulator: 1 });
    expect(s.perGateway[0].demodulatorLimit).toBe(1);
  });
  it('a packet one gateway loses counts as received when another gateway gets it', () => {
    // At gateway 0: A −100, B −120 ⇒ A survives (SIR 20), B lost. At gateway 1: A −100, B −90 ⇒ B
    // survives (SIR 10), A lost (−10). Each is received somewhere: DER 1, both collided once.
    const s = sweep(CAPTURE, [[0, 0, 0, [-100, -100]], [0, 0, 300, [-120, -90]]], 8, 2);
    expect(s.total).toMatchObject({ sent: 2, received: 2, collided: 2 });
    expect(s.perGateway[0]).toMatchObject({ heard: 2, received: 1, collided: 1 });
    expect(s.perGateway[1]).toMatchObject({ heard: 2, received: 1, collided: 1 });
  });
});

describe('determinism', () => {
  it('same file and seed ⇒ same counts; another seed ⇒ other counts', () => {
    const x = experiment({ collisions: { model: 'capture' }, duration: { seconds: 20_000 } }, { count: 300, sf: { choice: [7, 9, 12] }, intervalS: 50 });
    expect(runExperiment(x, 300, 5)).toEqual(runExperiment(x, 300, 5));
    expect(runExperiment(x, 300, 6).total.sent).not.toBe(runExperiment(x, 300, 5).total.sent);
  });
});
