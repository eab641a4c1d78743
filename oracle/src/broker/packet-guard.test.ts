/** The MQTT packet-size scanner (MQTT 3.1.1 §2.2.3 Remaining Length), byte sequences worked by hand. */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { PacketSizeScanner, guardPacketSize, takeArrival } from './packet-guard.ts';

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

describe('guardPacketSize with arrival stamps', () => {
  // PUBLISH QoS 0 to topic "t" with payload "x": 0x30, Remaining Length 4 = topic length (2) + "t" + "x"
  const publish = Buffer.from([0x30, 0x04, 0x00, 0x01, 0x74, 0x78]);
  const pingreq = Buffer.from([0xc0, 0x00]);
  const source = () => {
    let clock = 1000;
    const released: number[] = [];
    return {
      released,
      stamp: () => {
        const atMs = clock++;
        return { atMs, ns: BigInt(atMs), release: () => released.push(atMs) };
      },
    };
  };
  const tick = () => new Promise((r) => setImmediate(r));

  it('stamps each PUBLISH when it arrives, not when the reader gets to it', async () => {
    const src = source();
    const conn = guardPacketSize(new PassThrough(), 200, () => undefined, src);
    // the reader (aedes) is busy: nobody calls read(); the bytes arrive in three writes
    conn.write(Buffer.concat([publish, pingreq]));
    await tick();
    conn.write(publish.subarray(0, 3));
    await tick();
    conn.write(publish.subarray(3));
    await tick();
    // stamped in arrival order: the first publish at 1000, the second (complete with its last byte) at 1001
    const bytes = conn.read() as Buffer;
    expect(bytes.equals(Buffer.concat([publish, pingreq, publish]))).toBe(true);
    expect(takeArrival(conn)?.atMs).toBe(1000);
    expect(takeArrival(conn)?.atMs).toBe(1001);
    expect(takeArrival(conn)).toBeUndefined();
  });

  it('ends reservations never taken when the connection closes', async () => {
    const src = source();
    const conn = guardPacketSize(new PassThrough(), 200, () => undefined, src);
    conn.write(Buffer.concat([publish, publish]));
    await tick();
    takeArrival(conn);
    conn.destroy();
    await tick();
    expect(src.released).toEqual([1001]);
  });

  it("holds the socket's end back until the reader has taken the bytes before it", async () => {
    const conn = guardPacketSize(new PassThrough(), 200, () => undefined, source());
    let ended = false;
    conn.on('end', () => (ended = true));
    conn.end(publish);
    await tick();
    await tick();
    expect(ended).toBe(false);
    expect((conn.read() as Buffer).equals(publish)).toBe(true);
    await tick();
    expect(ended).toBe(true);
  });

  it('closes a connection announcing a packet over the bound', async () => {
    let over = 0;
    const conn = guardPacketSize(new PassThrough(), 200, (n) => (over = n), source());
    conn.write(Buffer.from([0x30, 0xc9, 0x01])); // 201 = 0xC9 0x01
    await tick();
    expect(over).toBe(201);
    expect(conn.destroyed).toBe(true);
  });
});
