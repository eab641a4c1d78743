/**
 * The receiving side of a radio experiment: packets arrive in start-time order; each gateway keeps the
 * receptions still on the air in flat typed arrays and compares every new packet with them once (an
 * overlap sweep), so a packet costs O(packets on the air at its gateways).
 *
 * Rules (docs/radio-validation.md "Model"):
 * - In range: received power ≥ the sensitivity of the packet's SF/BW (shared/src/radio/noise.ts,
 *   noise floor + required SNR). Weaker copies above the interference floor still interfere.
 * - Demodulator paths: an in-range packet locks a free path at its start (the SX1301 locks on the
 *   preamble) and holds it to its end; with every path busy it is lost ("demodulator limit").
 * - Collisions only between packets on the same channel and bandwidth (one lane):
 *   `none`: never; `destructive`: any time overlap kills both (pure ALOHA);
 *   `capture`: interferer X harms wanted W if X is still on the air after W's critical section starts
 *   (W.start + criticalSectionSymbols·Tsym; an interferer gone before then only took preamble symbols
 *   the receiver can spare) and the SIR Pw − Px is below the co-SF threshold (same SF) or below the
 *   isolation matrix entry (different SF, shared/src/radio/interference.ts SF_ISOLATION_DB, when
 *   `sfIsolation` is on; off: different SFs are orthogonal as in LoRaSim). Peak powers, pairwise, as
 *   the simulator's medium (hotspot-sim/src/core/medium/medium.ts) compares them by default.
 * - A packet is received if at least one gateway receives it. A packet no gateway received counts as
 *   lost to sensitivity if no gateway had it in range, else to collision if a collision took it at
 *   any gateway where it was in range, else to the demodulator limit.
 */
import { SF_ISOLATION_DB } from '@hexium/shared/radio/interference';
import { sensitivityDbm } from '@hexium/shared/radio/noise';
import { symbolTimeMs, timeOnAir } from '@hexium/shared/radio/airtime';

/** One distinct radio setting (SF, BW, CR, payload, preamble) and what follows from it. */
export interface PacketKind {
  sf: number;
  bandwidthHz: number;
  codingRate: number;
  airtimeMs: number;
  /** Offset of the critical section from the packet start, ms. */
  criticalOffsetMs: number;
  sensitivityDbm: number;
}

export type CollisionModel =
  | { model: 'none' }
  | { model: 'destructive' }
  | { model: 'capture'; thresholdDb: number; criticalSectionSymbols: number; sfIsolation: boolean };

export function packetKind(sf: number, bandwidthHz: number, codingRate: number, payloadBytes: number, preambleSymbols: number, criticalSectionSymbols: number, noiseFigureDb: number): PacketKind {
  return {
    sf,
    bandwidthHz,
    codingRate,
    airtimeMs: timeOnAir({ sf, bandwidthHz, codingRate, payloadBytes, preambleSymbols }).timeOnAirMs,
    criticalOffsetMs: criticalSectionSymbols * symbolTimeMs(sf, bandwidthHz),
    sensitivityDbm: sensitivityDbm(sf, bandwidthHz, noiseFigureDb),
  };
}

const F_IN_RANGE = 1;
const F_COLLIDED = 2;
const F_DEMOD_LOST = 4;
const S_IN_RANGE = 1;
const S_RECEIVED = 2;
const S_COLLIDED = 4;

/** Counters of one gateway. */
export interface GatewayCounts {
  /** Packets in range (power ≥ sensitivity). */
  heard: number;
  received: number;
  collided: number;
  demodulatorLimit: number;
}

/** Counters of one spreading factor (or of all packets). */
export interface LossCounts {
  sent: number;
  received: number;
  lostSensitivity: number;
  lostCollision: number;
  lostDemodulator: number;
  /** Packets a collision took at one gateway at least (received elsewhere or not). */
  collided: number;
}

const zeroLoss = (): LossCounts => ({ sent: 0, received: 0, lostSensitivity: 0, lostCollision: 0, lostDemodulator: 0, collided: 0 });

/** On-air receptions of one gateway, struct of arrays, grown by doubling. */
class AirList {
  n = 0;
  slot = new Int32Array(16);
  end = new Float64Array(16);
  cs = new Float64Array(16);
  rssi = new Float32Array(16);
  sf = new Uint8Array(16);
  flags = new Uint8Array(16);
  grow(): void {
    const cap = this.slot.length * 2;
    const g = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T, b: T): T => (b.set(a), b);
    this.slot = g(this.slot, new Int32Array(cap));
    this.end = g(this.end, new Float64Array(cap));
    this.cs = g(this.cs, new Float64Array(cap));
    this.rssi = g(this.rssi, new Float32Array(cap));
    this.sf = g(this.sf, new Uint8Array(cap));
    this.flags = g(this.flags, new Uint8Array(cap));
  }
}

