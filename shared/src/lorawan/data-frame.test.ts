import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loraPacket } from './lora-packet.ts';
import { buildDataDown, buildDataUp, fullFCnt, verifyDataMic } from './data-frame.ts';
import { FrameError } from './frame-types.ts';
import { bytesToHexFast as hex, hexToBytesStrict as bytes } from './hex.ts';
import { parseFrame } from './parse-frame.ts';

const hexKey = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(hex);

describe('buildDataUp', () => {
  it('reproduces ChirpStack lrwn phy_payload.rs "LoRaWAN 1.0.x confirmed uplink example"', () => {
    // devaddr 01020304, fCnt 0, FOpts DevStatusAns(battery 115 = 0x73, margin 7) = 06 73 07, FPort 10,
    // payload 01020304; NwkSKey 0102…10, AppSKey 100f…01 → 80 04030201 03 0000 067307 0a e264d4f7 e117d2c0
    const phy = buildDataUp({
      devAddr: '01020304', fCnt: 0, confirmed: true, fPort: 10, payload: '01020304', fOpts: '067307',
      nwkSKey: '0102030405060708090a0b0c0d0e0f10', appSKey: '100f0e0d0c0b0a090807060504030201',
    });
    expect(hex(phy)).toBe('80040302010300000673070ae264d4f7e117d2c0');
  });

  it('reproduces the lora-packet README frame 40F17DBE4900020001954378762B11FF0D', () => {
    // DevAddr 49be7df1, FCnt 2, FPort 1, payload "test", NwkSKey 4402…, AppSKey ec92… (lora-packet README)
    const phy = buildDataUp({
      devAddr: '49be7df1', fCnt: 2, confirmed: false, fPort: 1, payload: new TextEncoder().encode('test'),
      nwkSKey: '44024241ed4ce9a68c6a8bc055233fd3', appSKey: 'ec925802ae430ca77fd3dd73cb2cc588',
    });
    expect(hex(phy)).toBe('40f17dbe4900020001954378762b11ff0d');
  });

  it('uses the full 32-bit counter: matches lora-packet given the upper bytes in WIRE order (radio.md §4.3)', () => {
    // FCnt32 0x00010005: the frame carries 0x0005; lora-packet needs FCntMSBytes = [0x01, 0x00] (little-endian).
    const nwkSKey = '0102030405060708090a0b0c0d0e0f10';
    const appSKey = '100f0e0d0c0b0a090807060504030201';
    const ours = buildDataUp({ devAddr: '01020304', fCnt: 0x00010005, confirmed: true, fPort: 1, payload: 'aabbcc', nwkSKey, appSKey });
    const fields = { MType: 'Confirmed Data Up', DevAddr: Buffer.from('01020304', 'hex'), FCnt: 5, FPort: 1, payload: Buffer.from('aabbcc', 'hex') };
    const wire = loraPacket.fromFields(fields, Buffer.from(appSKey, 'hex'), Buffer.from(nwkSKey, 'hex'), undefined, Buffer.from([0x01, 0x00]));
    expect(hex(ours)).toBe(wire.getPHYPayload()!.toString('hex'));
    // The wrong (big-endian) order is a different counter (0x01000005) and a different frame.
    const wrong = loraPacket.fromFields(fields, Buffer.from(appSKey, 'hex'), Buffer.from(nwkSKey, 'hex'), undefined, Buffer.from([0x00, 0x01]));
    expect(hex(ours)).not.toBe(wrong.getPHYPayload()!.toString('hex'));
    expect(verifyDataMic(ours, nwkSKey, 0x00010005)).toBe(true);
    expect(verifyDataMic(ours, nwkSKey, 0x00000005)).toBe(false);
  });

  it('sets the uplink FCtrl bits ADR 0x80, ADRACKReq 0x40, ACK 0x20, ClassB 0x10 and FOptsLen', () => {
    const k = '00'.repeat(16);
    const phy = buildDataUp({ devAddr: '00000001', fCnt: 1, confirmed: false, fPort: 2, payload: '', fOpts: '02', adr: true, adrAckReq: true, ack: true, classB: true, nwkSKey: k, appSKey: k });
    expect(phy[5]).toBe(0x80 | 0x40 | 0x20 | 0x10 | 1);
  });

  it('refuses impossible frames with FrameError', () => {
    const k = '00'.repeat(16);
    const f = { devAddr: '01020304', fCnt: 1, confirmed: false, fPort: 1, payload: '', nwkSKey: k, appSKey: k };
    expect(() => buildDataUp({ ...f, devAddr: '0102' })).toThrow(FrameError);
    expect(() => buildDataUp({ ...f, fCnt: 2 ** 32 })).toThrow(FrameError);
    expect(() => buildDataUp({ ...f, fOpts: '00'.repeat(16) })).toThrow(FrameError);
    expect(() => buildDataUp({ ...f, fPort: 0, fOpts: '02' })).toThrow(FrameError);
    expect(() => buildDataUp({ ...f, fPort: null, payload: '01' })).toThrow(FrameError);
    expect(() => buildDataUp({ ...f, payload: '00'.repeat(250) })).toThrow(FrameError);
  });
});

