/**
 * The shape of a LoRaWAN regional plan (RP002 Regional Parameters) as Hexium uses it. Data comes from
 * ../shared/specs/radio.md §2 (LoRaMac-node `src/mac/region/Region*.{h,c}` and ChirpStack
 * `lrwn/src/region/*.rs`). Helium's own region parameters (beacon channels, tagged spreading) are in
 * `../params/region-params.ts`, not here.
 */
import type { HeliumRegion } from '../params/region-params.ts';

export type RegionalPlanName = HeliumRegion;

/** A data-rate index: LoRa (sf, bandwidth) or a modulation Hexium does not simulate. */
export type DataRateDef =
  | { modulation: 'LORA'; sf: number; bandwidthHz: number }
  | { modulation: 'FSK'; bitRate: number }
  | { modulation: 'LR-FHSS'; codingRate: string; occupiedBandwidthHz: number };

export interface RxWindow {
  freqHz: number;
  dr: number;
}

export interface Rx1Options {
  /** AS923 only: downlink dwell time limit on (raises the minimum RX1 DR to DR2). Default false. */
  downlinkDwellTime?: boolean;
}

export interface RegionalPlan {
  name: RegionalPlanName;
  /** The uplink channels a device uses in the Hexium/Helium deployment, Hz. */
  uplinkChannelsHz: readonly number[];
  /** The default (join) channels the region defines, Hz. */
  joinChannelsHz: readonly number[];
  /** Data-rate table by index (uplink and downlink indices together, as the region numbers them). */
  dataRates: Readonly<Record<number, DataRateDef>>;
  /** Indices usable for uplinks. */
  uplinkDataRates: readonly number[];
  /** Device max EIRP, dBm. */
  maxEirpDbm: number;
  /** Default device antenna gain assumed by LoRaMac-node, dBi. */
  defaultAntennaGainDbi: number;
  /** Number of TXPower indices (0 = max EIRP, each step −2 dB). */
  txPowerSteps: number;
  /** Max FRMPayload (N) per DR with uplink dwell time off; 0 = not allowed. */
  maxPayloadDwell0: readonly number[];
  /** Max FRMPayload (N) per DR with the 400 ms dwell limit on (AU915, AS923); undefined if not applicable. */
  maxPayloadDwell1?: readonly number[];
  /** Uplink dwell-time limit in ms when the dwell limit is on (400 ms in US915, AU915, AS923). */
  dwellTimeLimitMs?: number;
  /** Whether the uplink dwell limit is on by default (LoRaMac-node `*_DEFAULT_UPLINK_DWELL_TIME`). */
  defaultUplinkDwellTime: boolean;
  /**
   * The channels (Hz) of `uplinkChannelsHz` (or of `joinChannelsHz` with `join`) on which an uplink at
   * data rate `dr` may go out: a channel's bandwidth must be the data rate's (RP002-1.0.x §2.5.2 US915 and
   * §2.6.2 AU915: 125 kHz channels 0–63 carry the 125 kHz DRs, 500 kHz channels 64–71 only the 500 kHz
   * uplink DR — DR4 in US915, DR6 in AU915). Throws when `dr` is not an uplink LoRa DR of the plan or
   * no channel of the set carries it.
   */
  uplinkChannelsFor(dr: number, join?: boolean): readonly number[];
  rx1(uplinkFreqHz: number, uplinkDr: number, rx1DrOffset?: number, options?: Rx1Options): RxWindow;
  rx2: RxWindow;
  delays: RxDelays;
  /** EU868 only: duty cycle applies (see duty-cycle.ts). */
  dutyCycle: boolean;
}

export interface RxDelays {
  rx1DelayMs: number;
  rx2DelayMs: number;
  joinAcceptDelay1Ms: number;
  joinAcceptDelay2Ms: number;
}

/** Timing common to all four regions (ChirpStack `get_defaults()` in each region file; radio.md §2.2). */
export const DEFAULT_RX_DELAYS: Readonly<RxDelays> = Object.freeze({
  rx1DelayMs: 1000,
  rx2DelayMs: 2000,
  joinAcceptDelay1Ms: 5000,
  joinAcceptDelay2Ms: 6000,
});

/** LoRa DR entry helper. */
export function lora(sf: number, bandwidthHz = 125_000): DataRateDef {
  return { modulation: 'LORA', sf, bandwidthHz };
}

export function checkDr(plan: { name: string; dataRates: Readonly<Record<number, DataRateDef>> }, dr: number): void {
  if (!Number.isInteger(dr) || plan.dataRates[dr] === undefined) throw new RangeError(`${plan.name}: no data rate DR${dr}`);
}

export function checkOffset(name: string, offset: number, max: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset > max) throw new RangeError(`${name}: RX1 DR offset must be 0..${max}, got ${offset}`);
}

export function channelRange(firstHz: number, stepHz: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => firstHz + i * stepHz);
}

/**
 * Channel number of a US915/AU915-style grid: 64 channels of 125 kHz every 200 kHz from `first125Hz`
 * (0..63), then 8 of 500 kHz every 1.6 MHz from `first500Hz` (64..71). Throws off the grid.
 */
export function gridChannelOf(freqHz: number, first125Hz: number, first500Hz: number): number {
  const n = (freqHz - first125Hz) / 200_000;
  if (Number.isInteger(n) && n >= 0 && n < 64) return n;
  const w = (freqHz - first500Hz) / 1_600_000;
  if (Number.isInteger(w) && w >= 0 && w < 8) return 64 + w;
  throw new RangeError(`${freqHz} Hz is not an uplink channel of the plan`);
}

/**
 * The channels of `channelsHz` whose bandwidth (`bandwidthOf`) is the bandwidth of uplink data rate `dr`
 * (the rule behind every plan's `uplinkChannelsFor`). Throws with the plan's name on a DR that is not an
 * uplink LoRa DR and when no channel of the set carries it.
 */
export function channelsCarrying(
  plan: Pick<RegionalPlan, 'name' | 'dataRates' | 'uplinkDataRates'>,
  dr: number,
  channelsHz: readonly number[],
  bandwidthOf: (freqHz: number) => number,
): number[] {
  const d = plan.dataRates[dr];
  if (!plan.uplinkDataRates.includes(dr) || d?.modulation !== 'LORA') throw new RangeError(`${plan.name}: DR${dr} is not an uplink LoRa data rate`);
  const out = channelsHz.filter((f) => bandwidthOf(f) === d.bandwidthHz);
  if (out.length === 0) throw new RangeError(`${plan.name}: no channel of the plan's set carries DR${dr} (SF${d.sf}, ${d.bandwidthHz / 1000} kHz)`);
  return out;
}

/** Bandwidth of a US915/AU915-style grid channel: 125 kHz for channels 0–63, 500 kHz for 64–71 (RP002 §2.5.2/§2.6.2). */
export function gridChannelBandwidthHz(freqHz: number, first125Hz: number, first500Hz: number): number {
  return gridChannelOf(freqHz, first125Hz, first500Hz) < 64 ? 125_000 : 500_000;
}
