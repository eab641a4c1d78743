/**
 * Network parameters: every constant of Helium's IoT proof-of-coverage and rewards in one validated
 * set — Hexium's "chain variables". Profiles: `helium` (as deployed) and `demo` (same rules, time
 * compressed). Sources are cited per field; see ../shared/specs/poc-and-rewards.md.
 *
 * Decimal quantities (scales, rates, percentages, prices) are decimal strings so the oracle can do exact
 * decimal arithmetic (decimal.js) with them; amounts of tokens are strings of integer bones.
 */
import { HELIUM_REGION_PARAMS, type RegionParam } from './region-params.ts';

/** HIP-17 per-resolution parameters `[N (neighbours), density_tgt, density_max]`. */
export type DensityTriple = [number, number, number];

export interface NetworkParams {
  /** Profile name (`helium`, `demo`, or a user name). */
  profile: string;

  // --- Entropy (oracles poc_entropy/src/entropy_generator.rs, iot_verifier/src/entropy.rs) ---
  /** How often the entropy service mints a new 32-byte value. Helium: 60 s. */
  entropyIntervalMs: number;
  /** Entropy lifespan: reports must be received within [timestamp, timestamp + lifespan] s. Helium: 180 s. */
  entropyLifespanS: number;

  // --- Beacons and witnesses (iot_verifier/src/poc.rs, settings.rs, runner.rs) ---
  /** Beacon window: one beacon per epoch-aligned window. Helium: 6 h; must divide the epoch length. */
  beaconIntervalS: number;
  /** HIP-83: the first N valid witnesses by receive time are selected. Helium: 14. */
  maxWitnessesPerPoc: number;
  /** Witness lag when the beacon arrived first (MAX_BEACON_TO_WITNESS_LAG). Helium: 4000 ms. */
  maxBeaconToWitnessLagMs: number;
  /** Witness lag when a witness arrived before the beacon (MAX_WITNESS_LAG). Helium: 1500 ms. */
  maxWitnessLagMs: number;
  /** Max |beacon − witness| frequency. Helium: 100 000 Hz (equal passes). */
  maxFrequencyDeltaHz: number;
  /** Resolution of the parents compared by the minimum-distance rule (POC_CELL_PARENT_RES). Helium: 11. */
  pocCellParentRes: number;
  /** Minimum grid distance between the res-11 parents (POC_CELL_DISTANCE_MINIMUM). Helium: 8. */
  pocCellDistanceMinimum: number;
  /** Max beaconer–witness distance in whole km (POC_DISTANCE_LIMIT, HIP-58). Helium: 100. */
  pocDistanceLimitKm: number;
  /** Speed of light used by the FSPL check (poc.rs C). Helium: 2.998e8 m/s. */
  speedOfLightMps: number;
  /** HIP-106 reciprocity window for beacons and witnesses. Helium: 48 h. */
  reciprocityWindowS: number;
  /** Hex scale of a beaconer missing from the density map (DEFAULT_TX_SCALE). Helium: "0.2". */
  defaultTxScale: string;

  // --- HIP-15 reward units (runner.rs) ---
  hip15: {
    /** N = WITNESS_REDUNDANCY. Helium: 4. */
    witnessRedundancy: number;
    /** r = POC_REWARD_DECAY_RATE. Helium: "0.8". */
    decayRate: string;
    /** HIP15_TX_REWARD_UNIT_CAP. Helium: "2". */
    txRewardUnitCap: string;
  };

  // --- HIP-17 density scaling (hex_density.rs, tx_scaler.rs) ---
  hip17: {
    /** Which parameter table is active: HIP-104 (deployed) or the original HIP-17 chain vars. */
    variant: 'hip104' | 'hip17';
    /** `res → [N, tgt, max]` for res 4..10 (res ≥ 11 is never clipped). */
    resolutions: Record<string, DensityTriple>;
    /** HIP_17_INTERACTIVITY_LIMIT: interactive = beacon reciprocity within this window. Helium: 60 h. */
    interactivityLimitS: number;
    /** loader_window_max_lookback_age, subtracted from now before the interactivity window. Helium: 60 min. */
    interactivityLookbackS: number;
    /** How often the density map is rebuilt (gateway cache refresh). Helium: 30 min. */
    refreshIntervalS: number;
  };

  // --- Verifier loop (runner.rs, purger.rs) ---
  /** How often the verifier looks for rounds whose entropy has expired. Helium: 30 s. */
  verifierPollMs: number;
  /** Reports still unverified this long after they were stored are purged as `stale`. Helium: base + 45 min. */
  staleAfterS: number;

  // --- Epochs and rewards (reward_share.rs, rewarder.rs, iot_config/src/lib.rs) ---
  /** Epoch length; epoch N covers [N·len, (N+1)·len) from the Unix epoch. Helium: 86 400 s. */
  epochLengthS: number;
  /** The rewarder runs at epoch end + this offset. Helium: 30 min. */
  rewardOffsetS: number;
  /** HNT bones emitted to the IoT network per epoch (on chain: hnt_rewards_issued + delegation_rewards_issued). */
  epochEmissionsBones: string;
  /** HNT price oracle value, USD × 10^hntPriceDecimals. */
  hntPrice: number;
  /** Decimals of the HNT price. Helium: 8. */
  hntPriceDecimals: number;
  rewardSplit: {
    beacons: string; // 0.06
    witnesses: string; // 0.24
    dataTransfer: string; // 0.50
    operations: string; // 0.07
    oracles: string; // 0.07
    /** Share of the unused data-transfer allocation going to beacons (the rest goes to witnesses). 0.2 */
    unusedToBeacons: string;
  };
  /** USD per data credit (DC_USD_PRICE). Helium: "0.00001". */
  dcUsdPrice: string;
  /** Bytes per data credit (iot_packet_verifier). Helium: 24; minimum 1 DC per packet. */
  bytesPerDc: number;

