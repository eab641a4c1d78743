/**
 * TypeBox schemas of the harness commands' input files (issue 5 "Harness commands"; docs/harness.md).
 * Amounts and scales are decimal strings, cells H3 hex or u64 decimal strings. Addresses, data rates and
 * region channel plans are the protocol's and the parameters' own schemas (shared).
 */
import Type from 'typebox';
import { Address, DataRateName as DataRate } from '@hexium/shared/protocol/index';
import { RegionParamSchema as RegionParam } from '@hexium/shared/params/index';
import { CELL_PATTERN } from './cells.ts';

const Cell = Type.String({ pattern: CELL_PATTERN, description: 'H3 cell: hex or u64 decimal string' });
const Hex = (bytes?: number) => Type.String({ pattern: bytes === undefined ? '^([0-9a-fA-F]{2})*$' : `^[0-9a-fA-F]{${bytes * 2}}$` });
const DecimalString = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$', description: 'non-negative decimal string' });
const Int = (opts: { minimum?: number; maximum?: number } = {}) => Type.Integer(opts);
const TimeMs = Int({ minimum: 0 });
const Params = Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())], { description: 'profile name or overrides' });

export const VerifyInputSchema = Type.Object(
  {
    params: Type.Optional(Params),
    regionParams: Type.Optional(Type.Record(Type.String(), Type.Array(RegionParam, { minItems: 1 }))),
    hotspots: Type.Array(
      Type.Object(
        {
          address: Address,
          location: Type.Union([Cell, Type.Null()]),
          region: Type.Union([Type.String(), Type.Null()]),
          gainDbi: Type.Number({ minimum: -50, maximum: 50 }),
          elevationM: Type.Optional(Type.Number()),
          fullHotspot: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
    denyList: Type.Optional(
      Type.Object(
        { addresses: Type.Optional(Type.Array(Address)), edges: Type.Optional(Type.Array(Type.Tuple([Address, Address]))) },
        { additionalProperties: false },
      ),
    ),
    entropy: Type.Array(
      Type.Object({ dataHex: Hex(32), timestampS: Int({ minimum: 0 }), version: Int({ minimum: 0 }) }, { additionalProperties: false }),
    ),
    history: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          { lastBeaconAtMs: Type.Optional(TimeMs), lastWitnessAtMs: Type.Optional(TimeMs), lastBeaconReciprocityAtMs: Type.Optional(TimeMs) },
          { additionalProperties: false },
        ),
      ),
    ),
    hexScales: Type.Optional(Type.Record(Type.String(), DecimalString)),
    beacon: Type.Object(
      {
        address: Address,
        localEntropyHex: Hex(4),
        remoteEntropyHex: Hex(32),
        dataHex: Hex(),
        frequencyHz: Int({ minimum: 0 }),
        dataRate: DataRate,
        txPowerDbm: Int({ minimum: -100, maximum: 100 }),
        channel: Type.Optional(Int({ minimum: 0 })),
        tmst: Type.Optional(Int({ minimum: 0 })),
        receivedAtMs: TimeMs,
      },
      { additionalProperties: false },
    ),
    witnesses: Type.Array(
      Type.Object(
        {
          address: Address,
          dataHex: Hex(),
          rssiDbm: Type.Number(),
          snrDb: Type.Optional(Type.Number()),
          frequencyHz: Int({ minimum: 0 }),
          dataRate: Type.Optional(DataRate),
          tmst: Type.Optional(Int({ minimum: 0 })),
          receivedAtMs: TimeMs,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Triple = Type.Tuple([Int({ minimum: 0 }), Int({ minimum: 0 }), Int({ minimum: 0 })]);

export const DensityInputSchema = Type.Object(
  {
    params: Type.Optional(Type.Union([Type.Literal('hip104'), Type.Literal('hip17'), Type.Record(Type.String({ pattern: '^([0-9]|1[0-5])$' }), Triple)])),
    locations: Type.Array(Cell),
  },
  { additionalProperties: false },
);

export const RewardsInputSchema = Type.Object(
  {
    params: Type.Optional(Params),
    epochEmissionsBones: Type.String({ pattern: '^[0-9]+$' }),
    hntPrice: Int({ minimum: 1 }),
    hntPriceDecimals: Int({ minimum: 0, maximum: 30 }),
    gateways: Type.Record(
      Type.String({ minLength: 1 }),
      Type.Object({ beaconShares: DecimalString, witnessShares: DecimalString, dcShares: DecimalString }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
