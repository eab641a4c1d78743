/**
 * Responses of the oracle HTTP API (docs/api.md), one TypeBox schema each: the oracle's routes declare
 * them as their `response` schemas (so `/docs` shows them, and Fastify serializes with them: a property
 * missing here is not sent), and the map takes its types from them.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { PocResultSchema, RewardManifestSchema } from './messages.ts';
import { NetworkParamsSchema } from '../params/params-schema.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A decimal string of an integer token amount (bones, DC). */
const IntegerString = Type.String({ description: 'decimal string of an integer amount' });
/** A decimal string of a fraction (HIP-17 scale). */
const DecimalString = Type.String({ description: 'decimal number as a string' });

/** Every 4xx (and the 500): a stable code and a message (docs/api.md "Errors"). */
export const ApiErrorSchema = Type.Object({ code: Type.String(), message: Type.String() });

export const HealthSchema = Type.Object({ status: Type.String({ description: '"ok", or "starting" (503) before broker and store are up' }) });

/** `GET /api/v1/params`: the active network parameters. */
export const NetworkParamsResponseSchema = NetworkParamsSchema;

export const NetworkSummarySchema = Type.Object({
  hotspots: Type.Integer(),
  online: Type.Integer(),
  beaconsLastHour: Type.Integer(),
  witnessesLastHour: Type.Integer(),
  /** valid ÷ all witness verdicts of rounds received in the last hour; null without any. */
  validWitnessShare: Nullable(Type.Number()),
  /** DC charged by the packet router, all time. */
  dcSpent: IntegerString,
  latestEpoch: Nullable(Type.Object({ epoch: Type.Integer(), hash: Type.String(), totalBones: IntegerString })),
});

/**
 * A PocResult as the API serves it from the store: rounds stored by an oracle older than `dataHex` lack it
 * (docs/api.md "Notes on the shapes"), so it is optional here; every other field is the PocResult's.
 */
export const StoredPocResultSchema = Type.Object(
  { ...PocResultSchema.properties, dataHex: Type.Optional(PocResultSchema.properties.dataHex) },
  { additionalProperties: false, description: 'PocResult (dataHex absent from rounds stored before it existed)' },
);

export const PocStatusSchema = Type.Union([Type.Literal('valid'), Type.Literal('invalid')]);

/** The properties of one hotspot feature (`GET /api/v1/hotspots`). */
export const HotspotPropertiesSchema = Type.Object({
  address: Type.String(),
  name: Type.String(),
  location: Nullable(Type.String()),
  region: Nullable(Type.String()),
  gainDbi: Type.Number(),
  elevationM: Type.Number(),
  fullHotspot: Type.Boolean(),
  online: Type.Boolean(),
  lastBeaconAtMs: Nullable(Type.Integer()),
  lastPocStatus: Nullable(PocStatusSchema),
  hexScale: Nullable(DecimalString),
});

export const HotspotFeatureSchema = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  /** Null for a hotspot without an asserted location. */
  geometry: Nullable(Type.Object({ type: Type.Literal('Point'), coordinates: Type.Tuple([Type.Number(), Type.Number()], { description: '[lng, lat]' }) })),
  properties: HotspotPropertiesSchema,
});

export const HotspotCollectionSchema = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(HotspotFeatureSchema) });

export const HotspotRewardSchema = Type.Object({
  epoch: Type.Integer(),
  beaconAmount: IntegerString,
  witnessAmount: IntegerString,
  dcTransferAmount: IntegerString,
  total: IntegerString,
});

/** `GET /api/v1/hotspots/:address`. */
export const HotspotDetailSchema = Type.Object({
  address: Type.String(),
  name: Type.String(),
  location: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  region: Nullable(Type.String()),
  gainDbi: Type.Number(),
  elevationM: Type.Number(),
  fullHotspot: Type.Boolean(),
  online: Type.Boolean(),
  hexScale: Nullable(DecimalString),
  lastBeaconAtMs: Nullable(Type.Integer()),
  /** As beaconer or witness, newest first, at most 20. */
  recentRounds: Type.Array(StoredPocResultSchema),
  rewards: Type.Array(HotspotRewardSchema),
});

/** `POST /api/v1/hotspots` (201 created, 200 updated). */
export const OnboardedSchema = Type.Object({ hotspot: HotspotDetailSchema });

/** `POST /api/v1/hotspots/bulk`. */
export const BulkOnboardedSchema = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() })),
});

export const CoverageHexSchema = Type.Object({
  cell: Type.String(),
  hotspots: Type.Integer(),
  /** Valid witness reports received by the cell's hotspots. */
  witnesses: Type.Integer(),
  bestRssiDbm: Nullable(Type.Number()),
  /** Mean HIP-17 scale of the cell's hotspots, 4 decimals; null when none has one yet. */
  scale: Nullable(DecimalString),
});

export const CoverageSchema = Type.Object({ res: Type.Integer(), hexes: Type.Array(CoverageHexSchema) });

export const RoundListSchema = Type.Object({ rounds: Type.Array(StoredPocResultSchema) });

