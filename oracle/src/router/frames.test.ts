import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import lora from 'lora-packet';
import { dataUp, deviceAcceptJoin, deviceReadDown, joinRequest } from '../../test/router-fixtures.ts';
import { buildAckDown, buildJoinAccept, decryptUplinkPayload, deriveSessionKeys, fullFCnt, parseUplink, verifyDataUpMic, verifyJoinRequestMic } from './frames.ts';

// Frames are built by lora-packet (an independent implementation, specs/radio.md §4.3).
const NWK = '2b7e151628aed2a6abf7158809cf4f3c';
const APP = '000102030405060708090a0b0c0d0e0f';
const APPKEY = 'ffeeddccbbaa99887766554433221100';

describe('parseUplink and MICs', () => {
  it('reads a data uplink and checks its MIC with the 32-bit counter', () => {
    const phy = dataUp({ devAddr: '48000001', nwkSKey: NWK, appSKey: APP, fCnt: 0x00010005, payload: Buffer.from('hello'), fPort: 2, confirmed: true });
    const p = parseUplink(phy);
    expect(p).toEqual({ kind: 'data-up', mType: 'ConfirmedDataUp', confirmed: true, devAddr: '48000001', adr: false, ack: false, fCnt16: 5, fPort: 2 });
    expect(verifyDataUpMic(phy, NWK, 0x00010005)).toBe(true);
    expect(verifyDataUpMic(phy, NWK, 5)).toBe(false); // wrong upper counter bits
    expect(verifyDataUpMic(phy, APP, 0x00010005)).toBe(false); // wrong key
    expect(decryptUplinkPayload(phy, NWK, APP, 0x00010005)).toBe(Buffer.from('hello').toString('hex'));
  });

  it('reads a join request and checks its MIC with the AppKey', () => {
    const phy = joinRequest({ joinEui: '70b3d57ed0000001', devEui: '0004a30b001c0530', devNonce: 0x1234, appKey: APPKEY });
    expect(phy.length).toBe(23); // radio.md §4.1
    expect(parseUplink(phy)).toEqual({ kind: 'join-request', mType: 'JoinRequest', joinEui: '70b3d57ed0000001', devEui: '0004a30b001c0530', devNonce: 0x1234 });
    expect(verifyJoinRequestMic(phy, APPKEY)).toBe(true);
    expect(verifyJoinRequestMic(phy, NWK)).toBe(false);
  });

  it('rejects short or foreign frames', () => {
    expect(parseUplink(Buffer.from([0x40, 1, 2]))).toBeNull();
    expect(parseUplink(Buffer.alloc(0))).toBeNull();
    expect(parseUplink(Buffer.from([0xe0, ...new Array(51).fill(7)]))).toEqual({ kind: 'other', mType: 'Proprietary' });
    expect(parseUplink(Buffer.from([0x40, 1, 2, 3, 4, 0x0f, 0, 0, 1, 2, 3, 4]))).toBeNull(); // FOptsLen 15 runs past the MIC
  });
});

describe('fullFCnt (32-bit counter from the 16 bits sent)', () => {
  it.each([
    [0, 0, 0],
    [5, 4, 4], // one behind the next expected: a replay (result < next)
    [0xfff0, 0x0005, 0x10005], // roll-over: 0x0005 after 0xffef
    [0x10005, 0xffff, 0xffff], // 6 behind across the boundary: a replay
    [0x12345, 0x2346, 0x12346],
  ])('next %i, sent %i → %i', (next, sent, full) => {
    expect(fullFCnt(next, sent)).toBe(full);
  });
});

describe('join accept and session keys', () => {
  it('derives the same keys as lora-packet generateSessionKeys10', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffff }), (jn, net, dn) => {
        const be = (n: number, len: number) => Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex');
        const ref = lora.generateSessionKeys10(Buffer.from(APPKEY, 'hex'), be(net, 3), be(jn, 3), be(dn, 2));
        const ours = deriveSessionKeys(APPKEY, jn, net, dn);
        expect(ours.nwkSKey).toBe(ref.NwkSKey.toString('hex'));
        expect(ours.appSKey).toBe(ref.AppSKey.toString('hex'));
      }),
      { numRuns: 50 },
    );
  });

  it('builds a join accept the device decrypts, with a valid MIC', () => {
    const phy = buildJoinAccept({ appKey: APPKEY, joinNonce: 7, netId: 0x24, devAddr: '48000010', rx1DrOffset: 0, rx2Dr: 0, rxDelayS: 1 });
    expect(phy.length).toBe(17); // radio.md §4.1: 17 B without CFList
    const dev = deviceAcceptJoin(phy, APPKEY, 0x0102);
    expect(dev).toMatchObject({ micValid: true, devAddr: '48000010', netId: '000024' });
    const keys = deriveSessionKeys(APPKEY, 7, 0x24, 0x0102);
    expect(dev.nwkSKey).toBe(keys.nwkSKey);
    expect(dev.appSKey).toBe(keys.appSKey);
  });

  it('builds an ACK downlink the device accepts', () => {
    const phy = buildAckDown(NWK, APP, '48000001', 3);
    expect(phy.length).toBe(12); // MHDR 1 + FHDR 7 + MIC 4, no FPort
    expect(deviceReadDown(phy, NWK)).toEqual({ mType: 'Unconfirmed Data Down', ack: true, fCnt: 3, devAddr: '48000001', micValid: true });
  });
});
