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
 * SFs). Different frequencies never interfere. With `interference: 'sum'` the interferers of one SF
 * that are on the air at the same instant add up in mW and the wanted packet must clear the threshold
 * against their sum. A gateway demodulates at most `demodulators` packets at once (8 for an SX1301);
 * it cannot receive while it transmits (half duplex): a reception that starts during its transmission is
 * lost, and so is one still on the air when its transmission starts (an SX1301/SX1302 gateway has
 * one antenna switched between its TX path and its receivers, Semtech reference designs).
 *
 * Listeners: an end device in a receive window is a receiver too (`begin(tx, candidates, listeners)`):
 * the wanted downlink faces path loss, the device sensitivity and every transmission on the same
 * frequency that is on the air at the device, under the same collision rules. Gateways hear a
 * downlink (inverted IQ) only as interference; devices hear uplinks and beacons only as interference.
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
  MIN_PATH_LOSS_DISTANCE_M,
  type PropagationPresetName,
} from '@hexium/shared/radio/index';
import { logDistancePathLossDb, type LogDistanceParams } from '@hexium/shared/radio/log-distance';
import { linkShadowDb, hashNormal } from '@hexium/shared/radio/shadowing';
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
  /**
   * Collision rules. `capture: false`: any overlap destroys the wanted packet (pure ALOHA);
   * `criticalSection: false`: overlap anywhere in the packet counts, not only from 5 preamble symbols
   * before the preamble end. Defaults true.
   */
  capture?: boolean;
  criticalSection?: boolean;
  /**
   * How several interferers combine. `pairwise` (default): each interferer is compared with the wanted
   * packet alone (FLoRa, LoRaSim). `sum`: interferers of the same SF on the air at the same instant add
   * up in mW, and the wanted packet must clear the isolation threshold against that sum (ns-3 lorawan
   * `LoraInterferenceHelper` sums interference energy per SF).
   */
  interference?: 'pairwise' | 'sum';
  /**
   * Keep total loss at least free-space loss + {@link MIN_EXCESS_LOSS_DB} on terrestrial presets, and the
   * mean of a log-distance preset at least free-space loss (shared `meanPathLossDb`) (default true).
   * False: the plain model, PL0 + 10·γ·log10(d/d0) + Xσ, as LoRaSim and ns-3 compute it (Hata presets
   * keep their own clamps).
   */
  freeSpaceFloor?: boolean;
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
  /**
   * Inverted IQ (LoRaWAN downlinks): only end devices demodulate it, gateways hear it as interference;
   * a non-inverted frame (uplink, beacon) is interference to an end device.
   */
  iqInverted?: boolean;
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

/** An end device listening in a receive window (see the module comment). */
export interface Listener {
  /** Node id (gateways.length + sensor index): keys its per-link shadowing. */
  id: number;
  x: number;
  y: number;
  elevationM: number;
  gainDbi: number;
  /** Receiver sensitivity at the window's SF and bandwidth, dBm (SX1272 table for end devices). */
  sensitivityDbm: number;
}

export interface Reception {
  tx: Transmission;
  /** Receiving gateway index, or −1 at a listener. */
  gateway: number;
  /** Receiving listener's node id, when the receiver is an end device. */
  listener?: number;
  prxDbm: number;
  snrDb: number;
  distanceM: number;
  decodable: boolean;
  csStartMs: number;
  lost: LossReason | null;
}

/** Receptions on the air on one channel at one gateway, in admission order. */
interface Channel {
  list: Reception[];
  /** How many of them can still be decoded ({@link isLive}). */
  live: number;
}

/** Whether a reception can still be decoded: decodable and not lost so far. */
function isLive(r: Reception): boolean {
  return r.decodable && r.lost === null;
}