export const EpochSummarySchema = Type.Object({
  epoch: Type.Integer(),
  startS: Type.Integer(),
  endS: Type.Integer(),
  hash: Type.String(),
  prevHash: Nullable(Type.String()),
  hotspots: Type.Integer(),
  /** Paid to hotspots (beacon + witness + data transfer). */
  totalBones: IntegerString,
  /** The manifest checks (`verifyManifest`) and chains to the previous stored epoch. */
  verified: Type.Boolean(),
});

export const EpochListSchema = Type.Object({ epochs: Type.Array(EpochSummarySchema) });

export const EpochRewardSchema = Type.Object({
  hotspot: Type.String(),
  name: Type.String(),
  beaconAmount: IntegerString,
  witnessAmount: IntegerString,
  dcTransferAmount: IntegerString,
  total: IntegerString,
});

export const EpochDetailSchema = Type.Object({
  epoch: Type.Integer(),
  startS: Type.Integer(),
  endS: Type.Integer(),
  hash: Type.String(),
  rewards: Type.Array(EpochRewardSchema),
  operations: IntegerString,
  oracles: IntegerString,
  unallocatedPoc: IntegerString,
});

/** `GET /api/v1/epochs/:n/manifest`: the signed manifest as stored. */
export const ManifestResponseSchema = RewardManifestSchema;

export const ChallengeAcceptedSchema = Type.Object({ challengeId: Type.String(), hotspot: Type.String(), issuedAtMs: Type.Integer() });

export const DenyListSchema = Type.Object({
  tag: Type.String(),
  addresses: Type.Array(Type.String()),
  /** Undirected (beaconer, witness) edges. */
  edges: Type.Array(Type.Tuple([Type.String(), Type.String()])),
});

const DcString = Type.String({ pattern: '^[0-9]+$' });
const Hex32 = Type.String({ pattern: '^[0-9a-fA-F]{8}$' });

/** One organization of the packet router (docs/data-credits.md). */
export const OrgSchema = Type.Object({
  orgId: Type.String(),
  name: Type.String(),
  dcBalance: DcString,
  devAddrRanges: Type.Array(Type.Object({ start: Hex32, end: Hex32 })),
  devices: Type.Array(
    Type.Object({
      devEui: Nullable(Type.String()),
      joinEui: Nullable(Type.String()),
      devAddr: Nullable(Type.String()),
      activation: Type.String({ description: '"otaa" or "abp"' }),
    }),
  ),
});

export const OrgListSchema = Type.Object({ orgs: Type.Array(OrgSchema) });
export const OrgResponseSchema = Type.Object({ org: OrgSchema });
export const DcBurnSchema = Type.Object({ dcAdded: DcString, dcBalance: DcString });

export type StoredPocResult = Static<typeof StoredPocResultSchema>;
export type ApiErrorBody = Static<typeof ApiErrorSchema>;
export type NetworkSummary = Static<typeof NetworkSummarySchema>;
export type PocStatus = Static<typeof PocStatusSchema>;
export type HotspotProperties = Static<typeof HotspotPropertiesSchema>;
export type HotspotFeature = Static<typeof HotspotFeatureSchema>;
export type HotspotCollection = Static<typeof HotspotCollectionSchema>;
export type HotspotReward = Static<typeof HotspotRewardSchema>;
export type HotspotDetail = Static<typeof HotspotDetailSchema>;
export type BulkOnboarded = Static<typeof BulkOnboardedSchema>;
export type CoverageHex = Static<typeof CoverageHexSchema>;
export type CoverageResponse = Static<typeof CoverageSchema>;
export type EpochSummary = Static<typeof EpochSummarySchema>;
export type EpochDetail = Static<typeof EpochDetailSchema>;
export type ChallengeAccepted = Static<typeof ChallengeAcceptedSchema>;
export type DenyList = Static<typeof DenyListSchema>;
export type Org = Static<typeof OrgSchema>;

/** One source layer of a vector tile set (TileJSON 3.0.0 §3.17 vector_layers). */
export const VectorLayerSchema = Type.Object({
  id: Type.String(),
  description: Type.String(),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  /** Property name → description of its values ("String", "Number", "Boolean"). */
  fields: Type.Record(Type.String(), Type.String()),
});

/** `GET /api/v1/tiles/{layer}.json` (hotspots, coverage, basemap): TileJSON 3.0.0 (github.com/mapbox/tilejson-spec/tree/master/3.0.0). */
export const TileJsonSchema = Type.Object({
  tilejson: Type.Literal('3.0.0'),
  name: Type.String(),
  description: Type.String(),
  version: Type.String(),
  /** Credit to show with the data (the basemap's OpenStreetMap licence). */
  attribution: Type.Optional(Type.String()),
  scheme: Type.Literal('xyz'),
  /** Absolute tile URL templates with {z}, {x}, {y}. */
  tiles: Type.Array(Type.String()),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  /** [west, south, east, north] in degrees. */
  bounds: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]),
  /** [lng, lat, zoom] a client may open at. */
  center: Type.Optional(Type.Tuple([Type.Number(), Type.Number(), Type.Number()])),
  vector_layers: Type.Array(VectorLayerSchema),
});

export type TileJson = Static<typeof TileJsonSchema>;
