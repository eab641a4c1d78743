/**
 * A bound on MQTT packet size for the embedded broker (Mosquitto's `max_packet_size`, EMQX's
 * `mqtt.max_packet_size`). aedes buffers a whole packet before any hook sees it, and MQTT allows
 * 256 MB (MQTT 3.1.1 §2.2.3: a Remaining Length of up to 4 bytes, 268 435 455): so the bytes a client
 * sends are scanned as aedes reads them, and a connection announcing a packet over the bound is closed
 * at its fixed header, before the body is buffered.
 */
import type { Duplex } from 'node:stream';

/**
 * Follows packet boundaries in a byte stream: fixed header byte, Remaining Length (7 bits a byte, high bit
 * = more, at most 4 bytes, MQTT 3.1.1 §2.2.3), then that many bytes. `feed` returns the first Remaining
 * Length over `max` (or -1 for a malformed length) and null while every packet is within the bound.
 */
export class PacketSizeScanner {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private left = 0;

  constructor(private readonly max: number) {}

  feed(buf: Uint8Array): number | null {
    let i = 0;
    while (i < buf.length) {
      if (this.state === 'type') {
        i++;
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
      } else if (this.state === 'length') {
        const b = buf[i++];
        this.length += (b & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        this.lengthBytes++;
        if (b & 0x80) {
          if (this.lengthBytes === 4) return -1;
          continue;
        }
        if (this.length > this.max) return this.length;
        this.left = this.length;
        this.state = this.left === 0 ? 'type' : 'body';
      } else {
        const n = Math.min(this.left, buf.length - i);
        i += n;
        this.left -= n;
        if (this.left === 0) this.state = 'type';
      }
    }
    return null;
  }
}

/**
 * Watch what aedes reads from `conn` (it pulls with `conn.read()` on 'readable'); a packet over `max`
 * destroys the connection and calls `onTooLarge` once.
 */
export function guardPacketSize<T extends Duplex>(conn: T, max: number, onTooLarge: (announced: number) => void): T {
  const scanner = new PacketSizeScanner(max);
  const read = conn.read.bind(conn);
  let tripped = false;
  conn.read = (size?: number) => {
    if (tripped) return null;
    const chunk: unknown = read(size);
    if (chunk instanceof Uint8Array) {
      const over = scanner.feed(chunk);
      if (over !== null) {
        tripped = true;
        onTooLarge(over);
        conn.destroy();
        return null;
      }
    }
    return chunk;
  };
  return conn;
}
