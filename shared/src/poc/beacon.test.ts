import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HELIUM_REGION_PARAMS } from '../params/region-params.ts';
import {
  BEACON_PAYLOAD_BYTES, BeaconError, beaconDataRate, beaconFrequencyHz, beaconPayload, beaconSeed, buildBeacon, chacha12LowBytes,
  conductedPowerDbm, selectDataRate, type BeaconEntropy,
} from './beacon.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const EU868 = HELIUM_REGION_PARAMS.EU868;
const US915 = HELIUM_REGION_PARAMS.US915;

const remote: BeaconEntropy = { data: new Uint8Array(32).fill(0xab), timestampS: 1_700_000_000, version: 0 };
const local: BeaconEntropy = { data: Uint8Array.from([1, 2, 3, 4]), timestampS: 0, version: 0 };

describe('beacon seed (helium/proto entropy.rs Entropy::digest)', () => {
  it('is SHA-256 of remote data ‖ i64_le(remote ts) ‖ local data ‖ i64_le(local ts), bytes laid out by hand', () => {
    // 1_700_000_000 = 0x6553F100 → little-endian 00 f1 53 65 00 00 00 00
    const message = 'ab'.repeat(32) + '00f1536500000000' + '01020304' + '0000000000000000';
    expect(hex(beaconSeed(remote, local))).toBe(createHash('sha256').update(Buffer.from(message, 'hex')).digest('hex'));
  });

  it('lays out any safe-integer timestamp, negative ones too, as a two\'s-complement i64 (checked with BigInt)', () => {
    // -1 → ff ff ff ff ff ff ff ff; -2^32 → 00 00 00 00 ff ff ff ff (i64 two's complement, little-endian)
    const i64 = (v: number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v));
      return b;
    };
    expect(i64(-1).toString('hex')).toBe('ffffffffffffffff');
    expect(i64(-(2 ** 32)).toString('hex')).toBe('00000000ffffffff');
    const bytes = fc.uint8Array({ minLength: 0, maxLength: 40 }).map((b) => new Uint8Array(b));
    const ts = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(-1, -(2 ** 32), 2 ** 32, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(bytes, ts, bytes, ts, (rd, rt, ld, lt) => {
        const want = createHash('sha256').update(rd).update(i64(rt)).update(ld).update(i64(lt)).digest('hex');
        expect(hex(beaconSeed({ data: rd, timestampS: rt, version: 0 }, { data: ld, timestampS: lt, version: 0 }))).toBe(want);
      }),
      { numRuns: 300 },
    );
    expect(() => beaconSeed({ ...remote, timestampS: 1.5 }, local)).toThrow(BeaconError);
  });
});

describe('beacon payload', () => {
  it('takes the LOW byte of each 32-bit ChaCha12 word (rand Standard for u8 = next_u32() as u8)', () => {
    // Zero-seed ChaCha12 keystream words (little-endian bytes) 9bf49a6a 0755f953 811fce12 5f2683d5 0429c3bb 49e07414
    // 7e0089a5 2eae155f → low bytes 9b 07 81 5f 04 49 7e 2e (see chacha.test.ts for the vector's source).
    expect(hex(chacha12LowBytes(new Uint8Array(32), 8))).toBe('9b07815f04497e2e');
  });

  it('is 51 bytes from the ChaCha12 generator seeded with the entropy hash', () => {
    const data = beaconPayload(remote, local);
    expect(data.length).toBe(BEACON_PAYLOAD_BYTES);
    expect(hex(data)).toBe(hex(chacha12LowBytes(beaconSeed(remote, local), 51)));
  });

  it('changes with any entropy input, including the timestamps', () => {
    const base = hex(beaconPayload(remote, local));
    expect(hex(beaconPayload({ ...remote, timestampS: remote.timestampS + 1 }, local))).not.toBe(base);
    expect(hex(beaconPayload(remote, { ...local, data: Uint8Array.from([1, 2, 3, 5]) }))).not.toBe(base);
  });

  it('accepts entropy versions 0 and 1 and throws BeaconError for others', () => {
    expect(() => beaconPayload({ ...remote, version: 1 }, local)).not.toThrow();
    expect(() => beaconPayload({ ...remote, version: 2 }, local)).toThrow(BeaconError);
    // helium/proto Beacon::new matches on remote_entropy.version only; the version is not hashed.
    expect(hex(beaconPayload(remote, { ...local, version: 7 }))).toBe(hex(beaconPayload(remote, local)));
  });
});

