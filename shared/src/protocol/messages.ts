/**
 * One TypeBox schema per MQTT message the system carries. The broker's publish check, the API, the
 * simulator and the map all use these. Every message carries `v` (the protocol version). Signed
 * messages carry `signature`: base64 ed25519 over the RFC 8785 canonical JSON of the message without
 * `signature` (shared/src/identity/sign.ts). Units live in field names.
 *
 * Stages follow Helium's naming: BeaconReport → (ingest stamps receivedAtMs) → PocResult → RewardManifest.
 */
import Type, { type Static } from 'typebox';

/** Protocol version carried in every message as `v`. */
export const PROTOCOL_VERSION = 1;

const V = Type.Literal(PROTOCOL_VERSION, { description: 'protocol version' });

/**
 * Size bounds (issue 14: every string and array of every message is bounded). LoRaWAN 1.0.x §4 and
 * RP002-1.0.4 "Regional Parameters" §2: the largest MACPayload of any region and data rate is M = 250 bytes
 * (e.g. EU868 DR7, US915 DR13), so PHYPayload = MHDR (1) + MACPayload (≤ 250) + MIC (4) ≤ 255 bytes, and
 * FRMPayload = MACPayload − FHDR (≥ 7) − FPort (1) ≤ 242 bytes (N, the application payload bound).
 */
export const LIMITS = {
  /** Largest LoRaWAN PHYPayload in bytes (LoRaWAN 1.0.x §4, RP002 M = 250 + MHDR 1 + MIC 4). */
  phyPayloadBytes: 255,
  /** Largest FRMPayload in bytes (RP002 N = 242). */
  frmPayloadBytes: 242,
  /** Gateway context (ChirpStack `context`, opaque to the server; ours is 8 to 16 bytes). */
  contextBytes: 64,
  /** Items of a downlink frame (RX1, RX2) and so of its TX ack (ChirpStack: one status per item). */
  downlinkItems: 2,
  /** Decimal strings (reward shares, scales): 128 characters is far beyond the 40 significant digits used. */
  decimalChars: 128,
  /** Amounts in bones: u64, at most 20 decimal digits (Helium's reward amounts are u64). */
  bonesDigits: 20,
  /** Witnesses listed in one PoC result (received, valid or not; 14 are selected, HIP 83). */
  pocWitnesses: 10_000,
  /** Hotspot rewards in one manifest. */
  manifestRewards: 1_000_000,
  /** Copies of one uplink listed in an AppUplink. */
  uplinkCopies: 10_000,
  /** Largest MQTT payload a hotspot or fleet may publish (bytes); the largest valid message is < 2 KiB. */
  devicePayloadBytes: 16_384,
  /** Largest MQTT packet (remaining length) the embedded broker reads from a client. */
  devicePacketBytes: 65_536,
} as const;

/** Base64 length of `bytes` bytes (RFC 4648 §4: 4 characters per 3 bytes, padded). */
const base64Chars = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** Lower-case hex: exactly `bytes` bytes, or any whole number of bytes up to `maxBytes`. */
export const HexString = (bytes?: number, maxBytes = 1024) =>
  Type.String(
    bytes === undefined ? { pattern: '^([0-9a-f]{2})*$', maxLength: maxBytes * 2 } : { pattern: `^[0-9a-f]{${bytes * 2}}$`, maxLength: bytes * 2 },
  );
export const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: base64Chars(1024) });
/** A LoRaWAN PHYPayload in base64: at most 255 bytes, so 340 characters. */
const PhyPayload = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: base64Chars(LIMITS.phyPayloadBytes) });
const Context = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: base64Chars(LIMITS.contextBytes) });
export const Address = Type.String({ pattern: '^[1-9A-HJ-NP-Za-km-z]{40,60}$', maxLength: 60, description: 'Helium base58 address' });
export const DataRateName = Type.String({ pattern: '^SF([7-9]|1[0-2])BW(125|250|500)$', maxLength: 10, description: 'e.g. SF12BW125' });
const Signature = Type.String({ pattern: '^[A-Za-z0-9+/]{86}==$', maxLength: 88, description: 'base64 ed25519 signature (64 bytes)' });
const Uint32 = Type.Integer({ minimum: 0, maximum: 0xffffffff });
const TimeMs = Type.Integer({ minimum: 0, description: 'Unix time in ms' });
const FreqHz = Type.Integer({ minimum: 100_000_000, maximum: 3_000_000_000 });

