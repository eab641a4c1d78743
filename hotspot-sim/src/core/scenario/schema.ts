/**
 * The scenario file format (docs/simulator.md "Scenario format"): a TypeBox schema, so the loader,
 * the generator and the docs agree on every field. Defaults are applied by `load-scenario.ts`.
 */
import Type, { type Static, type TSchema } from 'typebox';

/** A number, or a distribution to draw one from per hotspot/sensor. */
export const DistributionSchema = Type.Union([
  Type.Number(),
  Type.Object({ uniform: Type.Tuple([Type.Number(), Type.Number()]) }, { additionalProperties: false }),
  Type.Object(
    { normal: Type.Object({ mean: Type.Number(), sd: Type.Number({ minimum: 0 }), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
  Type.Object({ choice: Type.Array(Type.Number(), { minItems: 1 }) }, { additionalProperties: false }),
]);
export type Distribution = Static<typeof DistributionSchema>;

const LngLat = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })]);

export const AreaSchema = Type.Union([
  Type.Object({ preset: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], { description: '[west, south, east, north] degrees' }) }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(LngLat, { minItems: 4 }), { minItems: 1 }) },
    { additionalProperties: false, description: 'GeoJSON Polygon (outer ring first; holes allowed)' },
  ),
]);
export type Area = Static<typeof AreaSchema>;

const Count = Type.Integer({ minimum: 0 });
const Share = Type.Number({ minimum: 0, maximum: 1 });

export const AdversarySchema = Type.Union([
  Type.Object({ kind: Type.Literal('location-spoofer'), count: Count, offsetM: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('rssi-inflater'), count: Count, inflateDb: Type.Optional(Type.Number()) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('replayer'), count: Count, delayS: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('colluding-ring'), count: Count, rssiDbm: Type.Optional(Type.Number()) }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('offline'), count: Count, pattern: Type.Optional(Type.Union([Type.Literal('always'), Type.Literal('flaky')])), uptime: Type.Optional(Share), periodS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('clock-skew'), count: Count, skewMs: Type.Optional(Type.Number()) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('silent'), count: Count }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('deny-listed'), count: Count }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('data-only'), count: Count }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('self-witness'), count: Count }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('late-witness'), count: Count, delayMs: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
]);
export type Adversary = Static<typeof AdversarySchema>;
export type AdversaryKind = Adversary['kind'];

