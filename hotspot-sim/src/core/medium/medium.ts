/**
 * The simulated LoRa radio medium (radio.md §1.3–§1.5, §3.4). Who hears a transmission:
 *
 *   Prx = EIRP + Grx − PL(d) − Xσ(link) − Fσ(packet)        (link budget, radio.md §3.4)
 *   decodable ⇔ Prx ≥ S(SF,BW) ∧ Prx − N ≥ SNRreq(SF)          (radio.md §1.4 "Detect / decode")
 *
 * PL is the scenario's propagation preset (shared `meanPathLossDb`); Xσ is seeded per link and
 * reciprocal; Fσ is optional per-packet fading. Beyond the radio horizon (4/3 Earth,
 * d_km = 4.12·(√h1 + √h2), ITU-R P.310 effective radius) nothing is heard.
 *
 * Collisions (radio.md §1.4): every signal a gateway receives above the tracking floor
 * (noise + min SNRreq − capture 6 dB: nothing weaker can ever destroy a decodable packet) is compared
 * with every other signal that overlaps it in time; the wanted one is lost when an interferer on the
 * same frequency overlaps its critical section (from 5 preamble symbols before the preamble end —
 * FLoRa LoRaReceiver.cc) and Pw − Pi < isolation[SFw][SFi] (6 dB co-SF capture, Goursaud matrix across
 * SFs). Different frequencies never interfere. A gateway demodulates at most `demodulators` packets at
 * once (8 for an SX1301); it cannot receive while it transmits (half duplex).
 */
import {
  meanPathLossDb,
  freeSpacePathLossDb,
  noiseFloorDbm,
  requiredSnrDb,
  PROPAGATION_PRESETS,
  SF_ISOLATION_DB,
  CAPTURE_THRESHOLD_DB,
  criticalSectionStartMs,
  rangeForPathLossM,
  type PropagationPresetName,
} from '@hexium/shared/radio/index';
import { linkShadowDb, hashNormal } from './link-hash.ts';
import { SpatialIndex } from './spatial-index.ts';


/**
 * Least loss over free space on any simulated link, dB. Lognormal shadowing is a statistical fit and
 * its negative tail would let a ground-level link arrive louder than free space allows, which no real
 * link does (the first Fresnel zone of a path a few metres above ground is always partly obstructed).
 * 2 dB also covers what Helium's RSSI check cannot see: it truncates fractional antenna gains (1.2 → 1,
 * 5.8 → 5 dBi) and measures between H3 cell centres (spec §(b) witness #14). [judgement]
 */
export const MIN_EXCESS_LOSS_DB = 2;

export interface MediumConfig {
  preset: PropagationPresetName;
  seed: number;
  fadingSigmaDb: number;
  noiseFigureDb: number;
  demodulators: number;
  /** Largest EIRP any transmitter uses, dBm (bounds the search radius). */
  maxEirpDbm: number;
  /** Largest receive antenna gain, dBi. */
  maxGainDbi: number;
  /** A representative frequency for the search radius, Hz. */
  freqHz: number;
  /** Collision rules; tests of the pure-ALOHA law switch capture and the critical section off. */
  capture?: boolean;
  criticalSection?: boolean;
}

export interface Gateway {
  lat: number;
  lng: number;
  x: number;
  y: number;
  elevationM: number;
  gainDbi: number;
}

export interface Transmission {
  id: number;
  /** Node id of the sender: gateway index, or gateways.length + sensor index. */
  sourceId: number;
  lat: number;
  lng: number;
  x: number;
  y: number;
  elevationM: number;
  eirpDbm: number;
  freqHz: number;
  sf: number;
  bandwidthHz: number;
  startMs: number;
  endMs: number;
  /** Opaque payload carried to the receivers. */
  data: unknown;
}

export type LossReason = 'collision' | 'no-demodulator' | 'half-duplex';

export interface Reception {
  tx: Transmission;
  gateway: number;
  prxDbm: number;
  snrDb: number;
  distanceM: number;
  decodable: boolean;
  csStartMs: number;
  lost: LossReason | null;
}

/** Radio horizon in metres for two antenna heights (4/3 Earth radius). */
export function radioHorizonM(h1M: number, h2M: number): number {
  return 4120 * (Math.sqrt(Math.max(h1M, 0)) + Math.sqrt(Math.max(h2M, 0)));
}

export class Medium {
  readonly noiseDbm125: number;
  readonly trackFloorDbm: number;
  readonly rangeM: number;
  readonly index: SpatialIndex;
  private readonly active: Reception[][];
  private readonly txUntil: Float64Array;
  private readonly sigma: number;
  private readonly pending = new Map<number, Reception[]>();
  /** Counters for the summary. */
  collisions = 0;
  linkEvaluations = 0;

  constructor(
    readonly cfg: MediumConfig,
    readonly gateways: Gateway[],
  ) {
    this.sigma = PROPAGATION_PRESETS[cfg.preset].sigmaDb;
    this.noiseDbm125 = noiseFloorDbm(125_000, cfg.noiseFigureDb);
    this.trackFloorDbm = this.noiseDbm125 + requiredSnrDb(12) - CAPTURE_THRESHOLD_DB;
    // Search radius: mean path loss that would still leave Prx at the tracking floor with a +4σ
    // shadowing and fading draw (P ≈ 3·10⁻⁵ per link of being cut off wrongly).
    const margin = 4 * Math.hypot(this.sigma, cfg.fadingSigmaDb);
    const maxPl = cfg.maxEirpDbm + cfg.maxGainDbi - this.trackFloorDbm + margin;
    const maxElev = gateways.reduce((m, g) => Math.max(m, g.elevationM), 1.5);
    this.rangeM = Math.min(rangeForPathLossM(cfg.preset, maxPl, cfg.freqHz, { hbM: maxElev, hmM: 1.5 }), radioHorizonM(maxElev, maxElev));
    this.index = new SpatialIndex(gateways, this.rangeM);
    this.active = gateways.map(() => []);
    this.txUntil = new Float64Array(gateways.length);
  }