describe('buildDataDown', () => {
  it('agrees with lora-packet for a confirmed downlink with ACK and FPending', () => {
    const nwkSKey = '44024241ed4ce9a68c6a8bc055233fd3';
    const appSKey = 'ec925802ae430ca77fd3dd73cb2cc588';
    const ours = buildDataDown({ devAddr: '26011bda', fCnt: 7, confirmed: true, fPort: 3, payload: '0102030405060708090a0b0c0d0e0f1011', ack: true, fPending: true, nwkSKey, appSKey });
    const theirs = loraPacket.fromFields(
      { MType: 'Confirmed Data Down', DevAddr: Buffer.from('26011bda', 'hex'), FCnt: 7, FPort: 3, FCtrl: { ACK: true, FPending: true }, payload: Buffer.from('0102030405060708090a0b0c0d0e0f1011', 'hex') },
      Buffer.from(appSKey, 'hex'),
      Buffer.from(nwkSKey, 'hex'),
    );
    expect(hex(ours)).toBe(theirs.getPHYPayload()!.toString('hex'));
    expect(ours[0]).toBe(0xa0); // MType 101 ConfirmedDataDown
    const p = parseFrame(ours, { nwkSKey, appSKey });
    expect(p).toMatchObject({ mType: 'ConfirmedDataDown', dir: 'down', ack: true, fPending: true, micValid: true, payloadHex: '0102030405060708090a0b0c0d0e0f1011' });
  });

  it('encrypts FPort 0 (MAC commands) with the NwkSKey', () => {
    const nwkSKey = '0102030405060708090a0b0c0d0e0f10';
    const appSKey = '100f0e0d0c0b0a090807060504030201';
    const ours = buildDataDown({ devAddr: '01020304', fCnt: 3, confirmed: false, fPort: 0, payload: '0205', nwkSKey, appSKey });
    const theirs = loraPacket.fromFields(
      { MType: 'Unconfirmed Data Down', DevAddr: Buffer.from('01020304', 'hex'), FCnt: 3, FPort: 0, payload: Buffer.from('0205', 'hex') },
      Buffer.from(appSKey, 'hex'),
      Buffer.from(nwkSKey, 'hex'),
    );
    expect(hex(ours)).toBe(theirs.getPHYPayload()!.toString('hex'));
    expect(parseFrame(ours, { nwkSKey }).payloadHex).toBe('0205');
  });
});