/** Entropy (oracle → all, retained). Helium `entropy_report_v1`. */
export const EntropySchema = Type.Object(
  {
    v: V,
    dataHex: HexString(32),
    timestampS: Type.Integer({ minimum: 0 }),
    version: Type.Integer({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false, $id: 'Entropy' },
);

/** Beacon report (hotspot → oracle). Helium `lora_beacon_report_req_v1`. */
export const BeaconReportSchema = Type.Object(
  {
    v: V,
    hotspot: Address,
    localEntropyHex: HexString(4),
    remoteEntropyHex: HexString(32),
    dataHex: HexString(51),
    frequencyHz: FreqHz,
    // Index of `frequencyHz` in the region's channel plan (`regions.<region>` of the network params):
    // 0..N−1. Informational (the verifier checks `frequencyHz`); Helium's gateway-rs always sends 0.
    // At most 64 channels: the largest LoRaWAN plan, US915, has 64 125-kHz uplink channels
    // (LoRaWAN Regional Parameters RP002-1.0.4 §2.5.2).
    channel: Type.Integer({ minimum: 0, maximum: 63 }),
    dataRate: DataRateName,
    txPowerDbm: Type.Integer({ minimum: -10, maximum: 40 }),
    tmst: Uint32,
    timestampMs: TimeMs,
    signature: Signature,
  },
  { additionalProperties: false, $id: 'BeaconReport' },
);

/** Witness report (hotspot → oracle). Helium `lora_witness_report_req_v1` (signal in dBm, not ddBm). */
export const WitnessReportSchema = Type.Object(
  {
    v: V,
    hotspot: Address,
    dataHex: HexString(51),
    rssiDbm: Type.Number({ minimum: -200, maximum: 50 }),
    snrDb: Type.Number({ minimum: -50, maximum: 50 }),
    frequencyHz: FreqHz,
    dataRate: DataRateName,
    tmst: Uint32,
    timestampMs: TimeMs,
    signature: Signature,
  },
  { additionalProperties: false, $id: 'WitnessReport' },
);

const LoraModulation = Type.Object(
  {
    bandwidth: Type.Integer({ minimum: 7800, maximum: 500_000 }),
    spreadingFactor: Type.Integer({ minimum: 5, maximum: 12 }),
    codeRate: Type.Union([Type.Literal('CR_4_5'), Type.Literal('CR_4_6'), Type.Literal('CR_4_7'), Type.Literal('CR_4_8')]),
    polarizationInversion: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Location = Type.Object(
  {
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    altitude: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

/**
 * Uplink frame as received by a hotspot (hotspot → oracle), ChirpStack v4 `gw.UplinkFrame` JSON
 * mapping, plus `v`, `hotspot` and `signature`. `rxInfo.gatewayId` is the hotspot address.
 */
export const UplinkFrameSchema = Type.Object(
  {
    v: V,
    hotspot: Address,
    phyPayload: PhyPayload,
    txInfo: Type.Object(
      { frequency: FreqHz, modulation: Type.Object({ lora: LoraModulation }, { additionalProperties: false }) },
      { additionalProperties: false },
    ),
    rxInfo: Type.Object(
      {
        gatewayId: Address,
        uplinkId: Uint32,
        gwTime: Type.String({ minLength: 20, maxLength: 40, description: 'RFC 3339 receive time (≤ 35 characters with nanoseconds and an offset)' }),
        rssi: Type.Number({ minimum: -200, maximum: 50 }),
        snr: Type.Number({ minimum: -50, maximum: 50 }),
        channel: Type.Integer({ minimum: 0, maximum: 255 }),
        rfChain: Type.Integer({ minimum: 0, maximum: 1 }),
        context: Context,
        crcStatus: Type.Union([Type.Literal('CRC_OK'), Type.Literal('BAD_CRC'), Type.Literal('NO_CRC')]),
        location: Type.Optional(Location),
      },
      { additionalProperties: false },
    ),
    signature: Signature,
  },
  { additionalProperties: false, $id: 'UplinkFrame' },
);

const DownlinkItem = Type.Object(
  {
    phyPayload: PhyPayload,
    txInfo: Type.Object(
      {
        frequency: FreqHz,
        power: Type.Integer({ minimum: -10, maximum: 40, description: 'dBm EIRP' }),
        modulation: Type.Object({ lora: LoraModulation }, { additionalProperties: false }),
        timing: Type.Object(
          { delay: Type.Object({ delay: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?s$', maxLength: 16 }) }, { additionalProperties: false }) },
          { additionalProperties: false },
        ),
        context: Context,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** Downlink command (oracle → hotspot), ChirpStack v4 `gw.DownlinkFrame`: items tried in order (RX1, RX2). */
export const DownlinkFrameSchema = Type.Object(
  { v: V, downlinkId: Uint32, gatewayId: Address, items: Type.Array(DownlinkItem, { minItems: 1, maxItems: LIMITS.downlinkItems }) },
  { additionalProperties: false, $id: 'DownlinkFrame' },
);

export const TX_ACK_STATUSES = [
  'OK', 'IGNORED', 'TOO_LATE', 'TOO_EARLY', 'COLLISION_PACKET', 'COLLISION_BEACON', 'TX_FREQ', 'TX_POWER',
  'GPS_UNLOCKED', 'QUEUE_FULL', 'INTERNAL_ERROR', 'DUTY_CYCLE_OVERFLOW',
] as const;

/** Downlink transmission acknowledgement (hotspot → oracle), ChirpStack v4 `gw.DownlinkTxAck`. */
export const DownlinkTxAckSchema = Type.Object(
  {
    v: V,
    gatewayId: Address,
    downlinkId: Uint32,
    items: Type.Array(Type.Object({ status: Type.Union(TX_ACK_STATUSES.map((s) => Type.Literal(s))) }, { additionalProperties: false }), {
      maxItems: LIMITS.downlinkItems,
    }),
    signature: Signature,
  },
  { additionalProperties: false, $id: 'DownlinkTxAck' },
);

/** Challenge (oracle → hotspot): beacon now with the current entropy. */
export const ChallengeCommandSchema = Type.Object(
  { v: V, challengeId: Type.String({ minLength: 1, maxLength: 64 }), hotspot: Address, issuedAtMs: TimeMs },
  { additionalProperties: false, $id: 'ChallengeCommand' },
);

/** Connection state (hotspot → all, retained; OFFLINE is also the MQTT last will). */
export const HotspotStateSchema = Type.Object(
  { v: V, hotspot: Address, state: Type.Union([Type.Literal('ONLINE'), Type.Literal('OFFLINE')]), atMs: Type.Optional(TimeMs) },
  { additionalProperties: false, $id: 'HotspotState' },
);

/** Periodic gateway statistics (hotspot → oracle), after ChirpStack `gw.GatewayStats`. */
export const HotspotStatsSchema = Type.Object(
  {
    v: V,
    hotspot: Address,
    timeMs: TimeMs,
    rxPacketsReceived: Uint32,
    rxPacketsReceivedOk: Uint32,
    txPacketsReceived: Uint32,
    txPacketsEmitted: Uint32,
    beaconsSent: Uint32,
    witnessesSent: Uint32,
    dutyCycleUsedPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    signature: Signature,
  },
  { additionalProperties: false, $id: 'HotspotStats' },
);

export const INVALID_REASONS = [
  'bad_signature', 'not_asserted', 'entropy_expired', 'bad_entropy', 'invalid_capability', 'invalid_pubkey',
  'irregular_interval', 'gateway_not_found', 'denied', 'invalid_packet', 'bad_rssi', 'invalid_region',
  'max_distance_exceeded', 'invalid_frequency', 'self_witness', 'stale', 'scaling_factor_not_found',
  'unknown_error', 'below_min_distance', 'duplicate', 'denied_edge', 'too_late', 'gateway_no_valid_beacons',
  'gateway_no_valid_witnesses',
] as const;
/** Helium's `invalid_reason` names (helium/proto src/service/poc_lora.proto), without `reason_none`. */
export type InvalidReason = (typeof INVALID_REASONS)[number];
const Reason = Type.Union([Type.Null(), ...INVALID_REASONS.map((r) => Type.Literal(r))]);
const Status = Type.Union([Type.Literal('valid'), Type.Literal('invalid')]);
const DecimalString = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$', maxLength: LIMITS.decimalChars });
/** An H3 cell index in hex (15 hex digits at every resolution; h3-js `latLngToCell`). */
const H3Cell = Type.String({ pattern: '^[0-9a-f]{15,16}$', maxLength: 16 });

/** Verdict of one PoC round (oracle → all). */
export const PocResultSchema = Type.Object(
  {
    v: V,
    pocId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The beacon payload (the BeaconReport's and every WitnessReport's `dataHex`): finds a device's round. */
    dataHex: HexString(51),
    beaconer: Address,
    receivedAtMs: TimeMs,
    verifiedAtMs: TimeMs,
    challengeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    beacon: Type.Object(
      {
        status: Status,
        reason: Reason,
        location: Type.Union([H3Cell, Type.Null()]),
        hexScale: DecimalString,
        rewardUnit: DecimalString,
        frequencyHz: FreqHz,
        dataRate: DataRateName,
        txPowerDbm: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    witnesses: Type.Array(
      Type.Object(
        {
          hotspot: Address,
          receivedAtMs: TimeMs,
          status: Status,
          reason: Reason,
          selected: Type.Boolean(),
          location: Type.Union([H3Cell, Type.Null()]),
          hexScale: DecimalString,
          rewardUnit: DecimalString,
          rssiDbm: Type.Number(),
          snrDb: Type.Number(),
          distanceM: Type.Union([Type.Number(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      { maxItems: LIMITS.pocWitnesses },
    ),
  },
  { additionalProperties: false, $id: 'PocResult' },
);

const BonesString = Type.String({ pattern: '^[0-9]+$', maxLength: LIMITS.bonesDigits });

/** Reward manifest of one epoch (oracle → all, retained latest): chained by hash, signed by the oracle. */
export const RewardManifestSchema = Type.Object(
  {
    v: V,
    epoch: Type.Integer({ minimum: 0 }),
    startS: Type.Integer({ minimum: 0 }),
    endS: Type.Integer({ minimum: 0 }),
    epochEmissionsBones: BonesString,
    hntPrice: Type.Integer({ minimum: 1 }),
    hntPriceDecimals: Type.Integer({ minimum: 0 }),
    perShare: Type.Object({ beacon: DecimalString, witness: DecimalString, dc: DecimalString }, { additionalProperties: false }),
    rewards: Type.Array(
      Type.Object(
        { hotspot: Address, beaconAmount: BonesString, witnessAmount: BonesString, dcTransferAmount: BonesString },
        { additionalProperties: false },
      ),
      { maxItems: LIMITS.manifestRewards },
    ),
    operations: BonesString,
    oracles: BonesString,
    unallocatedPoc: BonesString,
    prevHash: Type.Union([HexString(32), Type.Null()]),
    /** SHA-256 (hex) of the canonical JSON of the manifest without `hash` and `signature`. */
    hash: HexString(32),
    oracle: Address,
    signature: Signature,
  },
  { additionalProperties: false, $id: 'RewardManifest' },
);

/** An uplink bought by the packet router, forwarded to its organization (oracle → org). */
export const AppUplinkSchema = Type.Object(
  {
    v: V,
    orgId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', maxLength: 64 }),
    devAddr: HexString(4),
    devEui: Type.Union([HexString(8), Type.Null()]),
    mType: Type.Union([Type.Literal('UnconfirmedDataUp'), Type.Literal('ConfirmedDataUp')]),
    fCnt: Type.Integer({ minimum: 0 }),
    fPort: Type.Union([Type.Integer({ minimum: 0, maximum: 255 }), Type.Null()]),
    phyPayload: PhyPayload,
    payloadSize: Type.Integer({ minimum: 0, maximum: LIMITS.phyPayloadBytes }),
    /** Decrypted FRMPayload (AppSKey, or NwkSKey on FPort 0), when the frame has an FPort. */
    frmPayloadHex: Type.Optional(HexString(undefined, LIMITS.frmPayloadBytes)),
    dcCharged: Type.Integer({ minimum: 0 }),
    receivedAtMs: TimeMs,
    hotspots: Type.Array(
      Type.Object({ hotspot: Address, rssiDbm: Type.Number(), snrDb: Type.Number(), bought: Type.Boolean() }, { additionalProperties: false }),
      { maxItems: LIMITS.uplinkCopies },
    ),
  },
  { additionalProperties: false, $id: 'AppUplink' },
);

export type Entropy = Static<typeof EntropySchema>;
export type BeaconReport = Static<typeof BeaconReportSchema>;
export type WitnessReport = Static<typeof WitnessReportSchema>;
export type UplinkFrame = Static<typeof UplinkFrameSchema>;
export type DownlinkFrame = Static<typeof DownlinkFrameSchema>;
export type DownlinkTxAck = Static<typeof DownlinkTxAckSchema>;
export type ChallengeCommand = Static<typeof ChallengeCommandSchema>;
export type HotspotState = Static<typeof HotspotStateSchema>;
export type HotspotStats = Static<typeof HotspotStatsSchema>;
export type PocResult = Static<typeof PocResultSchema>;
export type RewardManifest = Static<typeof RewardManifestSchema>;
export type AppUplink = Static<typeof AppUplinkSchema>;

/** The schema for each hotspot event topic leaf. */
export const HOTSPOT_EVENT_SCHEMAS = {
  beacon: BeaconReportSchema,
  witness: WitnessReportSchema,
  up: UplinkFrameSchema,
  ack: DownlinkTxAckSchema,
  stats: HotspotStatsSchema,
} as const;
