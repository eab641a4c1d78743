/**
 * The oracle's reward core (pure: no I/O, no clock): epoch rewards, reward manifests. DC per packet is the
 * packet router's (`router/dc.ts` `dcForPayload`). Spec: ../shared/specs/poc-and-rewards.md §(d).
 */
export { computeEpochRewards, type EpochRewardsInput, type EpochRewards, type GatewayShares, type GatewayAmounts } from './epoch-rewards.ts';
export { buildManifest, verifyManifest, verifyManifestChain, manifestHash, type BuildManifestInput, type ManifestCheck } from './manifest.ts';
