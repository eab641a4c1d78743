import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bytesEqualHex, bytesToHex, hexToBytes } from './hex.ts';

describe('comparing bytes with a hex string', () => {
  it('matches either case and nothing else', () => {
    const bytes = Uint8Array.from([0x00, 0xab, 0x7f, 0xff]);
    expect(bytesEqualHex(bytes, '00ab7fff')).toBe(true);
    expect(bytesEqualHex(bytes, '00AB7fFF')).toBe(true);
    expect(bytesEqualHex(bytes, '00ab7ffe')).toBe(false);
    expect(bytesEqualHex(bytes, '00ab7ff')).toBe(false); // odd length
    expect(bytesEqualHex(bytes, '00ab7fff00')).toBe(false);
    expect(bytesEqualHex(bytes, '00ab7fgf')).toBe(false); // not hex
    expect(bytesEqualHex(new Uint8Array(0), '')).toBe(true);
  });

  it('agrees with bytesToHex(bytes) === hex.toLowerCase() for random bytes and strings', () => {
    // Strings: the bytes' own hex in random case, with one character possibly replaced by any character.
    const flips = fc.array(fc.boolean(), { maxLength: 80 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), flips, fc.option(fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }))), (b, upper, edit) => {
        let s = [...bytesToHex(b)].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        if (edit && s.length > 0) {
          const at = edit[0] % s.length;
          s = s.slice(0, at) + edit[1] + s.slice(at + 1);
        }
        expect(bytesEqualHex(b, s)).toBe(bytesToHex(b) === s.toLowerCase());
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.string({ maxLength: 80 }), (b, s) => {
        expect(bytesEqualHex(b, s)).toBe(bytesToHex(b) === s.toLowerCase());
      }),
    );
    expect(bytesToHex(hexToBytes('0AfF'))).toBe('0aff');
  });
});