  /** Received power (dBm) at gateway `g` of a transmission; -Infinity beyond the horizon. Hot path. */
  prxDbm(tx: Transmission, g: number): { prxDbm: number; distanceM: number } {
    this.linkEvaluations++;
    const gw = this.gateways[g];
    const dx = gw.x - tx.x;
    const dy = gw.y - tx.y;
    const dz = gw.elevationM - tx.elevationM;
    const ground = Math.sqrt(dx * dx + dy * dy);
    if (ground > radioHorizonM(gw.elevationM, tx.elevationM)) return { prxDbm: -Infinity, distanceM: ground };
    const d = Math.sqrt(ground * ground + dz * dz);
    const hb = gw.elevationM > tx.elevationM ? gw.elevationM : tx.elevationM;
    const hm = gw.elevationM > tx.elevationM ? tx.elevationM : gw.elevationM;
    const pl = meanPathLossDb(this.cfg.preset, d, tx.freqHz, { hbM: hb, hmM: hm < 1 ? 1 : hm });
    let loss = pl + linkShadowDb(this.cfg.seed, tx.sourceId, g, this.sigma);
    if (this.cfg.fadingSigmaDb > 0) loss += this.cfg.fadingSigmaDb * hashNormal(this.cfg.seed ^ 0x5f3759df, tx.id, g);
    // A terrestrial link never beats free space: a negative shadowing or fading draw may not take the
    // total loss below FSPL + MIN_EXCESS_LOSS_DB (see the constant); the `freespace` preset is FSPL exactly.
    const floor = freeSpacePathLossDb(d, tx.freqHz) + (this.cfg.preset === 'freespace' ? 0 : MIN_EXCESS_LOSS_DB);
    if (loss < floor) loss = floor;
    return { prxDbm: tx.eirpDbm + gw.gainDbi - loss, distanceM: ground };
  }

  /** Start a transmission: every gateway in range starts receiving it (or hears it as interference). */
  begin(tx: Transmission, candidates?: number[]): void {
    const cand = candidates ?? this.index.candidates(tx.lat, tx.lng);
    const noise = noiseFloorDbm(tx.bandwidthHz, this.cfg.noiseFigureDb);
    const req = requiredSnrDb(tx.sf);
    const recs: Reception[] = [];
    const useCs = this.cfg.criticalSection !== false;
    const cs = useCs ? criticalSectionStartMs(tx.startMs, tx.sf, tx.bandwidthHz) : tx.startMs;
    for (const g of cand) {
      if (g === tx.sourceId) continue;
      const { prxDbm, distanceM } = this.prxDbm(tx, g);
      if (prxDbm < this.trackFloorDbm) continue;
      const snr = prxDbm - noise;
      const rec: Reception = { tx, gateway: g, prxDbm, snrDb: snr, distanceM, decodable: snr >= req, csStartMs: cs, lost: null };
      this.admit(rec);
      recs.push(rec);
    }
    this.pending.set(tx.id, recs);
  }

  private admit(rec: Reception): void {
    const list = this.active[rec.gateway];
    const tx = rec.tx;
    if (rec.decodable) {
      if (this.txUntil[rec.gateway] > tx.startMs) rec.lost = 'half-duplex';
      else {
        let busy = 0;
        for (const o of list) if (o.decodable && o.lost !== 'no-demodulator' && o.lost !== 'half-duplex') busy++;
        if (busy >= this.cfg.demodulators) rec.lost = 'no-demodulator';
      }
    }
    for (const o of list) {
      if (o.tx.freqHz !== tx.freqHz) continue; // separate channels do not interfere
      if (o.tx.endMs <= tx.startMs || o.tx.startMs >= tx.endMs) continue;
      // o interferes with rec (rec is the wanted one)
      if (rec.decodable && rec.lost === null && o.tx.endMs > rec.csStartMs && !this.survives(rec, o)) rec.lost = 'collision';
      // rec interferes with o
      if (o.decodable && o.lost === null && tx.endMs > o.csStartMs && !this.survives(o, rec)) o.lost = 'collision';
    }
    list.push(rec);
  }

  private survives(w: Reception, i: Reception): boolean {
    if (this.cfg.capture === false) return false;
    return w.prxDbm - i.prxDbm >= SF_ISOLATION_DB[w.tx.sf][i.tx.sf];
  }

  /** End a transmission: return the receptions that were decoded, in gateway order. */
  end(tx: Transmission): Reception[] {
    const recs = this.pending.get(tx.id) ?? [];
    this.pending.delete(tx.id);
    const ok: Reception[] = [];
    for (const r of recs) {
      const list = this.active[r.gateway];
      const i = list.indexOf(r);
      if (i >= 0) list.splice(i, 1);
      if (!r.decodable) continue;
      if (r.lost === 'collision') this.collisions++;
      if (r.lost === null) ok.push(r);
    }
    return ok;
  }

  /** Mark gateway `g` as transmitting until `untilMs` (half duplex). */
  transmitting(g: number, untilMs: number): void {
    if (untilMs > this.txUntil[g]) this.txUntil[g] = untilMs;
  }

  /** Whether gateway `g` is transmitting at `atMs`. */
  isTransmitting(g: number, atMs: number): boolean {
    return this.txUntil[g] > atMs;
  }
}
