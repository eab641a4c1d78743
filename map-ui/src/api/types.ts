/**
 * Shapes of the oracle HTTP API and its live events as the map reads them: the TypeBox schemas the oracle
 * serves them with (shared/src/protocol/api.ts, events.ts; docs/api.md). Type-only imports: nothing of
 * the schemas enters the bundle.
 */
export type {
  BeaconEvent,
  ChallengeAccepted,
  ChallengeEvent,
  CoverageHex,
  CoverageResponse,
  EpochDetail,
  EpochSummary,
  HotspotCollection,
  HotspotDetail,
  HotspotFeature,
  HotspotProperties,
  HotspotReward,
  HotspotStatusEvent,
  NetworkSummary,
  PacketEvent,
  PocStatus,
  RewardEvent,
  WitnessEvent,
} from '@hexium/shared/protocol/index';

/** A PocResult from the API or the `poc` event (the stored form: `dataHex` may be absent from old rounds). */
export type { StoredPocResult as PocResult } from '@hexium/shared/protocol/index';
