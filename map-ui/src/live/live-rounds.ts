/**
 * Live PoC rounds from the event stream (docs/api.md Events), as a pure state machine:
 * `beacon` opens a round (keyed by `key`, the beacon payload hex), each `witness` with the same key adds
 * a line, and the `poc` verdict (a PocResult) closes it, colouring every line valid/invalid. Events may
 * arrive out of order (a witness before its beacon): an unknown key opens a round without a beaconer.
 * Rounds fade out over `KEEP_AFTER_VERDICT_MS` after their verdict (or end `KEEP_OPEN_MS` after they
 * opened without one). Only the newest `LIVE_MAX_ROUNDS` rounds in view are drawn (issue 16: "at most a
 * few at once"), each with lines to its `LIVE_MAX_LINES` nearest witnesses: in a dense city a beacon is
 * heard by dozens of hotspots, and five rounds of 75 lines each cover the view (every witness is still
 * listed in the hotspot panel).
 */
import type { BeaconEvent, PocResult, PocStatus, WitnessEvent } from '../api/types.ts';
import { cellLngLat } from '../layers/witness-paths.ts';

// A busy network beacons several times a second (300 demo hotspots, 60 s windows) and each beacon may
// have a hundred witnesses: draw only the newest few rounds, briefly, so the map stays readable.
export const KEEP_AFTER_VERDICT_MS = 10_000;
export const KEEP_OPEN_MS = 45_000;
/** Rounds kept in memory (so late witness reports still find their round). */
export const MAX_ROUNDS = 24;
/** Rounds drawn at once. */
export const LIVE_MAX_ROUNDS = 5;
/** Witness lines drawn per round (the nearest ones). */
export const LIVE_MAX_LINES = 10;

export interface FeatureOptions {
  /** Now, for the fade; without it every round is drawn at full strength. */
  nowMs?: number;
  /** Draw at most this many rounds (the newest). */
  maxRounds?: number;
  /** Draw only rounds whose beaconer passes this test (e.g. is in view). */
  inView?: (lngLat: [number, number]) => boolean;
  /** Lines per round (the nearest witnesses). */
  maxLines?: number;
}

/**
 * Squared distance in degrees of latitude between two points, longitude scaled by cos(latitude) — an
 * equirectangular approximation, enough to rank witnesses a few km from their beaconer.
 */
function distance2(a: [number, number], b: [number, number]): number {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return ((a[0] - b[0]) * k) ** 2 + (a[1] - b[1]) ** 2;
}

export interface LiveWitness {
  address: string;
  lngLat: [number, number] | null;
  rssiDbm: number;
  status: PocStatus | null;
  reason: string | null;
}

export interface LiveRound {
  key: string;
  beaconer: string | null;
  lngLat: [number, number] | null;
  receivedAtMs: number | null;
  challengeId: string | null;
  openedAtMs: number;
  witnesses: Map<string, LiveWitness>;
  status: PocStatus | null;
  reason: string | null;
  verdictAtMs: number | null;
  pocId: string | null;
}

export type LiveFeature =
  | { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: { kind: 'beacon'; key: string; beaconer: string; status: string; reason: string | null; fade: number } }
  | { type: 'Feature'; geometry: { type: 'LineString'; coordinates: [number, number][] }; properties: { kind: 'witness'; key: string; beaconer: string; witness: string; status: string; reason: string | null; rssiDbm: number; fade: number } };

const lngLatOf = (lat: number | null | undefined, lng: number | null | undefined): [number, number] | null =>
  typeof lat === 'number' && typeof lng === 'number' ? [lng, lat] : null;

export class LiveRounds {
  readonly rounds = new Map<string, LiveRound>();

  private open(key: string, nowMs: number): LiveRound {
    let r = this.rounds.get(key);
    if (!r) {
      r = { key, beaconer: null, lngLat: null, receivedAtMs: null, challengeId: null, openedAtMs: nowMs, witnesses: new Map(), status: null, reason: null, verdictAtMs: null, pocId: null };
      this.rounds.set(key, r);
      if (this.rounds.size > MAX_ROUNDS) this.rounds.delete(this.rounds.keys().next().value!);
    }
    return r;
  }

  beacon(ev: BeaconEvent, nowMs: number): LiveRound {
    const r = this.open(ev.key, nowMs);
    r.beaconer = ev.beaconer;
    r.lngLat = lngLatOf(ev.lat, ev.lng);
    r.receivedAtMs = ev.receivedAtMs;
    r.challengeId = ev.challengeId ?? null;
    return r;
  }

  witness(ev: WitnessEvent, nowMs: number): LiveRound {
    const r = this.open(ev.key, nowMs);
    r.witnesses.set(ev.witness, { address: ev.witness, lngLat: lngLatOf(ev.lat, ev.lng), rssiDbm: ev.rssiDbm, status: null, reason: null });
    return r;
  }

