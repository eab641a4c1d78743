/** The MQTT packet-size scanner (MQTT 3.1.1 §2.2.3 Remaining Length), byte sequences worked by hand. */
import { describe, expect, it } from 'vitest';
import { PacketSizeScanner } from './packet-guard.ts';

describe('PacketSizeScanner', () => {
  it('follows packets within the bound, split anywhere', () => {
    const s = new PacketSizeScanner(200);
    // PINGREQ (0xC0, length 0), then PUBLISH 0x30 with length 130 = 0x82 0x01 (2 + 1·128) and its body
    const bytes = Buffer.concat([Buffer.from([0xc0, 0x00, 0x30, 0x82, 0x01]), Buffer.alloc(130, 1), Buffer.from([0xc0, 0x00])]);
    for (let i = 0; i < bytes.length; i += 3) expect(s.feed(bytes.subarray(i, i + 3))).toBeNull();
  });
  it('reports the first announced length over the bound, at its header', () => {
    const s = new PacketSizeScanner(200);
    // 201 = 0xC9 0x01 (73 + 1·128)
    expect(s.feed(Buffer.from([0xc0, 0x00, 0x30, 0xc9]))).toBeNull();
    expect(s.feed(Buffer.from([0x01]))).toBe(201);
  });
  it('reports a Remaining Length longer than 4 bytes as malformed (-1)', () => {
    expect(new PacketSizeScanner(1 << 30).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(-1);
  });
});
