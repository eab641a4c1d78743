/**
 * Arrival stamps and a bound on MQTT packet size for the embedded broker.
 *
 * Arrival: aedes reads a connection one batch at a time and reads the next batch only once every packet
 * of the last one is handled (lib/client.js `nextBatch`), and a QoS 1 publish is handled when ingest has
 * stored it; what a client sends meanwhile waits in the socket. So the bytes are taken from the socket as
 * soon as they arrive (up to {@link EAGER_READ_BYTES} ahead of aedes), and each PUBLISH is stamped with the
 * time its last byte was read: the oracle's receive time (spec §(a)) no longer depends on how long the
 * previous batch took to store.
 *
 * Size: a bound on MQTT packet size for the embedded broker (Mosquitto's `max_packet_size`, EMQX's
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
  private type = 0;

  constructor(private readonly max: number) {}

  /** `onPacket` gets the control packet type (fixed header bits 7–4; 3 = PUBLISH) of every packet completed. */
  feed(buf: Uint8Array, onPacket?: (type: number) => void): number | null {
    let i = 0;
    while (i < buf.length) {
      if (this.state === 'type') {
        this.type = buf[i] >>> 4;
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
        if (this.left === 0) onPacket?.(this.type);
      } else {
        const n = Math.min(this.left, buf.length - i);
        i += n;
        this.left -= n;
        if (this.left === 0) {
          this.state = 'type';
          onPacket?.(this.type);
        }
      }
    }
    return null;
  }
}

/** MQTT control packet type of PUBLISH (MQTT 3.1.1 §2.2.1). */
const PUBLISH = 3;

/**
 * Bytes read from a socket ahead of aedes at most (about 1,500 signed reports). Past it the socket is left
 * alone until aedes reads, so TCP flow control slows the client instead of the oracle buffering without
 * bound.
 */
export const EAGER_READ_BYTES = 1 << 20;

/** When a PUBLISH arrived: the oracle clock (receive time) and a monotonic stamp (latency metrics). */
export interface Arrival {
  atMs: number;
  ns: bigint;
  /** Call once the publish has been handed over (or when its connection closes). */
  release(): void;
}

export interface ArrivalSource {
  /** Stamp one arriving PUBLISH; `release` ends its reservation (ingest's in-flight horizon). */
  stamp(): Arrival;
}

const arrivals = new WeakMap<object, Arrival[]>();

/**
 * The arrival of the next PUBLISH aedes hands over from `conn` (packets of a connection are handled in
 * the order they were parsed), or undefined for a connection that is not guarded or stamped.
 */
export function takeArrival(conn: object): Arrival | undefined {
  return arrivals.get(conn)?.shift();
}

/**
 * Watch what aedes reads from `conn` (it pulls with `conn.read()` on 'readable'); a packet over `max`
 * destroys the connection and calls `onTooLarge` once. With `arrivals`, bytes are read from the socket as
 * they arrive (see the file comment) and every PUBLISH is stamped.
 */
export function guardPacketSize<T extends Duplex>(conn: T, max: number, onTooLarge: (announced: number) => void, source?: ArrivalSource): T {
  if (!source) return guardOnly(conn, max, onTooLarge);
  const scanner = new PacketSizeScanner(max);
  const read = conn.read.bind(conn);
  const emit = conn.emit.bind(conn) as (event: string | symbol, ...args: unknown[]) => boolean;
  const queue: Arrival[] = [];
  arrivals.set(conn, queue);
  let tripped = false;
  let ahead: Uint8Array[] = [];
  let aheadBytes = 0;
  let endHeld = false;

  /** Take what the socket holds (up to the bound), scanning and stamping it. */
  const pull = () => {
    while (!tripped && aheadBytes < EAGER_READ_BYTES) {
      const chunk: unknown = read();
      if (chunk === null || chunk === undefined) return;
      if (!(chunk instanceof Uint8Array)) continue;
      const over = scanner.feed(chunk, (type) => {
        if (type === PUBLISH) queue.push(source.stamp());
      });
      if (over !== null) {
        tripped = true;
        onTooLarge(over);
        conn.destroy();
        return;
      }
      ahead.push(chunk);
      aheadBytes += chunk.length;
    }
  };
  // registered before aedes's own 'readable' handler (the guard runs before `broker.handle`)
  conn.on('readable', pull);
  conn.read = (size?: number) => {
    if (tripped) return null;
    pull();
    // the stream's own read(0) calls (refill the buffer, hand nothing out) must not take the bytes
    if (size === 0) return null;
    if (ahead.length === 0) {
      if (endHeld) {
        endHeld = false;
        process.nextTick(() => emit('end'));
      }
      return null;
    }
    const out = ahead.length === 1 ? ahead[0] : Buffer.concat(ahead);
    ahead = [];
    aheadBytes = 0;
    if (endHeld) {
      endHeld = false;
      process.nextTick(() => emit('end'));
    }
    return out as ReturnType<T['read']>;
  };
  // The socket may end while bytes wait here for aedes: hold 'end' back until aedes has read them.
  conn.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'end' && ahead.length > 0) {
      endHeld = true;
      return true;
    }
    return emit(event, ...args);
  }) as T['emit'];
  // Publishes never handed over (refused at the header, connection dropped) end their reservations.
  conn.once('close', () => {
    for (const a of queue.splice(0)) a.release();
  });
  return conn;
}

function guardOnly<T extends Duplex>(conn: T, max: number, onTooLarge: (announced: number) => void): T {
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
