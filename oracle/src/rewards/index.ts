/**
 * The oracle's reward core (pure: no I/O, no clock): DC per packet, epoch rewards, reward manifests.
 * Spec: ../shared/specs/poc-and-rewards.md §(d).
 */
export { dcForPayload } from './dc.ts';
export { computeEpochRewards, type EpochRewardsInput, type EpochRewards, type GatewayShares, type GatewayAmounts } from './epoch-rewards.ts';
export { buildManifest, verifyManifest, verifyManifestChain, manifestHash, type BuildManifestInput, type ManifestCheck } from './manifest.ts';
