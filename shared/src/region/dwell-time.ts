/**
 * Dwell time: at most 400 ms on air per uplink in US915 (FCC), and in AU915/AS923 when the uplink dwell
 * limit is on (their default; LoRaMac-node `AU915_/AS923_DEFAULT_UPLINK_DWELL_TIME 1`). This is why US915
 * DR0 carries at most 11 B (24 B PHYPayload, 370.7 ms). ../shared/specs/radio.md §1.2, §2.5.
 */
import type { RegionalPlan } from './types.ts';

/** The 400 ms dwell limit, ms. */
export const DWELL_TIME_LIMIT_MS = 400;

/** Whether an uplink of `airtimeMs` fits the dwell limit. */
export function withinDwellTime(airtimeMs: number, limitMs = DWELL_TIME_LIMIT_MS): boolean {
  return airtimeMs <= limitMs;
}

/**
 * Whether an uplink of `airtimeMs` is allowed by `plan`'s dwell rule; `uplinkDwellTime` overrides the
 * plan default (TxParamSetupReq). US915's limit always applies.
 */
export function dwellTimeAllows(plan: RegionalPlan, airtimeMs: number, uplinkDwellTime = plan.defaultUplinkDwellTime): boolean {
  if (plan.dwellTimeLimitMs === undefined) return true;
  const on = plan.name === 'US915' ? true : uplinkDwellTime;
  return !on || withinDwellTime(airtimeMs, plan.dwellTimeLimitMs);
}
