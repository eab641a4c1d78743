/**
 * Okumura–Hata path loss (Hata 1980; COST-231 final report eq. 4.4.1), ../shared/specs/radio.md §3.3.
 * f in MHz, d in km, heights in m:
 *
 *   L_urban    = 69.55 + 26.16·log10 f − 13.82·log10 hb − a(hm) + (44.9 − 6.55·log10 hb)·log10 d
 *   a(hm) small/medium city = (1.1·log10 f − 0.7)·hm − (1.56·log10 f − 0.8)
 *   a(hm) large city        = 3.2·(log10(11.75·hm))² − 4.97   (f ≥ 200 MHz; below: 8.29·(log10(1.54·hm))² − 1.1)
 *   L_suburban = L_urban(small/medium) − 2·(log10(f/28))² − 5.4
 *   L_open     = L_urban(small/medium) − 4.78·(log10 f)² + 18.33·log10 f − 40.94
 *
 * Validity: f 150–1500 MHz, hb 30–200 m, hm 1–10 m, d 1–20 km. Outside it {@link hataPathLossDb}
 * throws {@link HataRangeError} unless `force` is set. The 200 MHz switch of the large-city a(hm) follows
 * nsnam/ns-3-dev-git `src/propagation/model/okumura-hata-propagation-loss-model.cc`. The open-area term
 * uses 4.78 (the standard), not ns-3's open-area test reference (radio.md §3.3).
 */

export type HataEnvironment = 'urban' | 'urban-large' | 'suburban' | 'open';

export const HATA_ENVIRONMENTS: readonly HataEnvironment[] = ['urban', 'urban-large', 'suburban', 'open'];

export interface HataOptions {
  /** Base-station (gateway) antenna height, m. Default 30. */
  hbM?: number;
  /** Mobile (end-device) antenna height, m. Default 1.5. */
  hmM?: number;
  /** 'urban' = small/medium city, 'urban-large' = large city, 'suburban', 'open'. Default 'urban'. */
  environment?: HataEnvironment;
  /** Extrapolate outside the validity range instead of throwing. */
  force?: boolean;
}

/** Validity range of the Okumura–Hata formula (Hata 1980). */
export const HATA_VALIDITY = Object.freeze({
  freqMhz: [150, 1500] as const,
  hbM: [30, 200] as const,
  hmM: [1, 10] as const,
  distanceKm: [1, 20] as const,
});

/** Thrown when Okumura–Hata is asked for a point outside its validity range (and `force` is off). */
export class HataRangeError extends RangeError {
  override name = 'HataRangeError';
}

function inRange(v: number, [lo, hi]: readonly [number, number]): boolean {
  return v >= lo && v <= hi;
}

/** Mean Okumura–Hata path loss in dB for `distanceM` metres at `freqHz`. */
export function hataPathLossDb(distanceM: number, freqHz: number, options: HataOptions = {}): number {
  const hb = options.hbM ?? 30;
  const hm = options.hmM ?? 1.5;
  const env = options.environment ?? 'urban';
  const fMhz = freqHz / 1e6;
  const dKm = distanceM / 1000;
  if (!(dKm > 0) || !(fMhz > 0) || !(hb > 0) || !(hm > 0) || ![dKm, fMhz, hb, hm].every(Number.isFinite)) {
    throw new RangeError(`Okumura–Hata needs positive finite inputs (d ${distanceM} m, f ${freqHz} Hz, hb ${hb} m, hm ${hm} m)`);
  }
  if (!HATA_ENVIRONMENTS.includes(env)) throw new RangeError(`unknown Hata environment "${env}"`);
  if (!options.force) {
    const out: string[] = [];
    if (!inRange(fMhz, HATA_VALIDITY.freqMhz)) out.push(`frequency ${fMhz} MHz (valid 150–1500 MHz)`);
    if (!inRange(hb, HATA_VALIDITY.hbM)) out.push(`gateway height ${hb} m (valid 30–200 m)`);
    if (!inRange(hm, HATA_VALIDITY.hmM)) out.push(`device height ${hm} m (valid 1–10 m)`);
    if (!inRange(dKm, HATA_VALIDITY.distanceKm)) out.push(`distance ${dKm} km (valid 1–20 km)`);
    if (out.length) throw new HataRangeError(`Okumura–Hata outside its validity range: ${out.join(', ')}`);
  }
  const logF = Math.log10(fMhz);
  const logHb = Math.log10(hb);
  const aSmall = (1.1 * logF - 0.7) * hm - (1.56 * logF - 0.8);
  let aHm = aSmall;
  if (env === 'urban-large') {
    aHm = fMhz < 200 ? 8.29 * Math.log10(1.54 * hm) ** 2 - 1.1 : 3.2 * Math.log10(11.75 * hm) ** 2 - 4.97;
  }
  const urban = 69.55 + 26.16 * logF - 13.82 * logHb - aHm + (44.9 - 6.55 * logHb) * Math.log10(dKm);
  switch (env) {
    case 'urban':
    case 'urban-large':
      return urban;
    case 'suburban':
      return urban - 2 * Math.log10(fMhz / 28) ** 2 - 5.4;
    case 'open':
      return urban - 4.78 * logF ** 2 + 18.33 * logF - 40.94;
  }
}
