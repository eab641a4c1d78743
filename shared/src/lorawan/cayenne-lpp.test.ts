import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLpp, encodeLpp, LppError, type LppItem } from './cayenne-lpp.ts';
import { bytesToHexFast as hex, hexToBytesStrict as bytes } from './hex.ts';

describe('Cayenne LPP', () => {
  it('decodes the spec example "device with 2 temperature sensors": 03 67 01 10 05 67 00 FF', () => {
    // 0x0110 = 272 → 27.2 °C on channel 3; 0x00FF = 255 → 25.5 °C on channel 5 (Cayenne LPP docs)
    expect(decodeLpp(bytes('03670110056700ff'))).toEqual([
      { channel: 3, type: 'temperature', value: 27.2 },
      { channel: 5, type: 'temperature', value: 25.5 },
    ]);
  });

  it('encodes negative temperatures as two’s complement: −4.1 °C → FF D7', () => {
    // −41 + 65536 = 65495 = 0xFFD7 (Cayenne LPP docs example "01 67 FF D7")
    expect(hex(encodeLpp([{ channel: 1, type: 'temperature', value: -4.1 }]))).toBe('0167ffd7');
  });

  it('uses the spec type ids and resolutions for each supported type', () => {
    const items: LppItem[] = [
      { channel: 1, type: 'humidity', value: 55.5 }, // 104, 1 B, 0.5 % → 111 = 0x6f
      { channel: 2, type: 'analogInput', value: 3.3 }, // 2, 2 B signed, 0.01 → 330 = 0x014a
      { channel: 3, type: 'digitalInput', value: 1 }, // 0, 1 B
      { channel: 4, type: 'barometricPressure', value: 1013.2 }, // 115, 2 B, 0.1 hPa → 10132 = 0x2794
    ];
    expect(hex(encodeLpp(items))).toBe('01686f' + '0202014a' + '030001' + '04732794');
    expect(decodeLpp(encodeLpp(items))).toEqual(items);
  });

  it('round-trips values already on the resolution grid (fast-check)', () => {
    const item = fc.oneof(
      fc.record({ channel: fc.integer({ min: 0, max: 255 }), type: fc.constant('temperature' as const), value: fc.integer({ min: -32768, max: 32767 }).map((r) => Number((r / 10).toFixed(1))) }),
      fc.record({ channel: fc.integer({ min: 0, max: 255 }), type: fc.constant('humidity' as const), value: fc.integer({ min: 0, max: 200 }).map((r) => r / 2) }),
      fc.record({ channel: fc.integer({ min: 0, max: 255 }), type: fc.constant('analogInput' as const), value: fc.integer({ min: -32768, max: 32767 }).map((r) => Number((r / 100).toFixed(2))) }),
      fc.record({ channel: fc.integer({ min: 0, max: 255 }), type: fc.constant('barometricPressure' as const), value: fc.integer({ min: 0, max: 65535 }).map((r) => Number((r / 10).toFixed(1))) }),
      fc.record({ channel: fc.integer({ min: 0, max: 255 }), type: fc.constant('digitalInput' as const), value: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(fc.property(fc.array(item, { maxLength: 8 }), (items) => {
      expect(decodeLpp(encodeLpp(items))).toEqual(items);
    }));
  });

  it('throws LppError on out-of-range values, unknown type ids and truncation', () => {
    expect(() => encodeLpp([{ channel: 1, type: 'humidity', value: 128 }])).toThrow(LppError); // 256 > 255
    expect(() => encodeLpp([{ channel: 256, type: 'humidity', value: 1 }])).toThrow(LppError);
    expect(() => decodeLpp(bytes('01ff00'))).toThrow(LppError);
    expect(() => decodeLpp(bytes('016701'))).toThrow(LppError);
  });
});
