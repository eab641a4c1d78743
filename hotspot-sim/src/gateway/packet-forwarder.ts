/**
 * The gateway side of GWMP v2 over UDP, for tests and simulated towns: what a Semtech packet forwarder
 * (`lora_pkt_fwd`) does on a real gateway (PROTOCOL.TXT; ../shared/specs/radio.md §5.1b):
 * - each received frame → PUSH_DATA `{"rxpk":[…]}` with the concentrator's µs counter `tmst`;
 * - every `statIntervalMs` → PUSH_DATA `{"stat":{…}}` with the counts of that interval;
 * - every `keepaliveMs` → PULL_DATA, which opens the downlink path through NATs;
 * - PULL_RESP → queued by `tmst` (or sent now for `imme`), answered with TX_ACK (no JSON on success,
 *   `{"txpk_ack":{"error":…}}` otherwise: TOO_LATE in the past, TOO_EARLY too far ahead, COLLISION_PACKET
 *   over another queued transmission), then handed to `transmit` at its time.
 * Malformed datagrams are counted per reason and dropped; an ack with a token we never sent is
 * `unknown-token`.
 */
import dgram from 'node:dgram';
import { timeOnAir } from '@hexium/shared/radio/index';
import type { RadioRx } from '../core/firmware/hotspot.ts';
import { decodeGwmp, encodeGwmp, hz, mhz, loraDatr, parseLoraDatr, type Txpk, type TxAckError, type Stat } from './gwmp.ts';

/** A transmission past this far ahead is refused TOO_EARLY (the forwarder's JIT queue horizon). [judgement] */
const MAX_ADVANCE_MS = 30_000;
/** ACKs are expected within this time (PROTOCOL.TXT suggests the forwarder waits `push_timeout_ms`, 100 ms by default; loaded machines are slower). */
const ACK_WAIT_MS = 10_000;

/**
 * A received frame as the firmware sees it (`RadioRx`), with `endMs` in wall-clock ms (it gives
 * `tmst`, so the firmware's own `tmst` is not taken).
 */
export interface ForwardedRx extends Omit<RadioRx, 'tmst'> {
  /** CRC status: 1 OK (default), −1 failed, 0 none. */
  crc?: 1 | -1 | 0;
}

export interface ForwardedTx {
  phy: Uint8Array;
  freqHz: number;
  sf: number;
  bandwidthHz: number;
  /** Conducted power, dBm. */
  powerDbm: number;
  invertedIq: boolean;
  crc: boolean;
  /** Wall-clock ms the transmission starts. */
  atMs: number;
}

export interface PacketForwarderOptions {
  gatewayEui: string;
  server: { host: string; port: number };
  /** Called at the start of each accepted transmission. */
  transmit: (tx: ForwardedTx) => void;
  /** PULL_DATA period, ms (packet forwarder `keepalive_interval`: 10 s). */
  keepaliveMs?: number;
  /** stat period, ms (packet forwarder `stat_interval`: 30 s). */
  statIntervalMs?: number;
  /** Antenna position for `stat`. */
  position?: { lat: number; lng: number; altM: number };
  now?: () => number;
}

export interface ForwarderCounters {
  pushData: number;
  pushAck: number;
  pullData: number;
  pullAck: number;
  pullResp: number;
  rxpk: number;
  stat: number;
  txAck: Record<string, number>;
  dropped: Record<string, number>;
}

export class PacketForwarder {
  private socket: dgram.Socket | null = null;
  /** Local UDP address once started. */
  address: { address: string; port: number } | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly intervals: NodeJS.Timeout[] = [];
  private token = 0;
  private readonly awaiting = new Map<number, { type: 'PUSH_ACK' | 'PULL_ACK'; expires: number }>();
  private readonly queue: { startMs: number; endMs: number }[] = [];
  /** Wall-clock origin of the µs counter (a concentrator starts counting at power-up). */
  private readonly t0: number;
  private readonly now: () => number;
  private interval = { rxnb: 0, rxok: 0, rxfw: 0, ackOk: 0, ackSent: 0, dwnb: 0, txnb: 0 };
  readonly counters: ForwarderCounters = { pushData: 0, pushAck: 0, pullData: 0, pullAck: 0, pullResp: 0, rxpk: 0, stat: 0, txAck: {}, dropped: {} };

