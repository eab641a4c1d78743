/**
 * Path loss for the simulator: the named propagation presets of ../shared/specs/radio.md §3.4 and
 * {@link meanPathLossDb}, plus re-exports of the underlying models (free space, log-distance,
 * Okumura–Hata) and of per-link shadowing.
 *
 * Clamping in {@link meanPathLossDb} (radio.md §3.3 judgement note, extended to every preset):
 * - distances below 1 m are treated as 1 m (a co-located pair must not give −∞);
 * - Hata presets evaluate the formula at max(d, 0.1 km), extrapolating outside Hata's validity range
 *   (gateways are often lower than 30 m; `force` is implied), with antenna heights of at least 1 m
 *   (a radio on the ground would give log10(0)), and never return less than free space;
 * - log-distance presets never return less than free space either (the ns-3 urban set gives 7.7 dB at
 *   1 m, below the 31 dB of free space; the two cross at about 30 m).
 * The raw formulas (`hataPathLossDb`, `logDistancePathLossDb`) do no clamping.
 */
import { freeSpacePathLossDb } from './free-space.ts';
import { logDistancePathLossDb, type LogDistanceParams } from './log-distance.ts';
import { hataPathLossDb, type HataEnvironment } from './okumura-hata.ts';

export * from './free-space.ts';
export * from './log-distance.ts';
export * from './okumura-hata.ts';
export * from './shadowing.ts';

export type PropagationModel =
  | ({ kind: 'log-distance' } & LogDistanceParams)
  | { kind: 'hata'; environment: HataEnvironment }
  | { kind: 'free-space' };

export interface PropagationPreset {
  name: string;
  model: PropagationModel;
  /** Standard deviation of the lognormal shadowing, dB. */
  sigmaDb: number;
  description: string;
}

export type PropagationPresetName = 'urban' | 'urban-dense' | 'suburban' | 'rural' | 'open' | 'freespace';

/** The simulator presets of radio.md §3.4. */
export const PROPAGATION_PRESETS: Readonly<Record<PropagationPresetName, PropagationPreset>> = Object.freeze({
  // ns-3 lorawan examples: SetPathLossExponent(3.76), SetReference(1, 7.7); σ = 4 dB (σ² = 16) from
  // model/correlated-shadowing-propagation-loss-model.cc. Equals 3GPP TR 36.942 macro-urban
  // 120.5 + 37.6·log10(d_km) (7.7 + 37.6·3 = 120.5 at 1 km).
  urban: {
    name: 'urban',
    model: { kind: 'log-distance', d0M: 1, pl0Db: 7.7, exponent: 3.76 },
    sigmaDb: 4,
    description: 'log-distance, ns-3 lorawan / 3GPP macro-urban: PL(1 km) = 120.5 dB, n = 3.76',
  },
  // LoRaSim (Bor et al. 2016): d0 = 40 m, PL(d0) = 127.41 dB, n = 2.08, σ = 3.57 dB
  // (inet-framework/inet src/inet/lora/loraphy/LoRaLogNormalShadowing.ned; LoRaSim loraDir.py).
  'urban-dense': {
    name: 'urban-dense',
    model: { kind: 'log-distance', d0M: 40, pl0Db: 127.41, exponent: 2.08 },
    sigmaDb: 3.57,
    description: 'log-distance, LoRaSim measurements: PL(40 m) = 127.41 dB, n = 2.08',
  },
  // Okumura–Hata suburban with the small/medium-city a(hm); σ = 6 dB is a judgement (radio.md §3.4).
  suburban: {
    name: 'suburban',
    model: { kind: 'hata', environment: 'suburban' },
    sigmaDb: 6,
    description: 'Okumura–Hata suburban (small/medium-city a(hm))',
  },
  // Oulu, node on car (Petäjäjärvi et al. 2015): PL(1 km) = 128.95 dB, n = 2.32, σ = 7.8 dB
  // (inet-framework/inet src/inet/lora/loraphy/LoRaPathLossOulu.ned).
  rural: {
    name: 'rural',
    model: { kind: 'log-distance', d0M: 1000, pl0Db: 128.95, exponent: 2.32 },
    sigmaDb: 7.8,
    description: 'log-distance, Oulu measurements: PL(1 km) = 128.95 dB, n = 2.32',
  },
  // Okumura–Hata open area; radio.md §3.4 gives it "as above", so σ = 6 dB like suburban (judgement).
  open: {
    name: 'open',
    model: { kind: 'hata', environment: 'open' },
    sigmaDb: 6,
    description: 'Okumura–Hata open area',
  },
  freespace: {
    name: 'freespace',
    model: { kind: 'free-space' },
    sigmaDb: 0,
    description: 'free-space (Friis); upper bound for tests',
  },
});

