/**
 * All regional plans by name (same spelling as `HELIUM_REGION_PARAMS` in ../params) and the lookups the
 * rest of the code needs: data rate of a DR, DR of an (sf, bw), max payload, TX power per index.
 */
import { AS923_1, AS923_2, AS923_3, AS923_4 } from './as923.ts';
import { AU915 } from './au915.ts';
import { EU868 } from './eu868.ts';
import type { DataRateDef, RegionalPlan, RegionalPlanName } from './types.ts';
import { US915 } from './us915.ts';

export const REGIONAL_PLANS: Readonly<Record<RegionalPlanName, RegionalPlan>> = Object.freeze({
  US915,
  EU868,
  AU915,
  AS923_1,
  AS923_2,
  AS923_3,
  AS923_4,
});

export const REGIONAL_PLAN_NAMES = Object.keys(REGIONAL_PLANS) as RegionalPlanName[];

/** Plan by name; accepts `AS923-1` as well as `AS923_1`, any case. */
export function getRegionalPlan(name: string): RegionalPlan {
  const key = name.trim().toUpperCase().replace('-', '_');
  const plan = (REGIONAL_PLANS as Record<string, RegionalPlan>)[key];
  if (!plan) throw new RangeError(`unknown region "${name}" (known: ${REGIONAL_PLAN_NAMES.join(', ')})`);
  return plan;
}

/** The data-rate definition of `dr` in `plan` (throws if undefined). */
export function dataRateOf(plan: RegionalPlan, dr: number): DataRateDef {
  const d = plan.dataRates[dr];
  if (!d) throw new RangeError(`${plan.name}: no data rate DR${dr}`);
  return d;
}

/**
 * The DR index of LoRa (sf, bandwidthHz) in `plan`, or undefined. Uplink indices for 'up'; for 'down'
 * the downlink-only indices DR8+ where the plan has them (US915, AU915), else the same table.
 */
export function drOf(plan: RegionalPlan, sf: number, bandwidthHz: number, direction: 'up' | 'down' = 'up'): number | undefined {
  const all = Object.keys(plan.dataRates).map(Number).sort((a, b) => a - b);
  const downOnly = all.filter((i) => !plan.uplinkDataRates.includes(i));
  const indices = direction === 'up' ? plan.uplinkDataRates : downOnly.length ? downOnly : all;
  for (const i of indices) {
    const d = plan.dataRates[i];
    if (d?.modulation === 'LORA' && d.sf === sf && d.bandwidthHz === bandwidthHz) return i;
  }
  return undefined;
}

/**
 * Max FRMPayload (N bytes) at `dr`; 0 when the DR may not be used. `uplinkDwellTime` selects the dwell
 * table where the plan has one (default: the plan's default). MACPayload = N + 8, PHYPayload = N + 13
 * without FOpts (radio.md §2.4).
 */
export function maxPayloadBytes(plan: RegionalPlan, dr: number, uplinkDwellTime = plan.defaultUplinkDwellTime): number {
  dataRateOf(plan, dr);
  const table = uplinkDwellTime && plan.maxPayloadDwell1 ? plan.maxPayloadDwell1 : plan.maxPayloadDwell0;
  return table[dr] ?? 0;
}

/** Max EIRP in dBm at TXPower index `index`: MaxEIRP − 2·index (radio.md §2.3). */
export function txPowerEirpDbm(plan: RegionalPlan, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= plan.txPowerSteps) {
    throw new RangeError(`${plan.name}: TXPower index must be 0..${plan.txPowerSteps - 1}, got ${index}`);
  }
  return plan.maxEirpDbm - 2 * index;
}