  constructor(private readonly o: PacketForwarderOptions) {
    this.now = o.now ?? Date.now;
    this.t0 = this.now();
  }

  /** The concentrator counter (µs, 32 bit) at a wall-clock time. */
  tmstAt(wallMs: number): number {
    return Math.round((wallMs - this.t0) * 1000) >>> 0;
  }

  /** The wall-clock time of a counter value, taking the one nearest to now (the counter wraps every 71.6 min). */
  wallOfTmst(tmst: number): number {
    const nowTmst = this.tmstAt(this.now());
    return this.now() + ((tmst - nowTmst) | 0) / 1000;
  }

  async start(): Promise<{ address: string; port: number }> {
    const s = dgram.createSocket(this.o.server.host.includes(':') ? 'udp6' : 'udp4');
    s.on('message', (msg) => this.onDatagram(msg));
    s.on('error', () => undefined);
    await new Promise<void>((r) => s.bind(0, this.o.server.host.includes(':') ? '::1' : '127.0.0.1', () => r()));
    this.socket = s;
    this.pull();
    this.intervals.push(setInterval(() => this.pull(), this.o.keepaliveMs ?? 10_000));
    this.intervals.push(setInterval(() => this.sendStat(), this.o.statIntervalMs ?? 30_000));
    const a = s.address();
    this.address = { address: a.address, port: a.port };
    return this.address;
  }

  private nextToken(): number {
    this.token = (this.token + 1) & 0xffff;
    return this.token;
  }

  private send(b: Buffer): void {
    this.socket?.send(b, this.o.server.port, this.o.server.host);
  }

  private expect(token: number, type: 'PUSH_ACK' | 'PULL_ACK'): void {
    const now = this.now();
    for (const [t, a] of this.awaiting) if (a.expires < now) this.awaiting.delete(t);
    this.awaiting.set(token, { type, expires: now + ACK_WAIT_MS });
  }

  private pull(): void {
    const token = this.nextToken();
    this.expect(token, 'PULL_ACK');
    this.counters.pullData++;
    this.send(encodeGwmp({ type: 'PULL_DATA', token, gatewayEui: this.o.gatewayEui }));
  }

  private push(payload: { rxpk?: import('./gwmp.ts').Rxpk[]; stat?: Stat }): void {
    const token = this.nextToken();
    this.expect(token, 'PUSH_ACK');
    this.counters.pushData++;
    this.interval.ackSent++;
    this.send(encodeGwmp({ type: 'PUSH_DATA', token, gatewayEui: this.o.gatewayEui, payload }));
  }

  /** A frame the radio received: one rxpk. CRC-failed frames are forwarded too (`forward_crc_error`). */
  receive(rx: ForwardedRx): void {
    const crc = rx.crc ?? 1;
    this.interval.rxnb++;
    if (crc === 1) this.interval.rxok++;
    this.interval.rxfw++;
    this.counters.rxpk++;
    this.push({
      rxpk: [
        {
          time: new Date(rx.endMs).toISOString(),
          tmst: this.tmstAt(rx.endMs),
          chan: 0,
          rfch: 0,
          stat: crc,
          freq: mhz(rx.freqHz),
          modu: 'LORA',
          datr: loraDatr(rx.sf, rx.bandwidthHz),
          codr: '4/5',
          rssi: Math.round(rx.rssiDbm),
          lsnr: Math.round(rx.snrDb * 10) / 10,
          size: rx.phy.length,
          data: Buffer.from(rx.phy).toString('base64'),
        },
      ],
    });
  }

