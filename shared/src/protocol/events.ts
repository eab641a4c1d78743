/**
 * The live events of `GET /api/v1/events` (Server-Sent Events, docs/api.md "Events"): one TypeBox schema
 * per event type. The oracle's event bus is typed by {@link OracleEventSchemas}; the map reads the same
 * types. SSE data are written with `JSON.stringify`, so every property an emitter sets reaches the client.
 */
import Type, { type Static } from 'typebox';
import { PocResultSchema } from './messages.ts';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** A beacon report stored by ingest; `key` (its `dataHex`) links the witnesses to it before the round is verified. */
export const BeaconEventSchema = Type.Object({
  beaconer: Type.String(),
  key: Type.String(),
  receivedAtMs: Type.Integer(),
  frequencyHz: Type.Integer(),
  dataRate: Type.String(),
  /** The hotspot's asserted cell centre, or null. */
  lat: NullableNumber,
  lng: NullableNumber,
  challengeId: Type.Optional(Type.String()),
});

/** A witness report stored by ingest. */
export const WitnessEventSchema = Type.Object({
  witness: Type.String(),
  key: Type.String(),
  receivedAtMs: Type.Integer(),
  rssiDbm: Type.Number(),
  snrDb: Type.Number(),
  lat: NullableNumber,
  lng: NullableNumber,
});

/** An epoch paid: `totalBones` is the sum paid to hotspots (decimal string of bones). */
export const RewardEventSchema = Type.Object({
  epoch: Type.Integer(),
  hash: Type.String(),
  totalBones: Type.String(),
  hotspots: Type.Integer(),
});

/** A hotspot connected or disconnected. */
export const HotspotStatusEventSchema = Type.Object({ address: Type.String(), online: Type.Boolean() });

/** A challenge command sent (`POST /api/v1/challenges`). */
export const ChallengeEventSchema = Type.Object({ challengeId: Type.String(), hotspot: Type.String(), issuedAtMs: Type.Integer() });

/** Why the packet router did not buy a packet (counted as `dropped_<reason>`). */
export const PACKET_DROP_REASONS = [
  'invalid_packet', 'unknown_device', 'bad_mic', 'fcnt_replay', 'dc_exhausted', 'devnonce_replay', 'devaddr_exhausted',
  /** A PHYPayload over 255 bytes (LoRaWAN 1.0.x §4, RP002 M = 250): no radio can have received it. */
  'too_large',
  /** Handling this one frame failed unexpectedly (logged); the frames beside it go on. */
  'frame_error',
] as const;
export type PacketDropReason = (typeof PACKET_DROP_REASONS)[number];

/** A data uplink bought and forwarded to its organization. */
export const PacketBoughtEventSchema = Type.Object({
  orgId: Type.String(),
  devAddr: Type.String(),
  devEui: Type.Union([Type.String(), Type.Null()]),
  fCnt: Type.Integer(),
  /** Every hotspot that heard it, in receive order. */
  hotspots: Type.Array(Type.String()),
  /** The hotspots paid for their copy (the first `multiBuy`). */
  bought: Type.Array(Type.String()),
  dcCharged: Type.Integer(),
  receivedAtMs: Type.Integer(),
});

/** A join request accepted (OTAA): no DC charged. */
export const PacketJoinEventSchema = Type.Object({
  join: Type.Literal(true),
  orgId: Type.String(),
  devEui: Type.String(),
  devAddr: Type.String(),
  hotspots: Type.Array(Type.String()),
  dcCharged: Type.Literal(0),
  receivedAtMs: Type.Integer(),
});

/** Details a drop carries when they are known at the point of the drop. */
export const PacketDropDetailsSchema = Type.Object({
  join: Type.Optional(Type.Literal(true)),
  orgId: Type.Optional(Type.String()),
  devEui: Type.Optional(Type.String()),
  devAddr: Type.Optional(Type.String()),
  fCnt: Type.Optional(Type.Integer()),
  /** DC the packet would cost (`dc_exhausted`). */
  dcNeeded: Type.Optional(Type.Integer()),
  /** PHYPayload size (`too_large`). */
  bytes: Type.Optional(Type.Integer()),
  /** LoRaWAN message type of a frame that is neither a join request nor a data uplink, or null when unparsable. */
  mType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

/** A packet the router did not buy. */
export const PacketDroppedEventSchema = Type.Intersect([
  Type.Object({
    dropped: Type.Enum(PACKET_DROP_REASONS),
    hotspots: Type.Array(Type.String()),
    receivedAtMs: Type.Integer(),
  }),
  PacketDropDetailsSchema,
]);

export const PacketEventSchema = Type.Union([PacketBoughtEventSchema, PacketJoinEventSchema, PacketDroppedEventSchema]);

/** Every SSE event type and its `data` schema. */
export const OracleEventSchemas = {
  beacon: BeaconEventSchema,
  witness: WitnessEventSchema,
  /** A round verified: the full PocResult. */
  poc: PocResultSchema,
  reward: RewardEventSchema,
  packet: PacketEventSchema,
  hotspot: HotspotStatusEventSchema,
  challenge: ChallengeEventSchema,
} as const;

export type OracleEventType = keyof typeof OracleEventSchemas;
/** The SSE event types, in the order docs/api.md lists them. */
export const ORACLE_EVENT_TYPES = Object.keys(OracleEventSchemas) as OracleEventType[];
/** `data` of each event type. */
export type OracleEventData = { [K in OracleEventType]: Static<(typeof OracleEventSchemas)[K]> };
/** One event as the bus carries it. */
export type OracleEvent = { [K in OracleEventType]: { type: K; data: OracleEventData[K] } }[OracleEventType];

export type BeaconEvent = Static<typeof BeaconEventSchema>;
export type WitnessEvent = Static<typeof WitnessEventSchema>;
export type RewardEvent = Static<typeof RewardEventSchema>;
export type HotspotStatusEvent = Static<typeof HotspotStatusEventSchema>;
export type ChallengeEvent = Static<typeof ChallengeEventSchema>;
export type PacketEvent = Static<typeof PacketEventSchema>;
export type PacketDropDetails = Static<typeof PacketDropDetailsSchema>;