/** Whether a reception at a gateway holds one of its demodulators while on the air. */
function holdsDemodulator(r: Reception): boolean {
  return r.decodable && r.lost !== 'no-demodulator' && r.lost !== 'half-duplex';
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
  /**
   * What each gateway is receiving, by frequency: only receptions on one frequency interfere, so a new
   * one is compared with its own channel's list (a dense city has a hundred or more on the air at a
   * gateway, a tenth of them on any one channel). Each list is in admission order.
   */
  private readonly active: Map<number, Channel>[];
  /**
   * Demodulators in use at each gateway: its decodable receptions on the air that hold one (not lost
   * to `no-demodulator` or `half-duplex`), kept as receptions come, go and are cut by a transmission.
   */
  private readonly busy: Int32Array;
  private readonly txUntil: Float64Array;
  private readonly sigma: number;
  /** The preset's log-distance parameters when the free-space floors are off (plain log-distance), else null. */
  private readonly plainLogDistance: LogDistanceParams | null;
  /** Each transmission's receptions, and the gateway channel each one is listed in (null at a listener). */
  private readonly pending = new Map<number, { recs: Reception[]; channels: (Channel | null)[] }>();
  /** Every transmission on the air (begun, not ended), by id: the interference a listener hears. */
  private readonly onAir = new Map<number, Transmission>();
  /** Receptions at listeners that hold a wanted downlink, by listener node id. */
  private readonly atListener = new Map<number, { l: Listener; freqHz: number; wantedId: number; recs: Reception[] }>();
  /** Counters for the summary. */
  collisions = 0;
  /** Receptions a gateway lost because it started transmitting while they were on the air, or before. */
  halfDuplexLosses = 0;
  /** Downlinks a listener lost to a collision. */
  listenerCollisions = 0;
  linkEvaluations = 0;

  constructor(
    readonly cfg: MediumConfig,
    readonly gateways: Gateway[],
  ) {
    this.sigma = PROPAGATION_PRESETS[cfg.preset].sigmaDb;
    const model = PROPAGATION_PRESETS[cfg.preset].model;
    this.plainLogDistance = cfg.freeSpaceFloor === false && model.kind === 'log-distance' ? model : null;
    this.noiseDbm125 = noiseFloorDbm(125_000, cfg.noiseFigureDb);
    this.trackFloorDbm = this.noiseDbm125 + requiredSnrDb(12) - CAPTURE_THRESHOLD_DB;
    // Search radius: mean path loss that would still leave Prx at the tracking floor with a +4σ
    // shadowing and fading draw (P ≈ 3·10⁻⁵ per link of being cut off wrongly).
    const margin = 4 * Math.hypot(this.sigma, cfg.fadingSigmaDb);
    const maxPl = cfg.maxEirpDbm + cfg.maxGainDbi - this.trackFloorDbm + margin;
    const maxElev = gateways.reduce((m, g) => Math.max(m, g.elevationM), 1.5);
    this.rangeM = Math.min(rangeForPathLossM(cfg.preset, maxPl, cfg.freqHz, { hbM: maxElev, hmM: 1.5 }), radioHorizonM(maxElev, maxElev));
    this.index = new SpatialIndex(gateways, this.rangeM);
    this.active = gateways.map(() => new Map());
    this.busy = new Int32Array(gateways.length);
    this.txUntil = new Float64Array(gateways.length);
  }

  /** Received power (dBm) at gateway `g` of a transmission; -Infinity beyond the horizon. Hot path. */
  prxDbm(tx: Transmission, g: number): { prxDbm: number; distanceM: number } {
    return this.linkPrxDbm(tx, this.gateways[g], g);
  }

  /** Received power (dBm) at receiver `rx` (node id `rxId`) of a transmission; -Infinity beyond the horizon. */
  linkPrxDbm(tx: Transmission, rx: { x: number; y: number; elevationM: number; gainDbi: number }, rxId: number): { prxDbm: number; distanceM: number } {
    this.linkEvaluations++;
    const dx = rx.x - tx.x;
    const dy = rx.y - tx.y;
    const dz = rx.elevationM - tx.elevationM;
    const ground = Math.sqrt(dx * dx + dy * dy);
    if (ground > radioHorizonM(rx.elevationM, tx.elevationM)) return { prxDbm: -Infinity, distanceM: ground };
    const d = Math.sqrt(ground * ground + dz * dz);
    const hb = rx.elevationM > tx.elevationM ? rx.elevationM : tx.elevationM;
    const hm = rx.elevationM > tx.elevationM ? tx.elevationM : rx.elevationM;
    // plain log-distance (freeSpaceFloor: false): without the FSPL floor shared `meanPathLossDb` puts on the mean
    const pl = this.plainLogDistance
      ? logDistancePathLossDb(d > MIN_PATH_LOSS_DISTANCE_M ? d : MIN_PATH_LOSS_DISTANCE_M, this.plainLogDistance)
      : meanPathLossDb(this.cfg.preset, d, tx.freqHz, { hbM: hb, hmM: hm < 1 ? 1 : hm });
    let loss = pl + linkShadowDb(this.cfg.seed, tx.sourceId, rxId, this.sigma);
    if (this.cfg.fadingSigmaDb > 0) loss += this.cfg.fadingSigmaDb * hashNormal(this.cfg.seed ^ 0x5f3759df, tx.id, rxId);
    // A terrestrial link never beats free space: a negative shadowing or fading draw may not take the
    // total loss below FSPL + MIN_EXCESS_LOSS_DB (see the constant); the `freespace` preset is FSPL exactly.
    // `freeSpaceFloor: false` drops the floor (plain log-distance, as in LoRaSim and ns-3).
    if (this.cfg.freeSpaceFloor !== false) {
      const floor = freeSpacePathLossDb(d, tx.freqHz) + (this.cfg.preset === 'freespace' ? 0 : MIN_EXCESS_LOSS_DB);
      if (loss < floor) loss = floor;
    }
    return { prxDbm: tx.eirpDbm + rx.gainDbi - loss, distanceM: ground };
  }

  /**
   * Start a transmission: every gateway in range starts receiving it (or hears it as interference), and
   * so does every end device in `listeners` (a downlink's targets) and every listener already holding a
   * downlink.
   */
  begin(tx: Transmission, candidates?: readonly number[], listeners?: readonly Listener[]): void {
    const cand = candidates ?? this.index.candidates(tx.lat, tx.lng);
    const noise = noiseFloorDbm(tx.bandwidthHz, this.cfg.noiseFigureDb);
    const req = requiredSnrDb(tx.sf);
    const recs: Reception[] = [];
    const channels: (Channel | null)[] = [];
    const useCs = this.cfg.criticalSection !== false;
    const cs = useCs ? criticalSectionStartMs(tx.startMs, tx.sf, tx.bandwidthHz) : tx.startMs;
    for (const g of cand) {
      if (g === tx.sourceId) continue;
      const { prxDbm, distanceM } = this.prxDbm(tx, g);
      if (prxDbm < this.trackFloorDbm) continue;
      const snr = prxDbm - noise;
      const rec: Reception = { tx, gateway: g, prxDbm, snrDb: snr, distanceM, decodable: tx.iqInverted !== true && snr >= req, csStartMs: cs, lost: null };
      recs.push(rec);
      channels.push(this.admitAtGateway(rec, g));
    }
    // listeners already holding a wanted downlink hear this transmission as interference
    for (const [id, at] of this.atListener) {
      if (id === tx.sourceId || at.freqHz !== tx.freqHz) continue;
      recs.push(this.hearAtListener(tx, at.l, at.recs, false, noise, cs));
      channels.push(null);
    }
    if (listeners) {
      for (const l of listeners) {
        // a device already locked on another downlink hears this one as interference only (just above)
        if (l.id === tx.sourceId || this.atListener.has(l.id)) continue;
        const list: Reception[] = [];
        // what is already on the air on this frequency is interference at the device
        for (const o of this.onAir.values()) {
          if (o.freqHz !== tx.freqHz || o.sourceId === l.id || o.endMs <= tx.startMs) continue;
          const orec = this.hearAtListener(o, l, list, false, noiseFloorDbm(o.bandwidthHz, this.cfg.noiseFigureDb), o.startMs);
          const p = this.pending.get(o.id);
          p?.recs.push(orec);
          p?.channels.push(null);
        }
        this.atListener.set(l.id, { l, freqHz: tx.freqHz, wantedId: tx.id, recs: list });
        recs.push(this.hearAtListener(tx, l, list, tx.iqInverted === true, noise, cs));
        channels.push(null);
      }
    }
    this.onAir.set(tx.id, tx);
    this.pending.set(tx.id, { recs, channels });
  }

  /** A reception of `tx` at listener `l`, admitted to `list`; decodable only when `wanted`. */
  private hearAtListener(tx: Transmission, l: Listener, list: Reception[], wanted: boolean, noiseDbm: number, csStartMs: number): Reception {
    const { prxDbm, distanceM } = this.linkPrxDbm(tx, l, l.id);
    const decodable = wanted && prxDbm >= l.sensitivityDbm && prxDbm - noiseDbm >= requiredSnrDb(tx.sf);
    const rec: Reception = { tx, gateway: -1, listener: l.id, prxDbm, snrDb: prxDbm - noiseDbm, distanceM, decodable, csStartMs, lost: null };
    this.admit(rec, list);
    return rec;
  }

  /**
   * A reception at gateway `g`: half duplex and the demodulators decide whether it can be received at
   * all, then it meets the receptions on its channel. Returns the channel it is listed in.
   */
  private admitAtGateway(rec: Reception, g: number): Channel {
    const tx = rec.tx;
    if (rec.decodable) {
      if (this.txUntil[g] > tx.startMs) {
        rec.lost = 'half-duplex';
        this.halfDuplexLosses++;
      } else if (this.busy[g] >= this.cfg.demodulators) rec.lost = 'no-demodulator';
    }
    const channels = this.active[g];
    let ch = channels.get(tx.freqHz);
    if (ch === undefined) {
      ch = { list: [], live: 0 };
      channels.set(tx.freqHz, ch);
    }
    if (isLive(rec) || ch.live > 0) {
      this.admit(rec, ch.list);
      ch.live = 0;
      for (const o of ch.list) if (isLive(o)) ch.live++;
    } else {
      // Neither this reception nor any on its channel can still be decoded: no collision can change
      // anything (most receptions in a dense network are too weak to decode, only to interfere).
      ch.list.push(rec);
    }
    if (holdsDemodulator(rec)) this.busy[g]++;
    // With `interference: 'sum'` admit checks the channel's receptions again; those on other channels
    // need no check: they gain no interferer, and the ones they still have are among those they
    // survived at the last admission on their channel (a sum of fewer positive terms is no larger).
    return ch;
  }

  /** Admit `rec` to `list`, the receptions on the air at one receiver: collisions both ways. */
  private admit(rec: Reception, list: Reception[]): void {
    const tx = rec.tx;
    for (const o of list) {
      if (o.tx.freqHz !== tx.freqHz) continue; // separate channels do not interfere
      if (o.tx.endMs <= tx.startMs || o.tx.startMs >= tx.endMs) continue;
      // o interferes with rec (rec is the wanted one)
      if (rec.decodable && rec.lost === null && o.tx.endMs > rec.csStartMs && !this.survives(rec, o)) rec.lost = 'collision';
      // rec interferes with o
      if (o.decodable && o.lost === null && tx.endMs > o.csStartMs && !this.survives(o, rec)) o.lost = 'collision';
    }
    list.push(rec);
    if (this.cfg.interference === 'sum' && this.cfg.capture !== false) {
      for (const w of list) if (w.decodable && w.lost === null && !this.survivesSum(w, list, tx.startMs)) w.lost = 'collision';
    }
  }

  private survives(w: Reception, i: Reception): boolean {
    if (this.cfg.capture === false) return false;
    return w.prxDbm - i.prxDbm >= SF_ISOLATION_DB[w.tx.sf][i.tx.sf];
  }

  /**
   * Summed interference at the instant max(now, start of w's critical section): every other reception
   * in `list` on w's frequency still on the air then (all began by `nowMs`, so they overlap at that
   * instant) adds its power, in mW, to its SF's total; w survives if it clears each SF's isolation
   * threshold against that SF's total. The peak of a sum that only steps up at a start is reached at some
   * start, so checking at every admission finds it.
   */
  private survivesSum(w: Reception, list: readonly Reception[], nowMs: number): boolean {
    const at = nowMs > w.csStartMs ? nowMs : w.csStartMs;
    const mw = new Float64Array(13);
    for (const o of list) {
      if (o === w || o.tx.freqHz !== w.tx.freqHz || o.tx.endMs <= at || o.tx.startMs >= w.tx.endMs) continue;
      mw[o.tx.sf] += 10 ** (o.prxDbm / 10);
    }
    for (let sf = 7; sf <= 12; sf++) {
      if (mw[sf] > 0 && w.prxDbm - 10 * Math.log10(mw[sf]) < SF_ISOLATION_DB[w.tx.sf][sf]) return false;
    }
    return true;
  }

  /** End a transmission: return the receptions that were decoded by gateways, in gateway order. */
  end(tx: Transmission): Reception[] {
    return this.endAll(tx).gateways;
  }

  /** End a transmission: the receptions decoded by gateways (gateway order) and by listeners (listener order). */
  endAll(tx: Transmission): { gateways: Reception[]; listeners: Reception[] } {
    const { recs, channels } = this.pending.get(tx.id) ?? { recs: [], channels: [] };
    this.pending.delete(tx.id);
    this.onAir.delete(tx.id);
    const gateways: Reception[] = [];
    const listeners: Reception[] = [];
    for (let k = 0; k < recs.length; k++) {
      const r = recs[k];
      const ch = channels[k];
      if (ch !== null) {
        const i = ch.list.indexOf(r);
        if (i >= 0) {
          ch.list.splice(i, 1);
          if (holdsDemodulator(r)) this.busy[r.gateway]--;
          if (isLive(r)) ch.live--;
        }
        if (!r.decodable) continue;
        if (r.lost === 'collision') this.collisions++;
        if (r.lost === null) gateways.push(r);
        continue;
      }
      // the wanted downlink at a listener has ended: the device stops listening
      if (this.atListener.get(r.listener!)?.wantedId === tx.id) this.atListener.delete(r.listener!);
      if (!r.decodable) continue;
      if (r.lost === 'collision') this.listenerCollisions++;
      if (r.lost === null) listeners.push(r);
    }
    return { gateways, listeners };
  }

  /**
   * Mark gateway `g` as transmitting until `untilMs` (half duplex). With `fromMs` (the start of the
   * transmission), every reception still on the air at `fromMs` is lost too.
   */
  transmitting(g: number, untilMs: number, fromMs?: number): void {
    if (untilMs > this.txUntil[g]) this.txUntil[g] = untilMs;
    if (fromMs === undefined) return;
    for (const ch of this.active[g].values()) {
      for (const r of ch.list) {
        if (r.decodable && r.lost === null && r.tx.endMs > fromMs) {
          r.lost = 'half-duplex';
          this.halfDuplexLosses++;
          this.busy[g]--;
          ch.live--;
        }
      }
    }
  }

  /** Whether gateway `g` is transmitting at `atMs`. */
  isTransmitting(g: number, atMs: number): boolean {
    return this.txUntil[g] > atMs;
  }
}