  private sendStat(): void {
    const i = this.interval;
    const p = this.o.position;
    this.counters.stat++;
    // PROTOCOL.TXT: time "2014-01-12 08:59:28 GMT", ackr = % of upstream datagrams acknowledged
    const time = new Date(this.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
    const stat: Stat = { time, ...(p ? { lati: p.lat, long: p.lng, alti: Math.round(p.altM) } : {}), rxnb: i.rxnb, rxok: i.rxok, rxfw: i.rxfw, ackr: i.ackSent ? Math.round((1000 * i.ackOk) / i.ackSent) / 10 : 100, dwnb: i.dwnb, txnb: i.txnb };
    this.interval = { rxnb: 0, rxok: 0, rxfw: 0, ackOk: 0, ackSent: 0, dwnb: 0, txnb: 0 };
    this.push({ stat });
  }

  private drop(reason: string): void {
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + 1;
  }

  private onDatagram(msg: Buffer): void {
    const r = decodeGwmp(msg);
    if (!r.ok) return this.drop(r.error.reason);
    const p = r.packet;
    switch (p.type) {
      case 'PUSH_ACK':
      case 'PULL_ACK': {
        const a = this.awaiting.get(p.token);
        if (!a || a.type !== p.type) return this.drop('unknown-token');
        this.awaiting.delete(p.token);
        if (p.type === 'PUSH_ACK') {
          this.counters.pushAck++;
          this.interval.ackOk++;
        } else this.counters.pullAck++;
        return;
      }
      case 'PULL_RESP':
        this.counters.pullResp++;
        this.interval.dwnb++;
        return this.onTxpk(p.token, p.payload.txpk);
      default:
        return this.drop('unexpected-identifier');
    }
  }

  private ack(token: number, error: TxAckError): void {
    this.counters.txAck[error] = (this.counters.txAck[error] ?? 0) + 1;
    this.send(encodeGwmp({ type: 'TX_ACK', token, gatewayEui: this.o.gatewayEui, payload: error === 'NONE' ? null : { txpk_ack: { error } } }));
  }

  private onTxpk(token: number, txpk: Txpk): void {
    const dr = typeof txpk.datr === 'string' ? parseLoraDatr(txpk.datr) : null;
    if (txpk.modu !== 'LORA' || !dr) return this.ack(token, 'TX_FREQ');
    const now = this.now();
    const atMs = txpk.imme ? now : this.wallOfTmst(txpk.tmst!);
    if (atMs < now) return this.ack(token, 'TOO_LATE');
    if (atMs - now > MAX_ADVANCE_MS) return this.ack(token, 'TOO_EARLY');
    const phy = new Uint8Array(Buffer.from(txpk.data, 'base64'));
    const crc = txpk.ncrc !== true;
    const airtime = timeOnAir({ sf: dr.sf, bandwidthHz: dr.bandwidthHz, codingRate: 1, payloadBytes: phy.length, crc, preambleSymbols: txpk.prea ?? 8 }).timeOnAirMs;
    const endMs = atMs + airtime;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].endMs < now) this.queue.splice(i, 1);
    if (this.queue.some((q) => q.startMs < endMs && atMs < q.endMs)) return this.ack(token, 'COLLISION_PACKET');
    this.queue.push({ startMs: atMs, endMs });
    this.ack(token, 'NONE');
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.interval.txnb++;
      this.o.transmit({ phy, freqHz: hz(txpk.freq), sf: dr.sf, bandwidthHz: dr.bandwidthHz, powerDbm: txpk.powe ?? 14, invertedIq: txpk.ipol === true, crc, atMs });
    }, Math.max(0, atMs - now));
    this.timers.add(t);
  }

  /** Send raw bytes to the server (tests: malformed datagrams). */
  sendRaw(b: Uint8Array): void {
    this.socket?.send(b, this.o.server.port, this.o.server.host);
  }

  async stop(): Promise<void> {
    for (const i of this.intervals) clearInterval(i);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const s = this.socket;
    this.socket = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
