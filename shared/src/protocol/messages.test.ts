import { describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '../identity/keys.ts';
import { signMessage, verifyMessage } from '../identity/sign.ts';
import {
  LIMITS, AppUplinkSchema, BeaconReportSchema, ChallengeCommandSchema, DownlinkFrameSchema, DownlinkTxAckSchema, EntropySchema,
  HotspotStateSchema, HotspotStatsSchema, INVALID_REASONS, PocResultSchema, PROTOCOL_VERSION, RewardManifestSchema, UplinkFrameSchema,
  WitnessReportSchema,
} from './messages.ts';
import { decodeMessage, parseStrictJson, validateMessage } from './validate.ts';

const hotspot = keyPairFromSeed(new Uint8Array(32).fill(1));
const witness = keyPairFromSeed(new Uint8Array(32).fill(2));
const oracle = keyPairFromSeed(new Uint8Array(32).fill(3));
const A = hotspot.address;
const W = witness.address;

/** One valid example per message, as in docs/protocol.md. */
function examples() {
  // The real beacon of this entropy pair in EU868 (`hotspot-sim beacon --remote-entropy 5f…5f --remote-ts 1764000000
  // --local-entropy 01020304 --region EU868`): u16_le(43 09) = 2371, 2371 % 8 = 3 → 867.7 MHz.
  const beaconData = '4309bce213526abb111e65fa90437da1c32ae275ba9ea92d5db722ecf54d05f0fdd9296068e01540972bb69409ecc167384864';
  return {
    Entropy: [EntropySchema, { v: 1, dataHex: '5f'.repeat(32), timestampS: 1764000000, version: 0 }],
    BeaconReport: [
      BeaconReportSchema,
      signMessage(
        {
          v: 1, hotspot: A, localEntropyHex: '01020304', remoteEntropyHex: '5f'.repeat(32), dataHex: beaconData, frequencyHz: 867700000,
          channel: 3, dataRate: 'SF12BW125', txPowerDbm: 14, tmst: 3512348611, timestampMs: 1764000012345,
        },
        hotspot,
      ),
    ],
    WitnessReport: [
      WitnessReportSchema,
      signMessage(
        { v: 1, hotspot: W, dataHex: beaconData, rssiDbm: -112.5, snrDb: -6.2, frequencyHz: 867700000, dataRate: 'SF12BW125', tmst: 88123456, timestampMs: 1764000014800 },
        witness,
      ),
    ],
    UplinkFrame: [
      UplinkFrameSchema,
      signMessage(
        {
          v: 1, hotspot: W, phyPayload: 'QPF9vkkAAgABlUN4disR/w0=',
          txInfo: { frequency: 868100000, modulation: { lora: { bandwidth: 125000, spreadingFactor: 7, codeRate: 'CR_4_5' } } },
          rxInfo: {
            gatewayId: W, uplinkId: 4021, gwTime: '2025-11-24T16:00:14.800Z', rssi: -97, snr: 7.5, channel: 0, rfChain: 0, context: 'AAAAAA==',
            crcStatus: 'CRC_OK', location: { latitude: 52.52, longitude: 13.405 },
          },
        },
        witness,
      ),
    ],
    DownlinkFrame: [
      DownlinkFrameSchema,
      {
        v: 1, downlinkId: 77, gatewayId: W,
        items: [
          {
            phyPayload: 'YPF9vkkgAQAycrdu',
            txInfo: { frequency: 868100000, power: 14, modulation: { lora: { bandwidth: 125000, spreadingFactor: 7, codeRate: 'CR_4_5', polarizationInversion: true } }, timing: { delay: { delay: '1s' } }, context: 'AAAAAA==' },
          },
        ],
      },
    ],
    DownlinkTxAck: [DownlinkTxAckSchema, signMessage({ v: 1, gatewayId: W, downlinkId: 77, items: [{ status: 'OK' }] }, witness)],
    ChallengeCommand: [ChallengeCommandSchema, { v: 1, challengeId: 'c-0001', hotspot: A, issuedAtMs: 1764000000000 }],
    HotspotState: [HotspotStateSchema, { v: 1, hotspot: A, state: 'ONLINE', atMs: 1764000000000 }],
    HotspotStats: [
      HotspotStatsSchema,
      signMessage(
        { v: 1, hotspot: A, timeMs: 1764000060000, rxPacketsReceived: 12, rxPacketsReceivedOk: 11, txPacketsReceived: 2, txPacketsEmitted: 2, beaconsSent: 1, witnessesSent: 3, dutyCycleUsedPercent: 0.4 },
        hotspot,
      ),
    ],
    PocResult: [
      PocResultSchema,
      {
        v: 1, pocId: '431b7ddbe379ea148b1f8ed1a4e59cc8d26fb78bca6f9cb528fa2fac8cbedc02', dataHex: beaconData, beaconer: A, receivedAtMs: 1764000012400, verifiedAtMs: 1764000200000,
        beacon: { status: 'valid', reason: null, location: '8c1f1d48945d9ff', hexScale: '1', rewardUnit: '0.6', frequencyHz: 867700000, dataRate: 'SF12BW125', txPowerDbm: 14 },
        witnesses: [
          { hotspot: W, receivedAtMs: 1764000014850, status: 'valid', reason: null, selected: true, location: '8c1f1d4d48331ff', hexScale: '1', rewardUnit: '0.2', rssiDbm: -112.5, snrDb: -6.2, distanceM: 2886 },
        ],
      },
    ],
    RewardManifest: [
      RewardManifestSchema,
      signMessage(
        {
          v: 1, epoch: 20416, startS: 1763942400, endS: 1764028800, epochEmissionsBones: '205479452054', hntPrice: 359000000, hntPriceDecimals: 8,
          perShare: { beacon: '12.5', witness: '3.25', dc: '0.00028' },
          rewards: [{ hotspot: A, beaconAmount: '1200', witnessAmount: '0', dcTransferAmount: '0' }],
          operations: '14383561643', oracles: '14383561643', unallocatedPoc: '0', prevHash: null, hash: '0c'.repeat(32), oracle: oracle.address,
        },
        oracle,
      ),
    ],
    AppUplink: [
      AppUplinkSchema,
      {
        v: 1, orgId: 'acme', devAddr: '49be7df1', devEui: null, mType: 'UnconfirmedDataUp', fCnt: 2, fPort: 1, phyPayload: 'QPF9vkkAAgABlUN4disR/w0=',
        payloadSize: 4, dcCharged: 1, receivedAtMs: 1764000014850, hotspots: [{ hotspot: W, rssiDbm: -97, snrDb: 7.5, bought: true }],
      },
    ],
  } as const;
}

describe('message schemas', () => {
  const all = Object.entries(examples());

  it('every message carries the protocol version 1', () => {
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it.each(all)('%s accepts its documented example', (_name, [schema, value]) => {
    expect(validateMessage(schema, value)).toEqual({ ok: true, value });
    expect(decodeMessage(schema, JSON.stringify(value)).ok).toBe(true);
    expect(decodeMessage(schema, new TextEncoder().encode(JSON.stringify(value))).ok).toBe(true);
  });

  it.each(all)('%s rejects a missing field, an unknown field and a wrong version', (_name, [schema, value]) => {
    const { v: _v, ...noVersion } = value as Record<string, unknown>;
    expect(validateMessage(schema, noVersion).ok).toBe(false);
    expect(validateMessage(schema, { ...value, surprise: 1 }).ok).toBe(false);
    expect(validateMessage(schema, { ...value, v: 2 }).ok).toBe(false);
  });

  it('signed examples verify against their hotspot', () => {
    const ex = examples();
    expect(verifyMessage(ex.BeaconReport[1] as unknown as Record<string, unknown>, A)).toBe(true);
    expect(verifyMessage(ex.WitnessReport[1] as unknown as Record<string, unknown>, W)).toBe(true);
  });

  it.each([
    ['beacon data of 50 bytes', { dataHex: 'a1'.repeat(50) }],
    ['upper-case hex', { localEntropyHex: '0A0B0C0D' }],
    ['an unknown data rate', { dataRate: 'SF13BW125' }],
    ['a frequency in MHz', { frequencyHz: 867.3 }],
    ['a non-integer tx power', { txPowerDbm: 14.5 }],
    ['a short signature', { signature: 'AAAA' }],
    ['a malformed address', { hotspot: '0OIl' }],
    ['a channel index past the largest plan (64 channels, 0..63)', { channel: 64 }],
    ['a negative channel index', { channel: -1 }],
  ])('BeaconReport rejects %s with a readable error', (_why, patch) => {
    const base = examples().BeaconReport[1];
    const r = validateMessage(BeaconReportSchema, { ...base, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^\/\w*/);
  });

  it('PocResult carries the 51-byte beacon payload', () => {
    const { dataHex: _d, ...noData } = examples().PocResult[1];
    expect(validateMessage(PocResultSchema, noData).ok).toBe(false);
    expect(validateMessage(PocResultSchema, { ...examples().PocResult[1], dataHex: 'ab'.repeat(50) }).ok).toBe(false);
  });

  it('PocResult reasons are Helium invalid_reason names or null', () => {
    const base = examples().PocResult[1];
    expect(INVALID_REASONS).toContain('below_min_distance');
    for (const reason of [...INVALID_REASONS, null]) {
      expect(validateMessage(PocResultSchema, { ...base, beacon: { ...base.beacon, status: 'invalid', reason } }).ok).toBe(true);
    }
    expect(validateMessage(PocResultSchema, { ...base, beacon: { ...base.beacon, reason: 'because' } }).ok).toBe(false);
  });

  it('decodeMessage reports payloads that are not JSON', () => {
    const r = decodeMessage(EntropySchema, '{not json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/not JSON/);
  });
});

/** Every string and array node of a JSON schema without a bound (literals and enums are bounded). */
function unbounded(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  if (s.type === 'string' && s.const === undefined && s.enum === undefined && typeof s.maxLength !== 'number') out.push(path || '/');
  if (s.type === 'array' && typeof s.maxItems !== 'number') out.push(path || '/');
  for (const [k, v] of Object.entries(s)) {
    if (Array.isArray(v)) v.forEach((x, i) => out.push(...unbounded(x, `${path}/${k}/${i}`)));
    else if (typeof v === 'object') out.push(...unbounded(v, `${path}/${k}`));
  }
  return out;
}

describe('message bounds (issue 14)', () => {
  const all = Object.entries(examples());

  it.each(all)('%s bounds every string (maxLength) and every array (maxItems)', (_name, [schema]) => {
    expect(unbounded(schema)).toEqual([]);
  });

  it('a PHYPayload is at most 255 bytes: 340 base64 characters (LoRaWAN 1.0.x §4, RP002 M = 250 + 5)', () => {
    const base = examples().UplinkFrame[1];
    // 255 bytes = 85 groups of 3 bytes → 85 × 4 = 340 characters, no padding (RFC 4648 §4)
    const max = Buffer.alloc(255, 7).toString('base64');
    expect(max.length).toBe(340);
    expect(validateMessage(UplinkFrameSchema, { ...base, phyPayload: max }).ok).toBe(true);
    // 256 bytes = 344 characters with "=" padding: one byte over
    expect(validateMessage(UplinkFrameSchema, { ...base, phyPayload: Buffer.alloc(256, 7).toString('base64') }).ok).toBe(false);
    // the 10 MB payload of the issue
    expect(validateMessage(UplinkFrameSchema, { ...base, phyPayload: 'A'.repeat(10_000_000) }).ok).toBe(false);
    expect(LIMITS.phyPayloadBytes).toBe(255);
  });

  it('a TX ack carries at most one status per downlink item (2: RX1, RX2)', () => {
    const base = examples().DownlinkTxAck[1];
    const items = (n: number) => Array.from({ length: n }, () => ({ status: 'IGNORED' }));
    expect(validateMessage(DownlinkTxAckSchema, { ...base, items: items(2) }).ok).toBe(true);
    expect(validateMessage(DownlinkTxAckSchema, { ...base, items: items(3) }).ok).toBe(false);
    // (the 200 000 items are stopped earlier, by the 16 KiB payload bound at the broker)
    expect(validateMessage(DownlinkTxAckSchema, { ...base, items: items(1000) }).ok).toBe(false);
  });

  it('an AppUplink FRMPayload is at most 242 bytes (RP002 N = 242): 484 hex characters', () => {
    const base = examples().AppUplink[1];
    expect(validateMessage(AppUplinkSchema, { ...base, frmPayloadHex: 'ab'.repeat(242) }).ok).toBe(true);
    expect(validateMessage(AppUplinkSchema, { ...base, frmPayloadHex: 'ab'.repeat(243) }).ok).toBe(false);
  });
});

describe('strict JSON (issue 14)', () => {
  it('refuses a duplicate member name at the top level and in a nested object', () => {
    expect(parseStrictJson('{"v":1,"a":2,"v":1}')).toMatchObject({ ok: false, reason: 'duplicate_key' });
    expect(parseStrictJson('{"a":{"b":1,"c":[{"x":1},{"x":2,"x":3}]}}')).toMatchObject({ ok: false, reason: 'duplicate_key' });
    // the same name written with an escape is the same name (RFC 8259 §7)
    expect(parseStrictJson('{"v":1,"\\u0076":2}')).toMatchObject({ ok: false, reason: 'duplicate_key' });
  });

  it('accepts the same name in sibling objects and strings that look like names', () => {
    expect(parseStrictJson('{"a":{"x":1},"b":{"x":2},"c":["a","a"],"d":"a"}')).toEqual({
      ok: true, value: { a: { x: 1 }, b: { x: 2 }, c: ['a', 'a'], d: 'a' },
    });
    expect(parseStrictJson('{"s":"\\"}\\",\\"s\\":1","t":2}').ok).toBe(true);
  });

  it('refuses a lone UTF-16 surrogate, escaped or raw, in a value or a name; accepts a pair', () => {
    expect(parseStrictJson('{"hotspot":"\\ud800"}')).toMatchObject({ ok: false, reason: 'bad_unicode' });
    expect(parseStrictJson('{"\\udfff":1}')).toMatchObject({ ok: false, reason: 'bad_unicode' });
    expect(parseStrictJson(`["${String.fromCharCode(0xd83d)}"]`)).toMatchObject({ ok: false, reason: 'bad_unicode' });
    // U+1F600 as a surrogate pair is well formed
    expect(parseStrictJson('["\\ud83d\\ude00"]')).toEqual({ ok: true, value: ['\u{1F600}'] });
  });

  it('refuses text that is not JSON, and survives deep nesting without a throw', () => {
    expect(parseStrictJson('{"a":')).toMatchObject({ ok: false, reason: 'bad_json' });
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseStrictJson(deep)).not.toThrow();
  });

  it('decodeMessage refuses a duplicated field of a valid message', () => {
    const text = JSON.stringify(examples().Entropy[1]).replace(/}$/, ',"version":1}');
    const r = decodeMessage(EntropySchema, text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/duplicate_key/);
  });
});