export const PROPAGATION_PRESET_NAMES = Object.keys(PROPAGATION_PRESETS) as PropagationPresetName[];

/** Distances below this are evaluated at it. */
export const MIN_PATH_LOSS_DISTANCE_M = 1;
/** Hata presets are evaluated at no less than this distance (radio.md §3.3: clamp d ≥ 0.1 km). */
export const HATA_MIN_DISTANCE_M = 100;
/** Hata presets are evaluated with antenna heights of at least this (Hata's hm range starts at 1 m). */
export const HATA_MIN_HEIGHT_M = 1;

export interface MeanPathLossOptions {
  /** Gateway antenna height for Hata presets, m (default 30). */
  hbM?: number;
  /** Device antenna height for Hata presets, m (default 1.5). */
  hmM?: number;
}

/** Look a preset up by name (throws a RangeError listing the names). */
export function getPropagationPreset(name: string): PropagationPreset {
  const p = (PROPAGATION_PRESETS as Record<string, PropagationPreset>)[name];
  if (!p) throw new RangeError(`unknown propagation preset "${name}" (known: ${PROPAGATION_PRESET_NAMES.join(', ')})`);
  return p;
}

/** Mean path loss in dB (no shadowing) for a preset, with the clamping described in the module comment. */
export function meanPathLossDb(
  preset: PropagationPresetName | PropagationPreset,
  distanceM: number,
  freqHz: number,
  options: MeanPathLossOptions = {},
): number {
  const p = typeof preset === 'string' ? getPropagationPreset(preset) : preset;
  const d = distanceM > MIN_PATH_LOSS_DISTANCE_M ? distanceM : MIN_PATH_LOSS_DISTANCE_M;
  if (Number.isNaN(distanceM)) throw new RangeError('distanceM is NaN');
  const fspl = freeSpacePathLossDb(d, freqHz);
  const m = p.model;
  switch (m.kind) {
    case 'free-space':
      return fspl;
    case 'log-distance': {
      const pl = logDistancePathLossDb(d, m);
      return pl > fspl ? pl : fspl;
    }
    case 'hata': {
      const pl = hataPathLossDb(d > HATA_MIN_DISTANCE_M ? d : HATA_MIN_DISTANCE_M, freqHz, {
        hbM: Math.max(options.hbM ?? 30, HATA_MIN_HEIGHT_M),
        hmM: Math.max(options.hmM ?? 1.5, HATA_MIN_HEIGHT_M),
        environment: m.environment,
        force: true,
      });
      return pl > fspl ? pl : fspl;
    }
  }
}

/**
 * The largest distance in metres at which the mean path loss of `preset` stays ≤ `maxPathLossDb`
 * (bisection; mean path loss grows with distance). Useful to cull pairs that can never hear each other.
 * Capped at `maxDistanceM` (default 1000 km).
 */
export function rangeForPathLossM(
  preset: PropagationPresetName | PropagationPreset,
  maxPathLossDb: number,
  freqHz: number,
  options: MeanPathLossOptions & { maxDistanceM?: number } = {},
): number {
  let lo = MIN_PATH_LOSS_DISTANCE_M;
  let hi = options.maxDistanceM ?? 1_000_000;
  if (meanPathLossDb(preset, lo, freqHz, options) > maxPathLossDb) return 0;
  if (meanPathLossDb(preset, hi, freqHz, options) <= maxPathLossDb) return hi;
  while (hi - lo > 0.01) {
    const mid = (lo + hi) / 2;
    if (meanPathLossDb(preset, mid, freqHz, options) <= maxPathLossDb) lo = mid;
    else hi = mid;
  }
  return lo;
}