  /** The open round a verdict belongs to: same challenge, else same beaconer and receive time, else that beaconer's newest open round. */
  findRound(result: PocResult): LiveRound | undefined {
    let best: LiveRound | undefined;
    for (const r of this.rounds.values()) {
      if (r.beaconer !== result.beaconer || r.status !== null) continue;
      if (result.challengeId && r.challengeId === result.challengeId) return r;
      if (r.receivedAtMs === result.receivedAtMs) return r;
      if (!best || r.openedAtMs >= best.openedAtMs) best = r;
    }
    return best;
  }

  poc(result: PocResult, nowMs: number): LiveRound {
    const r = this.findRound(result) ?? this.open(`poc:${result.pocId}`, nowMs);
    r.beaconer = result.beaconer;
    r.lngLat ??= cellLngLat(result.beacon.location);
    r.status = result.beacon.status;
    r.reason = result.beacon.reason;
    r.verdictAtMs = nowMs;
    r.pocId = result.pocId;
    for (const w of result.witnesses) {
      const live = r.witnesses.get(w.hotspot);
      const lngLat = live?.lngLat ?? cellLngLat(w.location);
      r.witnesses.set(w.hotspot, { address: w.hotspot, lngLat, rssiDbm: w.rssiDbm, status: w.status, reason: w.reason });
    }
    return r;
  }

  /** Drop rounds that have been shown long enough. Returns true when something was removed. */
  prune(nowMs: number): boolean {
    let changed = false;
    for (const [key, r] of this.rounds) {
      const expired = r.verdictAtMs !== null ? nowMs - r.verdictAtMs > KEEP_AFTER_VERDICT_MS : nowMs - r.openedAtMs > KEEP_OPEN_MS;
      if (expired) {
        this.rounds.delete(key);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * How strongly a round is drawn, 1 → 0: full until its verdict, then fading linearly to 0 over
   * KEEP_AFTER_VERDICT_MS; a round without a verdict fades over the same time before KEEP_OPEN_MS.
   */
  static fade(r: LiveRound, nowMs: number): number {
    const left = r.verdictAtMs !== null ? r.verdictAtMs + KEEP_AFTER_VERDICT_MS - nowMs : r.openedAtMs + KEEP_OPEN_MS - nowMs;
    return Math.min(1, Math.max(0, left / KEEP_AFTER_VERDICT_MS));
  }

  /** True when some drawn round is fading (the layer then redraws it every few hundred ms). */
  fading(nowMs: number): boolean {
    for (const r of this.rounds.values()) if (LiveRounds.fade(r, nowMs) < 1) return true;
    return false;
  }

  /** The rounds to draw: the newest `maxRounds` with a placed beaconer in view, oldest first. */
  drawn(opts: FeatureOptions = {}): LiveRound[] {
    const max = opts.maxRounds ?? LIVE_MAX_ROUNDS;
    // Newest first: opened later, ties by key (an explicit, deterministic order).
    const all = [...this.rounds.values()].sort((a, b) => b.openedAtMs - a.openedAtMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const out: LiveRound[] = [];
    for (const r of all) {
      if (out.length >= max) break;
      if (!r.lngLat || !r.beaconer || (opts.inView && !opts.inView(r.lngLat))) continue;
      out.push(r);
    }
    return out.reverse();
  }

  features(opts: FeatureOptions = {}): LiveFeature[] {
    const out: LiveFeature[] = [];
    for (const r of this.drawn(opts)) {
      if (!r.lngLat || !r.beaconer) continue;
      const status = r.status ?? 'pending';
      const fade = opts.nowMs === undefined ? 1 : Math.round(LiveRounds.fade(r, opts.nowMs) * 100) / 100;
      out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: r.lngLat }, properties: { kind: 'beacon', key: r.key, beaconer: r.beaconer, status, reason: r.reason, fade } });
      const from = r.lngLat;
      // Nearest first; ties by address (explicit order).
      const nearest = [...r.witnesses.values()]
        .filter((w): w is LiveWitness & { lngLat: [number, number] } => w.lngLat !== null)
        .map((w) => ({ w, d: distance2(from, w.lngLat) }))
        .sort((a, b) => a.d - b.d || (a.w.address < b.w.address ? -1 : a.w.address > b.w.address ? 1 : 0))
        .slice(0, opts.maxLines ?? LIVE_MAX_LINES);
      for (const { w } of nearest) {
        out.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [r.lngLat, w.lngLat] },
          properties: { kind: 'witness', key: r.key, beaconer: r.beaconer, witness: w.address, status: w.status ?? 'pending', reason: w.reason, rssiDbm: w.rssiDbm, fade },
        });
      }
    }
    return out;
  }
}