export const ScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    /** Seed of every random draw (placement, keys, beacon times, shadowing). */
    seed: Type.Integer({ minimum: 0 }),
    /** Helium region (US915, EU868, AU915, AS923_1..4); default: from the area preset, else US915. */
    region: Type.Optional(Type.String()),
    /** Network parameter profile (`helium`, `demo`) or overrides. Default `demo`. */
    params: Type.Optional(Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())])),
    area: AreaSchema,
    /** Virtual start time (Unix ms) in fast mode; default 2026-01-01T00:00:00Z. Live mode starts now. */
    startMs: Type.Optional(Type.Integer({ minimum: 0 })),
    duration: Type.Union([
      Type.Object({ epochs: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      Type.Object({ seconds: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
    ]),
    propagation: Type.Optional(
      Type.Object(
        {
          /** urban, urban-dense, suburban, rural, open, freespace. Default: from the area preset, else urban. */
          preset: Type.Optional(Type.String()),
          /** σ of per-packet (time-varying) fading added on top of the per-link shadowing, dB. Default 0. */
          fadingSigmaDb: Type.Optional(Type.Number({ minimum: 0 })),
          /** Gateway receiver noise figure, dB. Default 6 (radio.md §1.3). */
          noiseFigureDb: Type.Optional(Type.Number({ minimum: 0 })),
          /** Parallel demodulators per gateway. Default 8 (SX1301). */
          demodulators: Type.Optional(Type.Integer({ minimum: 1 })),
          /**
           * Collision rules of the medium (docs/simulator.md "Collisions"). `capture: false`: any overlap
           * destroys the wanted packet (pure ALOHA); `criticalSection: false`: overlap anywhere in the packet
           * counts; `interference: "sum"`: the powers of simultaneous interferers of one SF add up. Defaults:
           * capture on, critical section on, pairwise.
           */
          collisions: Type.Optional(
            Type.Object(
              {
                capture: Type.Optional(Type.Boolean()),
                criticalSection: Type.Optional(Type.Boolean()),
                interference: Type.Optional(Type.Union([Type.Literal('pairwise'), Type.Literal('sum')])),
              },
              { additionalProperties: false },
            ),
          ),
          /** `false`: plain log-distance, without the free-space + 2 dB floor on total path loss. Default true. */
          freeSpaceFloor: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    hotspots: Type.Object(
      {
        count: Count,
        placement: Type.Optional(
          Type.Union([
            Type.Object({ kind: Type.Literal('uniform') }, { additionalProperties: false }),
            Type.Object({ kind: Type.Literal('clustered'), clusters: Type.Integer({ minimum: 1 }), spreadM: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
            // explicit positions, one per hotspot in order (harness scenarios worked out by hand; added by the harness work)
            Type.Object({ kind: Type.Literal('points'), points: Type.Array(LngLat, { minItems: 1, description: '[lng, lat] per hotspot' }) }, { additionalProperties: false }),
          ]),
        ),
        /** Antenna gain, dBi. Default { choice: [1.2, 3, 5.8] }. */
        gainDbi: Type.Optional(DistributionSchema),
        /** Antenna height above ground, m. Default { uniform: [3, 25] }. */
        elevationM: Type.Optional(DistributionSchema),
        /** Stats publishing period, s. Default 60 (demo) — 0 disables. */
        statsIntervalS: Type.Optional(Type.Number({ minimum: 0 })),
        /** Fleet id used in onboarding (lets one fleet MQTT connection publish for all). Default "sim". */
        fleet: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false },
    ),
    sensors: Type.Optional(
      Type.Object(
        {
          count: Count,
          /** Mean uplink interval, s. Default 60. */
          intervalS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          /** Uniform jitter as a share of the interval (0..1). Default 0.2. */
          jitter: Type.Optional(Share),
          /** Share of confirmed uplinks. Default 0.1. */
          confirmedShare: Type.Optional(Share),
          /** Share of OTAA devices (the rest use ABP). Default 0.5. */
          otaaShare: Type.Optional(Share),
          /** Data rate index, or "auto" (fastest DR with 10 dB margin to the nearest hotspot). Default auto. */
          dataRate: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 15 }), Type.Literal('auto')])),
          /** Sensor antenna height, m. Default 1.5. */
          elevationM: Type.Optional(DistributionSchema),
          /** Organization name owning the sensors. Default "sim-org". */
          org: Type.Optional(Type.String({ minLength: 1 })),
          /** The organization's starting data-credit balance. Default 1 000 000 000. */
          dcBalance: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    adversaries: Type.Optional(Type.Array(AdversarySchema)),
  },
  { additionalProperties: false, $id: 'Scenario' },
);

export type Scenario = Static<typeof ScenarioSchema>;

/**
 * A value fixed for every node, or `{ choice: [...] }`: each node draws one member uniformly (seeded).
 * Used by the experiment section for SF, bandwidth, coding rate, TX power and channel.
 */
function fixedOrChoice<T extends TSchema>(item: T) {
  return Type.Union([item, Type.Object({ choice: Type.Array(item, { minItems: 1 }) }, { additionalProperties: false })]);
}

const PositiveNumber = Type.Number({ exclusiveMinimum: 0 });

/** Most nodes in one experiment point: about 100 bytes each with their links, so 20 M fit in ~2 GB. */
export const MAX_EXPERIMENT_NODES = 20_000_000;

/**
 * The `experiment` section: a radio experiment on the medium alone (`hotspot-sim experiment`,
 * docs/radio-validation.md). Positions are metres on a flat plane; gateways sit at given points, nodes
 * in a disc around each gateway or in one of the scenario areas (projected to metres around its centre).
 */
export const ExperimentSectionSchema = Type.Object(
  {
    gateways: Type.Union([
      Type.Object({ points: Type.Array(Type.Tuple([Type.Number(), Type.Number()]), { minItems: 1, description: '[x, y] metres per gateway' }) }, { additionalProperties: false }),
      Type.Object({ grid: Type.Object({ rows: Type.Integer({ minimum: 1 }), cols: Type.Integer({ minimum: 1 }), spacingM: PositiveNumber }, { additionalProperties: false }) }, { additionalProperties: false }),
    ]),
    /** Receive antenna gain of every gateway, dBi. Default 0. */
    gatewayGainDbi: Type.Optional(Type.Number()),
    /** Parallel demodulator paths per gateway: 8 SX1301-class, 16 SX1302-class. Default 8. */
    demodulators: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
    /** Gateway receiver noise figure, dB (sensitivity = noise floor + required SNR). Default 6. */
    noiseFigureDb: Type.Optional(Type.Number({ minimum: 0 })),
    nodes: Type.Object(
      {
        /** Number of nodes in all; a list makes a sweep (one result row per count). */
        count: Type.Union([Type.Integer({ minimum: 1, maximum: MAX_EXPERIMENT_NODES }), Type.Array(Type.Integer({ minimum: 1, maximum: MAX_EXPERIMENT_NODES }), { minItems: 1 })]),
        /** Uniform in a disc of radius R around each gateway (node i around gateway i mod G), or uniform in an area. */
        placement: Type.Union([
          Type.Object({ disc: Type.Object({ radiusM: PositiveNumber }, { additionalProperties: false }) }, { additionalProperties: false }),
          Type.Object({ area: AreaSchema }, { additionalProperties: false }),
        ]),
        /** Mean interval of the Poisson arrivals, s (exponential gaps, the first arrival too). */
        intervalS: PositiveNumber,
        /** PHYPayload bytes per packet. */
        payloadBytes: Type.Integer({ minimum: 0, maximum: 255 }),
        sf: fixedOrChoice(Type.Integer({ minimum: 7, maximum: 12 })),
        /** Bandwidth, kHz (125, 250, 500). Default 125. */
        bandwidthKhz: Type.Optional(fixedOrChoice(PositiveNumber)),
        /** Coding rate index 1..4 for 4/5..4/8. Default 1 (4/5). */
        codingRate: Type.Optional(fixedOrChoice(Type.Integer({ minimum: 1, maximum: 4 }))),
        txPowerDbm: fixedOrChoice(Type.Number()),
        /** Channel number; packets interfere only on the same channel and bandwidth. Default 0. */
        channel: Type.Optional(fixedOrChoice(Type.Integer({ minimum: 0, maximum: 65535 }))),
        /** Node antenna gain, dBi. Default 0. */
        gainDbi: Type.Optional(Type.Number()),
        /** Programmed preamble symbols. Default 8 (LoRaWAN). */
        preambleSymbols: Type.Optional(Type.Integer({ minimum: 6, maximum: 65535 })),
      },
      { additionalProperties: false },
    ),
    /** Log-distance path loss PL(d) = PL0 + 10·γ·log10(d/d0) + Xσ (per-link shadowing; σ = 0: none). */
    pathLoss: Type.Object(
      { d0M: PositiveNumber, pl0Db: Type.Number(), gamma: PositiveNumber, sigmaDb: Type.Number({ minimum: 0 }) },
      { additionalProperties: false },
    ),
    collisions: Type.Union([
      Type.Object({ model: Type.Literal('none') }, { additionalProperties: false }),
      Type.Object({ model: Type.Literal('destructive') }, { additionalProperties: false }),
      Type.Object(
        {
          model: Type.Literal('capture'),
          /** Co-SF capture threshold, dB. Default 6. */
          thresholdDb: Type.Optional(Type.Number({ minimum: 0 })),
          /** Preamble symbols an interferer may overlap from the wanted packet's start before it counts. Default 3 (8 − 5). */
          criticalSectionSymbols: Type.Optional(Type.Number({ minimum: 0 })),
          /** Apply the inter-SF isolation matrix (else different SFs never interfere). Default false. */
          sfIsolation: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ]),
    duration: Type.Union([
      Type.Object({ seconds: PositiveNumber }, { additionalProperties: false }),
      Type.Object({ packetsPerNode: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    ]),
  },
  { additionalProperties: false },
);
export type ExperimentSection = Static<typeof ExperimentSectionSchema>;

/** An experiment file: the scenario header (name, seed) and an `experiment` section instead of a network. */
export const ExperimentScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    /** Seed of every draw (placement, parameters, shadowing, arrivals); run k of --runs uses seed + k. */
    seed: Type.Integer({ minimum: 0 }),
    experiment: ExperimentSectionSchema,
  },
  { additionalProperties: false, $id: 'ExperimentScenario' },
);
export type ExperimentScenario = Static<typeof ExperimentScenarioSchema>;
