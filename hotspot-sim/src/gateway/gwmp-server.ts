/**
 * The server side of GWMP v2 over UDP (what `gateway-rs` or the ChirpStack Gateway Bridge is to a Semtech
 * packet forwarder; ../shared/specs/radio.md §5.1b): answers PUSH_DATA with PUSH_ACK and PULL_DATA with
 * PULL_ACK, remembers the address of the last PULL_DATA (the only way back to the forwarder, through its
 * NAT), sends PULL_RESP there and matches the TX_ACK by token. Every refused datagram is counted by
 * reason and dropped; nothing a peer sends can throw.
 */
import dgram from 'node:dgram';
import { decodeGwmp, encodeGwmp, txAckError, type Rxpk, type Stat, type Txpk, type TxAckError } from './gwmp.ts';

/** Reasons the server drops a datagram: the decoder's, plus a TX_ACK for no PULL_RESP of ours and a server→gateway type. */
export type ServerDropReason = 'bad-json' | 'bad-payload' | 'truncated' | 'unknown-identifier' | 'wrong-version' | 'unknown-token' | 'unexpected-identifier';

export interface GwmpServerHandlers {
  rx(rxpk: Rxpk, gatewayEui: string): void;
  stat(stat: Stat, gatewayEui: string): void;
  txAck(error: TxAckError, token: number, txpk: Txpk): void;
  /** A dropped datagram (for the log). */
  dropped(reason: ServerDropReason, message: string): void;
}

export interface GwmpServerCounters {
  pushData: number;
  pullData: number;
  rxpk: number;
  stat: number;
  pullResp: number;
  /** PULL_RESP not sent: no PULL_DATA seen yet, so no address to send to. */
  noDownlinkPath: number;
  txAck: Record<string, number>;
  dropped: Record<string, number>;
}

/** How long a PULL_RESP token waits for its TX_ACK before it is forgotten. */
const TX_ACK_WAIT_MS = 30_000;

export class GwmpServer {
  private socket: dgram.Socket | null = null;
  private downlinkPath: { address: string; port: number } | null = null;
  private nextToken = 1;
  private readonly pending = new Map<number, { txpk: Txpk; expires: number }>();
  gatewayEui: string | null = null;
  readonly counters: GwmpServerCounters = { pushData: 0, pullData: 0, rxpk: 0, stat: 0, pullResp: 0, noDownlinkPath: 0, txAck: {}, dropped: {} };

  constructor(private readonly handlers: GwmpServerHandlers) {}

  /** Bind the UDP socket; resolves to the bound address (port 0 picks a free one). */
  async listen(host: string, port: number): Promise<{ address: string; port: number }> {
    const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    s.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    s.on('error', (e) => this.handlers.dropped('truncated', `socket error: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
    this.socket = s;
    const a = s.address();
    return { address: a.address, port: a.port };
  }

  get hasDownlinkPath(): boolean {
    return this.downlinkPath !== null;
  }

  /** Send one txpk as PULL_RESP to the forwarder; false when no PULL_DATA has been seen yet. */
  send(txpk: Txpk): boolean {
    if (!this.socket || !this.downlinkPath) {
      this.counters.noDownlinkPath++;
      return false;
    }
    const token = this.nextToken;
    this.nextToken = (this.nextToken % 0xffff) + 1;
    const now = Date.now();
    for (const [t, p] of this.pending) if (p.expires < now) this.pending.delete(t);
    this.pending.set(token, { txpk, expires: now + TX_ACK_WAIT_MS });
    this.counters.pullResp++;
    this.socket.send(encodeGwmp({ type: 'PULL_RESP', token, payload: { txpk } }), this.downlinkPath.port, this.downlinkPath.address);
    return true;
  }

  private drop(reason: ServerDropReason, message: string): void {
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + 1;
    this.handlers.dropped(reason, message);
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const r = decodeGwmp(msg);
    if (!r.ok) return this.drop(r.error.reason, r.error.message);
    const p = r.packet;
    const reply = (b: Buffer) => this.socket?.send(b, rinfo.port, rinfo.address);
    switch (p.type) {
      case 'PUSH_DATA': {
        this.counters.pushData++;
        this.gatewayEui = p.gatewayEui;
        reply(encodeGwmp({ type: 'PUSH_ACK', token: p.token }));
        for (const rx of p.payload.rxpk ?? []) {
          this.counters.rxpk++;
          this.handlers.rx(rx, p.gatewayEui);
        }
        if (p.payload.stat) {
          this.counters.stat++;
          this.handlers.stat(p.payload.stat, p.gatewayEui);
        }
        return;
      }
      case 'PULL_DATA':
        this.counters.pullData++;
        this.gatewayEui = p.gatewayEui;
        this.downlinkPath = { address: rinfo.address, port: rinfo.port };
        reply(encodeGwmp({ type: 'PULL_ACK', token: p.token }));
        return;
      case 'TX_ACK': {
        const sent = this.pending.get(p.token);
        if (!sent) return this.drop('unknown-token', `TX_ACK token ${p.token} matches no PULL_RESP`);
        this.pending.delete(p.token);
        const error = txAckError(p);
        this.counters.txAck[error] = (this.counters.txAck[error] ?? 0) + 1;
        this.handlers.txAck(error, p.token, sent.txpk);
        return;
      }
      default:
        return this.drop('unexpected-identifier', `${p.type} is sent by a server, not to one`);
    }
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