  // --- Packet router (Hexium; Helium's HPR behaves alike) ---
  /** Copies of one uplink from several hotspots are collected for this long. */
  dedupWindowMs: number;
  /** How many hotspots' copies are bought (multi-buy); each earns a data-transfer share. */
  multiBuy: number;

  /** Helium region parameters by region name. */
  regions: Record<string, RegionParam[]>;
}

/** HIP-104 parameters, deployed since oracles commit b7df3368 (2024-01-26). */
export const HIP104_RESOLUTIONS: Record<string, DensityTriple> = {
  '4': [2, 500, 1000],
  '5': [4, 100, 200],
  '6': [4, 25, 50],
  '7': [4, 5, 10],
  '8': [2, 1, 1],
  '9': [2, 1, 1],
  '10': [2, 1, 1],
};

/** The original HIP-17 chain variables (oracles hex_density.rs at 513e696a). */
export const HIP17_RESOLUTIONS: Record<string, DensityTriple> = {
  '4': [1, 250, 800],
  '5': [1, 100, 400],
  '6': [1, 25, 100],
  '7': [2, 5, 20],
  '8': [2, 1, 4],
  '9': [2, 1, 2],
  '10': [2, 1, 1],
};

const HOUR_S = 3600;

/**
 * IoT emissions per epoch. Helium's year from 2025-08-01 mints 7 500 000 HNT (HIP-20); the IoT subDAO
 * receives a utility-score share of it (HIP-51/88/138) that moves with a 30-epoch EMA. Hexium assumes
 * a fixed 10 % share: 7 500 000 / 365 × 0.10 HNT = 2054.79452054 HNT = 205 479 452 054 bones per day.
 */
export const DEFAULT_EPOCH_EMISSIONS_BONES = '205479452054';

/** Parameters exactly as Helium's IoT oracles ran them (helium/oracles @ 824f7724). */
export const HELIUM_PARAMS: NetworkParams = {
  profile: 'helium',
  entropyIntervalMs: 60_000,
  entropyLifespanS: 180,
  beaconIntervalS: 6 * HOUR_S,
  maxWitnessesPerPoc: 14,
  maxBeaconToWitnessLagMs: 4000,
  maxWitnessLagMs: 1500,
  maxFrequencyDeltaHz: 100_000,
  pocCellParentRes: 11,
  pocCellDistanceMinimum: 8,
  pocDistanceLimitKm: 100,
  speedOfLightMps: 2.998e8,
  reciprocityWindowS: 48 * HOUR_S,
  defaultTxScale: '0.2',
  hip15: { witnessRedundancy: 4, decayRate: '0.8', txRewardUnitCap: '2' },
  hip17: {
    variant: 'hip104',
    resolutions: HIP104_RESOLUTIONS,
    interactivityLimitS: 60 * HOUR_S,
    interactivityLookbackS: HOUR_S,
    refreshIntervalS: 30 * 60,
  },
  verifierPollMs: 30_000,
  // base_stale_period (0 by default in settings-template.toml) + 45 min (purger.rs)
  staleAfterS: 45 * 60,
  epochLengthS: 24 * HOUR_S,
  rewardOffsetS: 30 * 60,
  epochEmissionsBones: DEFAULT_EPOCH_EMISSIONS_BONES,
  hntPrice: 359_000_000, // $3.59 × 1e8
  hntPriceDecimals: 8,
  rewardSplit: {
    beacons: '0.06',
    witnesses: '0.24',
    dataTransfer: '0.50',
    operations: '0.07',
    oracles: '0.07',
    unusedToBeacons: '0.2',
  },
  dcUsdPrice: '0.00001',
  bytesPerDc: 24,
  dedupWindowMs: 200,
  multiBuy: 1,
  regions: HELIUM_REGION_PARAMS,
};

/**
 * Same rules, time compressed 288× for epochs (24 h → 5 min) so a laptop shows beacons every few
 * seconds and an epoch every few minutes. Radio-side limits (lags, distances, frequencies) are unchanged.
 */
export const DEMO_PARAMS: NetworkParams = {
  ...HELIUM_PARAMS,
  profile: 'demo',
  entropyIntervalMs: 5_000,
  entropyLifespanS: 15,
  beaconIntervalS: 60,
  reciprocityWindowS: 600, // 48 h / 288
  hip17: { ...HELIUM_PARAMS.hip17, interactivityLimitS: 750, interactivityLookbackS: 15, refreshIntervalS: 30 },
  verifierPollMs: 2_000,
  staleAfterS: 120,
  epochLengthS: 300,
  rewardOffsetS: 20,
  epochEmissionsBones: '713470319', // DEFAULT_EPOCH_EMISSIONS_BONES / 288, floored
  dedupWindowMs: 200,
  multiBuy: 2,
};

export const PARAM_PROFILES: Record<string, NetworkParams> = { helium: HELIUM_PARAMS, demo: DEMO_PARAMS };