export class ReceptionSweep {
  readonly perSf: LossCounts[] = Array.from({ length: 13 }, zeroLoss);
  readonly total: LossCounts = zeroLoss();
  readonly perGateway: GatewayCounts[];
  /** On-air lists, one per (gateway, lane): a lane is one channel at one bandwidth. */
  private readonly air: AirList[];
  private readonly lanes: number;
  /** Demodulator path busy-until times, gateway-major. */
  private readonly paths: Float64Array;
  private readonly nPaths: number;
  private readonly mode: 0 | 1 | 2; // none, destructive, capture
  private readonly thresholdDb: number;
  private readonly isolation: Float64Array; // [wanted*13 + interferer], NaN = orthogonal
  // packet slots (a packet on the air at one gateway at least), with a free list
  private slotSf = new Uint8Array(64);
  private slotPending = new Int32Array(64);
  private slotFlags = new Uint8Array(64);
  private free: number[] = [];
  private nextSlot = 0;

  constructor(
    readonly kinds: PacketKind[],
    gateways: number,
    demodulators: number,
    collisions: CollisionModel,
    lanes = 1,
  ) {
    this.perGateway = Array.from({ length: gateways }, () => ({ heard: 0, received: 0, collided: 0, demodulatorLimit: 0 }));
    this.lanes = lanes;
    this.air = Array.from({ length: gateways * lanes }, () => new AirList());
    this.nPaths = demodulators;
    this.paths = new Float64Array(gateways * demodulators).fill(-Infinity);
    this.mode = collisions.model === 'none' ? 0 : collisions.model === 'destructive' ? 1 : 2;
    this.thresholdDb = collisions.model === 'capture' ? collisions.thresholdDb : 0;
    this.isolation = new Float64Array(13 * 13).fill(NaN);
    for (let w = 7; w <= 12; w++) {
      this.isolation[w * 13 + w] = this.thresholdDb;
      if (collisions.model === 'capture' && collisions.sfIsolation) for (let i = 7; i <= 12; i++) if (i !== w) this.isolation[w * 13 + i] = SF_ISOLATION_DB[w][i];
    }
  }

  /** Interference floor: copies weaker than every sensitivity by more than the capture margin cannot matter. */
  static floorDbm(kinds: PacketKind[], collisions: CollisionModel): number {
    const minSens = Math.min(...kinds.map((k) => k.sensitivityDbm));
    if (collisions.model === 'none') return minSens;
    // co-SF: a copy below (sensitivity − threshold) cannot spoil an in-range wanted packet; inter-SF
    // entries are negative, so a weaker interferer never harms. Destructive uses the same 6 dB margin.
    return minSens - Math.max(6, collisions.model === 'capture' ? collisions.thresholdDb : 6);
  }

  private allocSlot(sf: number, pending: number): number {
    let s = this.free.pop();
    if (s === undefined) {
      s = this.nextSlot++;
      if (s >= this.slotSf.length) {
        const cap = this.slotSf.length * 2;
        const a = new Uint8Array(cap), b = new Int32Array(cap), c = new Uint8Array(cap);
        a.set(this.slotSf); b.set(this.slotPending); c.set(this.slotFlags);
        this.slotSf = a; this.slotPending = b; this.slotFlags = c;
      }
    }
    this.slotSf[s] = sf;
    this.slotPending[s] = pending;
    this.slotFlags[s] = 0;
    return s;
  }

  private finish(sf: number, flags: number): void {
    const bySf = this.perSf[sf];
    const t = this.total;
    if (flags & S_COLLIDED) { bySf.collided++; t.collided++; }
    if (flags & S_RECEIVED) { bySf.received++; t.received++; }
    else if (!(flags & S_IN_RANGE)) { bySf.lostSensitivity++; t.lostSensitivity++; }
    else if (flags & S_COLLIDED) { bySf.lostCollision++; t.lostCollision++; }
    else { bySf.lostDemodulator++; t.lostDemodulator++; }
  }

  /** Fold one finished reception into its gateway's counters and its packet. */
  private retire(g: number, slot: number, flags: number): void {
    let sf = 0;
    if (flags & F_IN_RANGE) {
      const c = this.perGateway[g];
      let s = S_IN_RANGE;
      if (flags & F_DEMOD_LOST) { c.demodulatorLimit++; }
      else if (flags & F_COLLIDED) { c.collided++; s |= S_COLLIDED; }
      else { c.received++; s |= S_RECEIVED; }
      this.slotFlags[slot] |= s;
    }
    if (--this.slotPending[slot] === 0) {
      sf = this.slotSf[slot];
      this.finish(sf, this.slotFlags[slot]);
      this.free.push(slot);
    }
  }