describe('beacon frequency (u16_le(data[0..2]) % channel count)', () => {
  it('picks the channel by hand-computed index', () => {
    // data[0..2] = 0x29 0xcb → u16_le = 0xcb29 = 52009; 52009 % 8 = 1 → EU868 channel 1 = 867.3 MHz
    expect(beaconFrequencyHz(Uint8Array.from([0x29, 0xcb]), EU868)).toBe(867_300_000);
    // 0x07 0x00 → 7 → channel 7 = 903.9 + 7 × 0.2 = 905.3 MHz in US915
    expect(beaconFrequencyHz(Uint8Array.from([0x07, 0x00]), US915)).toBe(905_300_000);
    // 0xff 0xff → 65535 % 8 = 7; 0x00 0x01 → 256 % 8 = 0 (the high byte counts too)
    expect(beaconFrequencyHz(Uint8Array.from([0xff, 0xff]), EU868)).toBe(868_500_000);
    expect(beaconFrequencyHz(Uint8Array.from([0x00, 0x01]), EU868)).toBe(867_100_000);
  });
});

describe('beacon data rate (first tagged spreading with max_packet_size ≥ size, stored order)', () => {
  it('is SF12BW125 in EU868 and SF9BW125 in US915 (radio.md §2.6)', () => {
    expect(beaconDataRate(EU868)).toBe('SF12BW125');
    expect(beaconDataRate(US915)).toBe('SF9BW125');
    expect(beaconDataRate(HELIUM_REGION_PARAMS.AU915)).toBe('SF9BW125');
    expect(beaconDataRate(HELIUM_REGION_PARAMS.AS923_1)).toBe('SF9BW125');
  });

  it('matches helium/proto region.rs test_select_datarate for EU868 (30 → SF12, 90 → SF9, 130 → SF8, 300 → error)', () => {
    expect(selectDataRate(EU868, 30)).toBe('SF12BW125');
    expect(selectDataRate(EU868, 90)).toBe('SF9BW125');
    expect(selectDataRate(EU868, 130)).toBe('SF8BW125');
    expect(() => selectDataRate(EU868, 300)).toThrow(BeaconError);
  });
});

describe('conducted power = trunc(max EIRP − gain) in integer tenths', () => {
  it.each([
    [16.1, 6.0, 10, 'poc-and-rewards.md example: 161 − 60 = 101 tenths → 10 dBm'],
    [16.1, 1.2, 14, 'radio.md example: 161 − 12 = 149 tenths → 14 dBm (float 16.1 − 1.2 = 14.900000000000002)'],
    [36.0, 1.2, 34, 'US915: 360 − 12 = 348 → 34'],
    [16.1, 16.1, 0, 'zero is allowed'],
    [16.1, 16.5, 0, '−4 tenths truncates to 0 (Decimal trunc toward zero, to_u32 of 0)'],
  ])('max EIRP %f dBm, gain %f dBi → %i dBm (%s)', (eirp, gain, expected) => {
    const params = EU868.map((p) => ({ ...p, maxEirpDbm: eirp }));
    expect(conductedPowerDbm(params, gain)).toBe(expected);
  });

  it('uses the largest max EIRP of the channel list and throws when the result is negative', () => {
    const params = EU868.map((p, i) => ({ ...p, maxEirpDbm: i === 3 ? 20 : 14 }));
    expect(conductedPowerDbm(params, 3)).toBe(17);
    expect(() => conductedPowerDbm(EU868, 20)).toThrow(BeaconError);
  });
});

describe('buildBeacon', () => {
  it('combines payload, frequency, data rate and power; refuses empty region params', () => {
    const b = buildBeacon({ remote, local, regionParams: EU868, gainDbi: 1.2 });
    expect(b.data.length).toBe(51);
    expect(b.frequencyHz).toBe(EU868[(b.data[0] | (b.data[1] << 8)) % 8].channelFrequencyHz);
    expect(b.dataRate).toBe('SF12BW125');
    expect(b.txPowerDbm).toBe(14);
    expect(() => buildBeacon({ remote, local, regionParams: [], gainDbi: 0 })).toThrow(BeaconError);
  });
});
