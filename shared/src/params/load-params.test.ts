import { describe, expect, it } from 'vitest';
import { HELIUM_REGION_PARAMS } from './region-params.ts';
import { DEMO_PARAMS, HELIUM_PARAMS, HIP104_RESOLUTIONS, HIP17_RESOLUTIONS, PARAM_PROFILES } from './network-params.ts';
import { ParamsError, resolveParams, validateParams } from './load-params.ts';

describe('network parameter profiles', () => {
  it('both profiles validate', () => {
    expect(validateParams(HELIUM_PARAMS)).toBe(HELIUM_PARAMS);
    expect(validateParams(DEMO_PARAMS)).toBe(DEMO_PARAMS);
    expect(Object.keys(PARAM_PROFILES).sort()).toEqual(['demo', 'helium']);
  });

  it('helium holds the deployed constants of specs/poc-and-rewards.md', () => {
    const p = HELIUM_PARAMS;
    expect(p.beaconIntervalS).toBe(6 * 3600); // gateway-rs poc.interval, verifier beacon_interval
    expect(p.entropyLifespanS).toBe(180); // iot_verifier entropy.rs
    expect(p.maxWitnessesPerPoc).toBe(14); // HIP 83
    expect([p.maxWitnessLagMs, p.maxBeaconToWitnessLagMs]).toEqual([1500, 4000]); // poc.rs
    expect([p.pocCellParentRes, p.pocCellDistanceMinimum, p.pocDistanceLimitKm]).toEqual([11, 8, 100]);
    expect(p.maxFrequencyDeltaHz).toBe(100_000);
    expect(p.reciprocityWindowS).toBe(48 * 3600); // HIP 106
    expect(p.epochLengthS).toBe(86_400);
    expect(p.bytesPerDc).toBe(24);
    expect(p.regions).toBe(HELIUM_REGION_PARAMS);
  });

  it('demo keeps the rules and compresses time (beacon interval divides the epoch)', () => {
    expect(DEMO_PARAMS.maxWitnessesPerPoc).toBe(HELIUM_PARAMS.maxWitnessesPerPoc);
    expect(DEMO_PARAMS.beaconIntervalS).toBeLessThan(HELIUM_PARAMS.beaconIntervalS);
    expect(DEMO_PARAMS.epochLengthS % DEMO_PARAMS.beaconIntervalS).toBe(0);
  });
});

describe('resolveParams', () => {
  it('returns profiles by name and helium by default', () => {
    expect(resolveParams()).toBe(HELIUM_PARAMS);
    expect(resolveParams('demo')).toBe(DEMO_PARAMS);
  });

  it('names the unknown profile and the known ones', () => {
    expect(() => resolveParams('mainnet')).toThrow(/unknown parameter profile "mainnet" \(known: helium, demo\)/);
  });

  it('merges overrides onto the named base profile', () => {
    const p = resolveParams({ profile: 'demo', maxWitnessesPerPoc: 5, hip15: { decayRate: '0.5' } });
    expect(p.maxWitnessesPerPoc).toBe(5);
    expect(p.hip15.decayRate).toBe('0.5');
    expect(p.hip15.witnessRedundancy).toBe(DEMO_PARAMS.hip15.witnessRedundancy); // merged, not replaced
    expect(p.beaconIntervalS).toBe(DEMO_PARAMS.beaconIntervalS);
  });

  it('selects the HIP-17 table when only the variant is given', () => {
    expect(resolveParams({ hip17: { variant: 'hip17' } }).hip17.resolutions).toEqual(HIP17_RESOLUTIONS);
    expect(resolveParams({ profile: 'helium', hip17: { variant: 'hip104' } }).hip17.resolutions).toEqual(HIP104_RESOLUTIONS);
  });

  it.each([
    [{ maxWitnessesPerPoc: 'many' }, /\/maxWitnessesPerPoc/],
    [{ maxWitnessesPerPoc: 0 }, /\/maxWitnessesPerPoc/],
    [{ unknownKnob: 1 }, /unknownKnob|additional/i],
    [{ hip15: { decayRate: 'fast' } }, /\/hip15\/decayRate/],
    [{ beaconIntervalS: 7 * 3600 }, /\/beaconIntervalS: 25200 must divide epochLengthS \(86400\)/],
    [{ rewardSplit: { beacons: '0.9' } }, /\/rewardSplit: shares sum to/],
    [{ regions: { EU868: [] } }, /\/regions\/EU868/],
  ])('gives a clear error naming the field for %j', (overrides, message) => {
    expect(() => resolveParams(overrides as Record<string, unknown>)).toThrow(ParamsError);
    expect(() => resolveParams(overrides as Record<string, unknown>)).toThrow(message);
  });

  it('refuses inputs that are neither a name nor an object', () => {
    expect(() => resolveParams([] as unknown as Record<string, unknown>)).toThrow(ParamsError);
  });
});