  /**
   * One packet of kind `kind` in lane `lane` (0 ≤ lane < lanes: its channel and bandwidth; packets
   * interfere only within a lane) starting at `startMs` (not before the previous packet's start), heard
   * at gateways `linkGw[lo..hi)` with powers `linkRssi[lo..hi)` dBm.
   */
  packet(kind: number, lane: number, startMs: number, linkGw: Int32Array, linkRssi: Float32Array, lo: number, hi: number): void {
    const k = this.kinds[kind];
    const sf = k.sf;
    this.perSf[sf].sent++;
    this.total.sent++;
    if (hi === lo) {
      this.finish(sf, 0);
      return;
    }
    const end = startMs + k.airtimeMs;
    const cs = startMs + k.criticalOffsetMs;
    const mode = this.mode;
    const np = this.nPaths;
    const paths = this.paths;
    if (mode === 0) {
      // no collisions: every fate is known now
      let flags = 0;
      for (let l = lo; l < hi; l++) {
        if (linkRssi[l] < k.sensitivityDbm) continue;
        const g = linkGw[l];
        const c = this.perGateway[g];
        c.heard++;
        flags |= S_IN_RANGE;
        let locked = false;
        for (let p = g * np, e = p + np; p < e; p++) if (paths[p] <= startMs) { paths[p] = end; locked = true; break; }
        if (locked) { c.received++; flags |= S_RECEIVED; }
        else c.demodulatorLimit++;
      }
      this.finish(sf, flags);
      return;
    }
    const slot = this.allocSlot(sf, hi - lo);
    const iso = this.isolation;
    for (let l = lo; l < hi; l++) {
      const g = linkGw[l];
      const rssi = linkRssi[l];
      let flags = 0;
      if (rssi >= k.sensitivityDbm) {
        flags = F_IN_RANGE;
        this.perGateway[g].heard++;
        let locked = false;
        for (let p = g * np, e = p + np; p < e; p++) if (paths[p] <= startMs) { paths[p] = end; locked = true; break; }
        if (!locked) flags |= F_DEMOD_LOST;
      }
      const a = this.air[g * this.lanes + lane];
      let i = 0;
      while (i < a.n) {
        if (a.end[i] <= startMs) {
          // gone: retire it and move the last entry here
          this.retire(g, a.slot[i], a.flags[i]);
          const last = --a.n;
          a.slot[i] = a.slot[last]; a.end[i] = a.end[last]; a.cs[i] = a.cs[last]; a.rssi[i] = a.rssi[last];
          a.sf[i] = a.sf[last]; a.flags[i] = a.flags[last];
          continue;
        }
        {
          if (mode === 1) {
            flags |= F_COLLIDED;
            a.flags[i] |= F_COLLIDED;
          } else {
            const osf = a.sf[i];
            // does the one on the air spoil the new one? (it is on the air after the new one's critical section starts)
            if (a.end[i] > cs) {
              const need = iso[sf * 13 + osf];
              if (need === need && rssi - a.rssi[i] < need) flags |= F_COLLIDED;
            }
            // does the new one spoil the one on the air? (it starts before that one ends, so it only has to outlast its critical section start)
            if (end > a.cs[i]) {
              const need = iso[osf * 13 + sf];
              if (need === need && a.rssi[i] - rssi < need) a.flags[i] |= F_COLLIDED;
            }
          }
        }
        i++;
      }
      if (a.n === a.slot.length) a.grow();
      const j = a.n++;
      a.slot[j] = slot; a.end[j] = end; a.cs[j] = cs; a.rssi[j] = rssi; a.sf[j] = sf; a.flags[j] = flags;
    }
  }

  /** Retire everything still on the air (end of the run). */
  flush(): void {
    for (let j = 0; j < this.air.length; j++) {
      const a = this.air[j];
      const g = Math.floor(j / this.lanes);
      for (let i = 0; i < a.n; i++) this.retire(g, a.slot[i], a.flags[i]);
      a.n = 0;
    }
  }

  /** Bytes held by the sweep's own arrays (on-air lists, slots, paths). */
  bytes(): number {
    let b = this.paths.byteLength + this.slotSf.byteLength + this.slotPending.byteLength + this.slotFlags.byteLength;
    for (const a of this.air) b += a.slot.length * (4 + 8 + 8 + 4 + 1 + 1);
    return b;
  }
}