describe('frame build → parse round trip (fast-check)', () => {
  it('parses back every field, checks the MIC and decrypts, in agreement with lora-packet', () => {
    fc.assert(
      fc.property(
        fc.record({
          devAddr: fc.uint8Array({ minLength: 4, maxLength: 4 }).map(hex),
          fCnt: fc.integer({ min: 0, max: 0xffffffff }),
          confirmed: fc.boolean(),
          down: fc.boolean(),
          fPort: fc.integer({ min: 1, max: 223 }),
          payload: fc.uint8Array({ maxLength: 64 }),
          fOpts: fc.uint8Array({ maxLength: 15 }),
          adr: fc.boolean(),
          ack: fc.boolean(),
          nwkSKey: hexKey,
          appSKey: hexKey,
        }),
        (f) => {
          const phy = f.down ? buildDataDown(f) : buildDataUp(f);
          const msb = Math.floor(f.fCnt / 0x10000);
          const p = parseFrame(phy, { nwkSKey: f.nwkSKey, appSKey: f.appSKey, fCntMsb: msb });
          expect(p.mType).toBe(`${f.confirmed ? 'Confirmed' : 'Unconfirmed'}Data${f.down ? 'Down' : 'Up'}`);
          expect(p.devAddr).toBe(f.devAddr);
          expect(p.fCnt).toBe(f.fCnt & 0xffff);
          expect(p.fCnt32).toBe(f.fCnt);
          expect(p.fPort).toBe(f.fPort);
          expect(p.fOptsHex).toBe(hex(f.fOpts));
          expect([p.adr, p.ack]).toEqual([f.adr, f.ack]);
          expect(p.micValid).toBe(true);
          expect(p.payloadHex).toBe(hex(f.payload));
          // lora-packet, with the upper counter bytes in wire (little-endian) order, agrees on MIC and plaintext.
          const lp = loraPacket.fromWire(Buffer.from(phy));
          const msBytes = Buffer.from([msb & 0xff, msb >>> 8]);
          expect(loraPacket.verifyMIC(lp, Buffer.from(f.nwkSKey, 'hex'), undefined, msBytes)).toBe(true);
          if (f.payload.length > 0) expect(loraPacket.decrypt(lp, Buffer.from(f.appSKey, 'hex'), Buffer.from(f.nwkSKey, 'hex'), msBytes).toString('hex')).toBe(hex(f.payload));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a flipped bit anywhere makes the MIC check fail', () => {
    const k = '0102030405060708090a0b0c0d0e0f10';
    const phy = buildDataUp({ devAddr: '01020304', fCnt: 9, confirmed: false, fPort: 2, payload: '0167011c', nwkSKey: k, appSKey: k });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: phy.length * 8 - 1 }), (bit) => {
        const bad = phy.slice();
        bad[bit >> 3] ^= 1 << (bit & 7);
        expect(verifyDataMic(bad, k, 9)).toBe(false);
      }),
    );
  });
});

describe('fullFCnt (ChirpStack get_full_f_cnt_up)', () => {
  it.each([
    // [fCnt16, last, expected, why]
    [0, null, 0, 'first frame'],
    [5, 4, 5, 'next frame'],
    [10, 4, 10, 'frames lost in between'],
    [4, 4, 4, 'retransmission of the last frame'],
    [0x0000, 0x0000ffff, 0x00010000, 'wrap of the low 16 bits: 0xffff → 0x1_0000'],
    [0x0002, 0x0001fffe, 0x00020002, 'wrap with a gap: 0x1fffe + 1 = 0x1ffff, +3 = 0x2_0002'],
    [0x0003, 0x00010005, 0x00020003, 'a lower 16-bit value means the counter wrapped (0x10006 + 0xfffd)'],
  ] as [number, number | null, number, string][])('fCnt16 %i after %s → %i (%s)', (f16, last, expected) => {
    expect(fullFCnt(f16, last)).toBe(expected);
  });

  it('refuses counters out of range', () => {
    expect(() => fullFCnt(0x10000, 0)).toThrow(FrameError);
    expect(() => fullFCnt(1, -1)).toThrow(FrameError);
  });

  it('recovers any counter within 65,535 frames of the last one (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff - 0x10000 }), fc.integer({ min: 1, max: 0xffff }), (last, step) => {
        expect(fullFCnt((last + step) & 0xffff, last)).toBe(last + step);
      }),
    );
  });
});

describe('verifyDataMic', () => {
  it('is false for frames that are not data frames or whose counter does not match', () => {
    const k = '44024241ed4ce9a68c6a8bc055233fd3';
    const phy = bytes('40f17dbe4900020001954378762b11ff0d');
    expect(verifyDataMic(phy, k, 2)).toBe(true);
    expect(verifyDataMic(phy, k, 3)).toBe(false); // low 16 bits must equal the FCnt sent (2)
    expect(verifyDataMic(bytes('e0010203'), k, 0)).toBe(false);
  });
});
