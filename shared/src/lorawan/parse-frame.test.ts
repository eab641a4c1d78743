import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameError } from './frame-types.ts';
import { hexToBytesStrict as bytes } from './hex.ts';
import { parseFrame } from './parse-frame.ts';
import { buildProprietary, isPotentialBeacon } from './proprietary.ts';

describe('parseFrame', () => {
  it('decodes the lora-packet README frame field by field', () => {
    // 40 | f17dbe49 (DevAddr 49be7df1) | 00 (FCtrl) | 0200 (FCnt 2) | 01 (FPort) | 95437876 | 2b11ff0d (MIC)
    const phy = bytes('40f17dbe4900020001954378762b11ff0d');
    expect(parseFrame(phy)).toEqual({
      mType: 'UnconfirmedDataUp', dir: 'up', devAddr: '49be7df1', fCnt: 2, fPort: 1, fOptsHex: '', adr: false, adrAckReq: false,
      ack: false, fPending: false, classB: false, micHex: '2b11ff0d', payloadHex: '95437876', payloadDecrypted: false,
    });
    const withKeys = parseFrame(phy, { nwkSKey: '44024241ed4ce9a68c6a8bc055233fd3', appSKey: 'ec925802ae430ca77fd3dd73cb2cc588' });
    expect(withKeys.micValid).toBe(true);
    expect(withKeys.payloadHex).toBe('74657374'); // "test"
    expect(withKeys.payloadDecrypted).toBe(true);
  });

  it('adds fCnt32 = fCntMsb·65536 + fCnt when the upper bits are given', () => {
    const p = parseFrame(bytes('40f17dbe4900020001954378762b11ff0d'), { fCntMsb: 3, nwkSKey: '44024241ed4ce9a68c6a8bc055233fd3' });
    expect(p.fCnt32).toBe(3 * 65536 + 2);
    expect(p.micValid).toBe(false); // the MIC was made with FCnt32 = 2
  });

  it('reads a data frame without FPort (FHDR only)', () => {
    // 40 | 04030201 | 01 (FOptsLen 1) | 0100 | 02 (LinkCheckReq) | MIC
    const p = parseFrame(bytes('4004030201010100' + '02' + 'deadbeef'));
    expect(p).toMatchObject({ devAddr: '01020304', fCnt: 1, fOptsHex: '02', fPort: null, payloadHex: '', micHex: 'deadbeef' });
  });

  it('decodes proprietary frames and flags 52-byte ones as potential beacons', () => {
    const beacon = buildProprietary(new Uint8Array(51).fill(7));
    expect(beacon[0]).toBe(0xe0);
    expect(parseFrame(beacon)).toMatchObject({ mType: 'Proprietary', dir: null, payloadHex: '07'.repeat(51), micHex: '' });
    expect(isPotentialBeacon(beacon)).toBe(true);
    expect(isPotentialBeacon(buildProprietary('010203'))).toBe(false); // ChirpStack's proprietary example e0 010203
    expect(isPotentialBeacon(bytes('40' + '00'.repeat(51)))).toBe(false);
  });

  it.each([
    ['empty input', ''],
    ['a data frame shorter than 12 bytes', '4001020304000000'],
    ['FOptsLen running into the MIC', '400102030405000001020304'],
    ['a join request of the wrong length', '00' + '01'.repeat(20)],
    ['a join accept of the wrong length', '20' + '01'.repeat(20)],
    ['MType 110 (RFU / rejoin)', 'c0' + '00'.repeat(20)],
    ['major version ≠ 0', '41f17dbe4900020001954378762b11ff0d'],
  ])('throws FrameError on %s', (_why, h) => {
    expect(() => parseFrame(bytes(h))).toThrow(FrameError);
  });

  it('throws FrameError on malformed keys', () => {
    expect(() => parseFrame(bytes('40f17dbe4900020001954378762b11ff0d'), { nwkSKey: 'xyz' })).toThrow(FrameError);
  });

  it('never throws anything but FrameError on arbitrary bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          parseFrame(b, { nwkSKey: '00'.repeat(16), appSKey: '00'.repeat(16), appKey: '00'.repeat(16) });
        } catch (e) {
          expect(e).toBeInstanceOf(FrameError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
