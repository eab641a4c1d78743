import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aes128EncryptBlock } from './aes128.ts';
import { FrameError } from './frame-types.ts';
import { bytesToHexFast as hex, hexToBytesStrict as bytes } from './hex.ts';
import { buildJoinAccept, buildJoinRequest, deriveSessionKeys, parseJoinAccept, verifyJoinRequestMic } from './join.ts';
import { parseFrame } from './parse-frame.ts';

const APP_KEY = '0102030405060708090a0b0c0d0e0f10';

describe('join request', () => {
  it('reproduces ChirpStack lrwn phy_payload.rs "Join-request example"', () => {
    // JoinEUI 0101…01, DevEUI 0202…02, DevNonce 771 (0x0303), AppKey 0102…10 → MIC 09b97b32
    const phy = buildJoinRequest({ joinEui: '0101010101010101', devEui: '0202020202020202', devNonce: 771, appKey: APP_KEY });
    expect(hex(phy)).toBe('00' + '01'.repeat(8) + '02'.repeat(8) + '0303' + '09b97b32');
  });

  it('puts EUIs and DevNonce on the wire little-endian and parses them back big-endian', () => {
    const phy = buildJoinRequest({ joinEui: '70b3d57ed0000001', devEui: '0004a30b001c0530', devNonce: 0x1234, appKey: APP_KEY });
    expect(hex(phy.subarray(1, 9))).toBe('010000d07ed5b370');
    expect(hex(phy.subarray(17, 19))).toBe('3412');
    const p = parseFrame(phy, { appKey: APP_KEY });
    expect(p).toMatchObject({ mType: 'JoinRequest', joinEui: '70b3d57ed0000001', devEui: '0004a30b001c0530', devNonce: 0x1234, micValid: true });
    expect(parseFrame(phy, { appKey: '00'.repeat(16) }).micValid).toBe(false);
    expect(parseFrame(phy).micValid).toBeUndefined();
  });

  it('round-trips any fields (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }).map(hex),
        fc.uint8Array({ minLength: 8, maxLength: 8 }).map(hex),
        fc.integer({ min: 0, max: 0xffff }),
        (joinEui, devEui, devNonce) => {
          const phy = buildJoinRequest({ joinEui, devEui, devNonce, appKey: APP_KEY });
          expect(verifyJoinRequestMic(phy, APP_KEY)).toBe(true);
          expect(parseFrame(phy)).toMatchObject({ joinEui, devEui, devNonce });
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('join accept', () => {
  it('reproduces ChirpStack lrwn phy_payload.rs "LoRaWAN 1.0.x Join-accept example"', () => {
    // JoinNonce 65793 (0x010101), NetID 020202, DevAddr 01020304, DLSettings 0, RxDelay 0 → MIC 3449f212,
    // encrypted as sent: 20 23cf335489aae3183c0be0baa8dee5f3
    const phy = buildJoinAccept({ joinNonce: 65793, netId: '020202', devAddr: '01020304', appKey: APP_KEY });
    expect(hex(phy)).toBe('2023cf335489aae3183c0be0baa8dee5f3');
    expect(parseJoinAccept(phy, APP_KEY)).toEqual({
      joinNonce: 65793, netId: '020202', devAddr: '01020304', dlSettings: 0, rxDelay: 0, cfListHex: '', micHex: '3449f212', micValid: true,
    });
  });

  it('carries a CFList (33 bytes) and the DLSettings/RxDelay values', () => {
    const cfList = '184f84e85684b85e84886684586e8400'; // EU868 extra channels 867.1…867.9 MHz, CFListType 0
    const phy = buildJoinAccept({ joinNonce: 0xabcdef, netId: '000013', devAddr: '260b1234', dlSettings: 0x13, rxDelay: 5, cfList, appKey: APP_KEY });
    expect(phy.length).toBe(33);
    const ja = parseJoinAccept(phy, APP_KEY);
    expect(ja).toMatchObject({ joinNonce: 0xabcdef, netId: '000013', devAddr: '260b1234', dlSettings: 0x13, rxDelay: 5, cfListHex: cfList, micValid: true });
    expect(parseJoinAccept(phy, '00'.repeat(16)).micValid).toBe(false);
  });

  it('without the AppKey parseFrame reports it encrypted; with it, decrypted', () => {
    const phy = bytes('2023cf335489aae3183c0be0baa8dee5f3');
    expect(parseFrame(phy)).toMatchObject({ mType: 'JoinAccept', dir: 'down', payloadHex: '23cf335489aae3183c0be0ba', micHex: 'a8dee5f3' });
    expect(parseFrame(phy, { appKey: APP_KEY })).toMatchObject({ joinNonce: 65793, netId: '020202', devAddr: '01020304', micHex: '3449f212', micValid: true });
  });

  it('refuses bad fields and lengths', () => {
    expect(() => buildJoinAccept({ joinNonce: 2 ** 24, netId: '000013', devAddr: '01020304', appKey: APP_KEY })).toThrow(FrameError);
    expect(() => buildJoinAccept({ joinNonce: 1, netId: '13', devAddr: '01020304', appKey: APP_KEY })).toThrow(FrameError);
    expect(() => buildJoinAccept({ joinNonce: 1, netId: '000013', devAddr: '01020304', dlSettings: 0x80, appKey: APP_KEY })).toThrow(FrameError);
    expect(() => parseJoinAccept(new Uint8Array(20).fill(0x20), APP_KEY)).toThrow(FrameError);
  });
});

describe('deriveSessionKeys (LoRaWAN 1.0.x)', () => {
  it('reproduces ChirpStack lrwn keys.rs test lorawan_1_0', () => {
    // nwk_key 0102030405060708 ×2, net_id 010203, join_nonce 65536, dev_nonce 258 →
    // NwkSKey [223, 83, 195, 95, 48, 52, 204, 206, 208, 255, 53, 76, 112, 222, 4, 223]
    // AppSKey [146, 123, 156, 145, 17, 131, 207, 254, 76, 178, 255, 75, 117, 84, 95, 109]
    const keys = deriveSessionKeys({ appKey: '01020304050607080102030405060708', netId: '010203', joinNonce: 65536, devNonce: 258 });
    expect(keys).toEqual({
      nwkSKey: hex(new Uint8Array([223, 83, 195, 95, 48, 52, 204, 206, 208, 255, 53, 76, 112, 222, 4, 223])),
      appSKey: hex(new Uint8Array([146, 123, 156, 145, 17, 131, 207, 254, 76, 178, 255, 75, 117, 84, 95, 109])),
    });
  });

  it('is AES(AppKey, 01|02 ‖ JoinNonce LE ‖ NetID LE ‖ DevNonce LE ‖ zero pad) — block built by hand', () => {
    // JoinNonce 0x0a0b0c → 0c 0b 0a; NetID 000013 → 13 00 00; DevNonce 0x1234 → 34 12; 7 bytes of padding.
    const appKey = '2b7e151628aed2a6abf7158809cf4f3c';
    const keys = deriveSessionKeys({ appKey, netId: '000013', joinNonce: 0x0a0b0c, devNonce: 0x1234 });
    expect(keys.nwkSKey).toBe(hex(aes128EncryptBlock(appKey, bytes('01' + '0c0b0a' + '130000' + '3412' + '00'.repeat(7)))));
    expect(keys.appSKey).toBe(hex(aes128EncryptBlock(appKey, bytes('02' + '0c0b0a' + '130000' + '3412' + '00'.repeat(7)))));
  });
});
