/** TypeBox schema of {@link NetworkParams}, used to validate user parameter files. */
import Type from 'typebox';

const Decimal = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'decimal number as a string' });
const Bones = Type.String({ pattern: '^[0-9]+$', description: 'integer token amount in bones' });
const PosInt = Type.Integer({ minimum: 1 });
const NonNegInt = Type.Integer({ minimum: 0 });

const TaggedSpreadingSchema = Type.Object(
  { sf: Type.Integer({ minimum: 7, maximum: 12 }), maxPacketSize: Type.Integer({ minimum: 1, maximum: 65535 }) },
  { additionalProperties: false },
);

export const RegionParamSchema = Type.Object(
  {
    channelFrequencyHz: Type.Integer({ minimum: 100_000_000, maximum: 3_000_000_000 }),
    bandwidthHz: Type.Union([Type.Literal(125_000), Type.Literal(250_000), Type.Literal(500_000)]),
    maxEirpDbm: Type.Number({ minimum: -10, maximum: 60 }),
    spreading: Type.Array(TaggedSpreadingSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

const DensityTripleSchema = Type.Tuple([NonNegInt, NonNegInt, NonNegInt]);

export const NetworkParamsSchema = Type.Object(
  {
    profile: Type.String({ minLength: 1 }),
    entropyIntervalMs: PosInt,
    entropyLifespanS: PosInt,
    beaconIntervalS: PosInt,
    maxWitnessesPerPoc: PosInt,
    maxBeaconToWitnessLagMs: NonNegInt,
    maxWitnessLagMs: NonNegInt,
    maxFrequencyDeltaHz: NonNegInt,
    pocCellParentRes: Type.Integer({ minimum: 0, maximum: 15 }),
    pocCellDistanceMinimum: NonNegInt,
    pocDistanceLimitKm: NonNegInt,
    speedOfLightMps: Type.Number({ exclusiveMinimum: 0 }),
    reciprocityWindowS: PosInt,
    defaultTxScale: Decimal,
    hip15: Type.Object(
      { witnessRedundancy: PosInt, decayRate: Decimal, txRewardUnitCap: Decimal },
      { additionalProperties: false },
    ),
    hip17: Type.Object(
      {
        variant: Type.Union([Type.Literal('hip104'), Type.Literal('hip17')]),
        resolutions: Type.Record(Type.String({ pattern: '^([0-9]|10)$' }), DensityTripleSchema),
        interactivityLimitS: PosInt,
        interactivityLookbackS: NonNegInt,
        refreshIntervalS: PosInt,
      },
      { additionalProperties: false },
    ),
    verifierPollMs: PosInt,
    staleAfterS: PosInt,
    epochLengthS: PosInt,
    rewardOffsetS: NonNegInt,
    epochEmissionsBones: Bones,
    hntPrice: PosInt,
    hntPriceDecimals: Type.Integer({ minimum: 0, maximum: 18 }),
    rewardSplit: Type.Object(
      {
        beacons: Decimal,
        witnesses: Decimal,
        dataTransfer: Decimal,
        operations: Decimal,
        oracles: Decimal,
        unusedToBeacons: Decimal,
      },
      { additionalProperties: false },
    ),
    dcUsdPrice: Decimal,
    bytesPerDc: PosInt,
    dedupWindowMs: NonNegInt,
    multiBuy: PosInt,
    regions: Type.Record(Type.String({ minLength: 1 }), Type.Array(RegionParamSchema, { minItems: 1 })),
  },
  { additionalProperties: false },
);
