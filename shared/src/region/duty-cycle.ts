/**
 * EU868 duty-cycle sub-bands and a pure bookkeeping helper (../shared/specs/radio.md §2.5).
 *
 * Sub-bands: LoRaMac-node `RegionEU868.c` `VerifyRfFreq` and `RegionEU868.h` `EU868_BAND0..5`
 * (DCycle 100 = 1 %, 1000 = 0.1 %, 10 = 10 %). Rule used here (radio.md §2.5 "simulator rule"): after a
 * transmission of airtime T in a sub-band with duty cycle d = 1/divisor, the sub-band is blocked for
 * T·(1/d − 1) = T·(divisor − 1) after the transmission ends. LoRaMac-node instead keeps a 1 h time-credit
 * bucket per band; the simple off-time rule is stricter over short horizons and equal on average.
 */

export interface DutyCycleSubBand {
  /** LoRaMac-node band id. */
  band: number;
  /** Edges in Hz, inclusive unless `lowExclusive` / `highExclusive` (as in LoRaMac-node `VerifyRfFreq`). */
  minHz: number;
  maxHz: number;
  lowExclusive?: boolean;
  highExclusive?: boolean;
  /** 1/d: 100 for 1 %, 1000 for 0.1 %, 10 for 10 % (LoRaMac-node DCycle). */
  dutyCycleDivisor: number;
}

/** EU868 sub-bands, in the order LoRaMac-node `VerifyRfFreq` tests them. */
export const EU868_SUB_BANDS: readonly DutyCycleSubBand[] = Object.freeze([
  { band: 2, minHz: 863_000_000, maxHz: 865_000_000, highExclusive: true, dutyCycleDivisor: 1000 }, // 0.1 %
  { band: 0, minHz: 865_000_000, maxHz: 868_000_000, dutyCycleDivisor: 100 }, // 1 %
  { band: 1, minHz: 868_000_000, maxHz: 868_600_000, lowExclusive: true, dutyCycleDivisor: 100 }, // 1 %, default channels
  { band: 5, minHz: 868_700_000, maxHz: 869_200_000, dutyCycleDivisor: 1000 }, // 0.1 %
  { band: 3, minHz: 869_400_000, maxHz: 869_650_000, dutyCycleDivisor: 10 }, // 10 %, RX2 869.525 MHz
  { band: 4, minHz: 869_700_000, maxHz: 870_000_000, dutyCycleDivisor: 100 }, // 1 %
]);

/** The sub-band of `freqHz`, or undefined if EU868 allows no transmission there. */
export function subBandOf(freqHz: number, subBands: readonly DutyCycleSubBand[] = EU868_SUB_BANDS): DutyCycleSubBand | undefined {
  for (const b of subBands) {
    const aboveLow = b.lowExclusive ? freqHz > b.minHz : freqHz >= b.minHz;
    const belowHigh = b.highExclusive ? freqHz < b.maxHz : freqHz <= b.maxHz;
    if (aboveLow && belowHigh) return b;
  }
  return undefined;
}

/** Off-time in ms after a transmission of `airtimeMs` in a band of duty cycle 1/divisor: T·(1/d − 1). */
export function offTimeMs(airtimeMs: number, dutyCycleDivisor: number): number {
  return airtimeMs * (dutyCycleDivisor - 1);
}

/**
 * Per-sub-band bookkeeping for one transmitter. Time is passed in (ms on any monotonic scale); nothing
 * reads a clock. `record` takes the start time of the transmission.
 */
export class DutyCycleTracker {
  private readonly freeAtMs = new Map<number, number>();

  constructor(readonly subBands: readonly DutyCycleSubBand[] = EU868_SUB_BANDS) {}

  private bandOf(freqHz: number): DutyCycleSubBand {
    const b = subBandOf(freqHz, this.subBands);
    if (!b) throw new RangeError(`${freqHz} Hz is outside every duty-cycle sub-band`);
    return b;
  }

  /** Whether a transmission may start on `freqHz` at `nowMs`. */
  canTransmit(freqHz: number, nowMs: number): boolean {
    return nowMs >= this.nextFreeMs(freqHz);
  }

  /** Record a transmission of `airtimeMs` starting at `nowMs` on `freqHz`. */
  record(freqHz: number, airtimeMs: number, nowMs: number): void {
    if (!(airtimeMs >= 0) || !Number.isFinite(airtimeMs)) throw new RangeError(`airtimeMs must be ≥ 0, got ${airtimeMs}`);
    const b = this.bandOf(freqHz);
    const free = nowMs + airtimeMs + offTimeMs(airtimeMs, b.dutyCycleDivisor);
    this.freeAtMs.set(b.band, Math.max(free, this.freeAtMs.get(b.band) ?? -Infinity));
  }

  /** Earliest time a transmission may start on `freqHz` (−∞ if the sub-band was never used). */
  nextFreeMs(freqHz: number): number {
    return this.freeAtMs.get(this.bandOf(freqHz).band) ?? -Infinity;
  }
}
