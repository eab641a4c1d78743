/**
 * Resolve and validate network parameters: a profile name, or an object of overrides merged onto a
 * base profile. Errors name the offending field. File reading stays in the callers (CLI, server).
 */
import Value from 'typebox/value';
import { NetworkParamsSchema } from './params-schema.ts';
import { HIP104_RESOLUTIONS, HIP17_RESOLUTIONS, PARAM_PROFILES, type NetworkParams } from './network-params.ts';

export class ParamsError extends Error {
  override name = 'ParamsError';
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deep merge: objects merge key by key, everything else (arrays included) replaces. */
function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/** Throws {@link ParamsError} listing every schema violation and cross-field rule that fails. */
export function validateParams(candidate: unknown): NetworkParams {
  const problems = [...Value.Errors(NetworkParamsSchema, candidate)].map(
    (e) => `${e.instancePath || '/'}: ${e.message}`,
  );
  if (problems.length === 0) {
    const p = candidate as NetworkParams;
    if (p.epochLengthS % p.beaconIntervalS !== 0) {
      // iot_verifier refuses to start when the beacon interval does not divide 24 h (settings.rs)
      problems.push(`/beaconIntervalS: ${p.beaconIntervalS} must divide epochLengthS (${p.epochLengthS})`);
    }
    const s = p.rewardSplit;
    const sum = [s.beacons, s.witnesses, s.dataTransfer, s.operations, s.oracles].reduce((a, x) => a + Number(x), 0);
    if (sum > 1 + 1e-12) problems.push(`/rewardSplit: shares sum to ${sum}, more than 1`);
  }
  if (problems.length > 0) throw new ParamsError(`invalid network parameters:\n  ${problems.join('\n  ')}`);
  return candidate as NetworkParams;
}

/**
 * `input` is a profile name (`helium`, `demo`), an object of overrides (merged onto `profile` in the
 * object, or `helium`), or undefined (helium). `hip17.variant` given without `resolutions` selects the
 * matching table.
 */
export function resolveParams(input?: string | Record<string, unknown>): NetworkParams {
  if (input === undefined) return PARAM_PROFILES.helium;
  if (typeof input === 'string') {
    const p = PARAM_PROFILES[input];
    if (!p) throw new ParamsError(`unknown parameter profile "${input}" (known: ${Object.keys(PARAM_PROFILES).join(', ')})`);
    return p;
  }
  if (!isPlainObject(input)) throw new ParamsError('network parameters must be a profile name or a JSON object');
  const baseName = typeof input.profile === 'string' && PARAM_PROFILES[input.profile] ? input.profile : 'helium';
  const over = structuredClone(input);
  const hip17 = over.hip17;
  if (isPlainObject(hip17) && hip17.variant !== undefined && hip17.resolutions === undefined) {
    hip17.resolutions = hip17.variant === 'hip17' ? HIP17_RESOLUTIONS : HIP104_RESOLUTIONS;
  }
  const merged = deepMerge(PARAM_PROFILES[baseName], over) as Record<string, unknown>;
  if (isPlainObject(hip17) && isPlainObject(hip17.resolutions)) {
    (merged.hip17 as Record<string, unknown>).resolutions = hip17.resolutions; // replace, never merge tables
  }
  return validateParams(merged);
}
