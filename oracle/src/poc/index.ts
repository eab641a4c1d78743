/**
 * The oracle's proof-of-coverage core (pure: no I/O, no clock). Start with `verifyPoc`
 * (verify-poc.ts); the rules live in verify-beacon.ts and verify-witness.ts, HIP-15 in
 * reward-units.ts, HIP-17 in density-map.ts. Spec: ../shared/specs/poc-and-rewards.md.
 */
export * from './types.ts';
export { verifyPoc } from './verify-poc.ts';
export { verifyBeacon, checkEntropyWindow, checkCapability, checkInterval, checkPayload } from './verify-beacon.ts';
export { verifyWitness, checkLag, checkFrequency, checkMinCellDistance, checkMaxDistance, checkRssi } from './verify-witness.ts';
export { rewardUnits, beaconerRewardUnit, perWitnessRewardUnit } from './reward-units.ts';
export { buildDensityMap, computeDensityLevels, densityLimit, interactiveLocations } from './density-map.ts';
export { denyEdgeKey, makeDenyList, isDeniedEdge } from './deny-list.ts';
export { cellParentGridDistance, cellCentreDistanceM, heliumFsplDb, maxRssiDbm, wholeGainDb } from './cell-distance.ts';
export { Dec, roundBankers, decString } from './decimal.ts';
