/**
 * The hotspot firmware on a real radio: {@link HotspotFirmware} (the state machine the simulator runs)
 * with its radio port swapped for a {@link GwmpServer} that a Semtech packet forwarder connects to, and
 * its network port the simulator's {@link MqttPort} (per-hotspot connections, a fresh signed connect token
 * on every (re)connect). Time is the wall clock.
 *
 * Radio in (rxpk): CRC failed or absent (`stat` ≠ 1) → dropped and counted (gateway-rs `src/packet.rs`
 * drops them too); a Helium beacon (shared `isPotentialBeacon`) → witnessed by the firmware; a LoRaWAN
 * frame → an `up` report; RSSI, SNR, frequency, data rate and `tmst` are carried over.
 * Radio out (txpk, PULL_RESP to the last PULL_DATA address): beacons `imme: true`, `ipol: false`, CRC on
 * (gateway-rs `beacon_to_pull_resp`, radio.md §2.6); downlinks at the `tmst` of their RX1/RX2 time,
 * `ipol: true`, no CRC (LoRaWAN downlinks, radio.md §1.2). TX_ACK errors are counted per error and logged.
 * Forwarder `stat` → a hotspot `stats` message with the forwarder's running totals.
 */
import { randomBytes } from 'node:crypto';
import { timeOnAir } from '@hexium/shared/radio/index';
import { createRng } from '@hexium/shared/random/rng';
import { isPotentialBeacon } from '@hexium/shared/lorawan/index';
import type { KeyPair } from '@hexium/shared/identity/index';
import type { RegionParam } from '@hexium/shared/params/index';
import type { Topics, Entropy, ChallengeCommand, DownlinkFrame } from '@hexium/shared/protocol/index';
import { HotspotFirmware, type HotspotSink, type RadioTx } from '../core/firmware/hotspot.ts';
import type { HotspotSpec } from '../core/scenario/materialize.ts';
import { decodeInboxMessage, type InboxItem, type MqttPort } from '../runner/mqtt-port.ts';
import { GwmpServer, type ServerDropReason } from './gwmp-server.ts';
import { hz, mhz, loraDatr, parseLoraDatr, type Rxpk, type Stat, type Txpk, type TxAckError } from './gwmp.ts';

/** LoRaWAN preamble: 8 programmed symbols (radio.md §1.1, LoRaMac-node). */
export const LORAWAN_PREAMBLE_SYMBOLS = 8;
/** Re-anchor the tmst ↔ wall-clock mapping when a reception lands this far from where it predicts. */
const TMST_REANCHOR_MS = 1000;

/** What the oracle knows about the hotspot (GET /api/v1/hotspots/:address and /params). */
export interface GatewayHotspot {
  lat: number;
  lng: number;
  location: string;
  gainDbi: number;
  elevationM: number;
  region: string;
  regionParams: readonly RegionParam[];
  beaconIntervalS: number;
}

export interface GatewayCounters {
  /** rxpk with stat −1 (CRC failed) or 0 (no CRC): dropped. */
  rxCrcDropped: number;
  /** rxpk that are not LoRa (FSK): dropped. */
  rxNotLora: number;
  rxBeacons: number;
  rxFrames: number;
  txBeacons: number;
  txDownlinks: number;
  statsPublished: number;
}

export type GatewayLog = (event: Record<string, unknown>) => void;

export class GatewayBridge {
  readonly firmware: HotspotFirmware;
  readonly server: GwmpServer;
  readonly spec: HotspotSpec;
  readonly counters: GatewayCounters = { rxCrcDropped: 0, rxNotLora: 0, rxBeacons: 0, rxFrames: 0, txBeacons: 0, txDownlinks: 0, statsPublished: 0 };
  /** Running totals of the forwarder's `stat` reports (each covers one stat interval). */
  readonly forwarderTotals = { rxnb: 0, rxok: 0, rxfw: 0, dwnb: 0, txnb: 0 };
  lastStat: Stat | null = null;
  private anchor: { wallMs: number; tmst: number } | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    readonly index: number,
    readonly key: KeyPair,
    readonly hotspot: GatewayHotspot,
    private readonly port: MqttPort,
    private readonly log: GatewayLog,
    private readonly now: () => number = Date.now,
  ) {
    this.spec = {
      index, key, lat: hotspot.lat, lng: hotspot.lng, location: hotspot.location, assertedLat: hotspot.lat, assertedLng: hotspot.lng,
      gainDbi: hotspot.gainDbi, elevationM: hotspot.elevationM, fullHotspot: true, role: { kind: 'honest' },
    };
    this.firmware = new HotspotFirmware(
      {
        index, address: key.address, gainDbi: hotspot.gainDbi, lat: hotspot.lat, lng: hotspot.lng, elevationM: hotspot.elevationM,
        regionParams: hotspot.regionParams, region: hotspot.region, beaconIntervalS: hotspot.beaconIntervalS,
        // stats come from the forwarder's `stat` (onStat), not from a firmware timer
        statsIntervalS: 0,
        role: { kind: 'honest' },
      },
      // a real hotspot draws its beacon times and local entropy from a real random source
      createRng(randomBytes(4).readUInt32BE(0)),
      this.sink(),
    );
    this.server = new GwmpServer({
      rx: (rx) => this.onRx(rx),
      stat: (s) => this.onStat(s),
      txAck: (error, token, txpk) => this.onTxAck(error, token, txpk),
      dropped: (reason: ServerDropReason, message) => this.log({ ev: 'udp-drop', hotspot: key.address, reason, message }),
    });
  }

  private sink(): HotspotSink {
    return {
      transmitsAhead: true,
      publish: (_h, kind, message) => this.port.publish(this.spec, kind, message),
      transmit: (_h, tx) => this.transmit(tx),
      schedule: (_h, atMs, fn) => {
        if (this.stopped) return;
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!this.stopped) fn(this.now());
        }, Math.max(0, atMs - this.now()));
        this.timers.add(t);
      },
      connect: () => this.port.connect(this.spec),
      disconnect: () => this.port.disconnect(this.spec),
      airtimeMs: (sf, bandwidthHz, bytes, crc) => timeOnAir({ sf, bandwidthHz, codingRate: 1, payloadBytes: bytes, crc }).timeOnAirMs,
    };
  }

  // --- network in ---------------------------------------------------------------------------------

  onConnected(): void {
    this.log({ ev: 'mqtt-connected', hotspot: this.key.address });
    this.firmware.onConnected(this.now());
  }

  onDisconnected(): void {
    this.log({ ev: 'mqtt-disconnected', hotspot: this.key.address });
    this.firmware.onDisconnected(this.now());
  }

  onEntropy(msg: Entropy): void {
    this.firmware.onEntropy(msg, this.now());
  }

  onCommand(command: 'down' | 'challenge', msg: unknown): void {
    if (command === 'challenge') {
      this.log({ ev: 'challenge', hotspot: this.key.address });
      this.firmware.onChallenge(msg as ChallengeCommand, this.now());
    } else this.firmware.onDownlink(msg as DownlinkFrame, this.now());
  }

  // --- radio in -----------------------------------------------------------------------------------

  /** Wall-clock ms of a concentrator timestamp, re-anchored at this reception when the mapping drifted. */
  private wallOfTmst(tmst: number): number {
    const now = this.now();
    if (this.anchor) {
      // signed 32-bit difference: correct across the counter's wrap and for slightly older packets
      const at = this.anchor.wallMs + ((tmst - this.anchor.tmst) | 0) / 1000;
      if (Math.abs(at - now) <= TMST_REANCHOR_MS) return at;
    }
    this.anchor = { wallMs: now, tmst };
    return now;
  }

  private tmstOfWall(atMs: number): number {
    const a = this.anchor ?? { wallMs: this.now(), tmst: 0 };
    return (a.tmst + Math.round((atMs - a.wallMs) * 1000)) >>> 0;
  }

  private onRx(rx: Rxpk): void {
    if (rx.stat !== 1) {
      this.counters.rxCrcDropped++;
      this.firmware.counters.rxPacketsReceived++;
      return;
    }
    const dr = typeof rx.datr === 'string' ? parseLoraDatr(rx.datr) : null;
    if (rx.modu !== 'LORA' || !dr) {
      this.counters.rxNotLora++;
      return;
    }
    const phy = new Uint8Array(Buffer.from(rx.data, 'base64'));
    const endMs = this.wallOfTmst(rx.tmst);
    if (isPotentialBeacon(phy)) this.counters.rxBeacons++;
    else this.counters.rxFrames++;
    this.firmware.onRadioRx({ phy, freqHz: hz(rx.freq), sf: dr.sf, bandwidthHz: dr.bandwidthHz, rssiDbm: rx.rssi, snrDb: rx.lsnr ?? 0, endMs, tmst: rx.tmst });
  }

  private onStat(s: Stat): void {
    this.lastStat = s;
    const t = this.forwarderTotals;
    const add = (k: keyof typeof t, v: unknown) => {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) t[k] = Math.min(0xffffffff, t[k] + v);
    };
    add('rxnb', s.rxnb);
    add('rxok', s.rxok);
    add('rxfw', s.rxfw);
    add('dwnb', s.dwnb);
    add('txnb', s.txnb);
    this.log({ ev: 'stat', hotspot: this.key.address, ...s });
    if (this.firmware.state !== 'online') return;
    this.counters.statsPublished++;
    this.port.publish(this.spec, 'stats', {
      v: 1,
      hotspot: this.key.address,
      timeMs: this.now(),
      rxPacketsReceived: t.rxnb,
      rxPacketsReceivedOk: t.rxok,
      txPacketsReceived: t.dwnb,
      txPacketsEmitted: t.txnb,
      beaconsSent: Math.min(0xffffffff, this.firmware.counters.beaconsSent),
      witnessesSent: Math.min(0xffffffff, this.firmware.counters.witnessesSent),
    });
  }

  private onTxAck(error: TxAckError, token: number, txpk: Txpk): void {
    if (error === 'NONE') return;
    this.log({ ev: 'tx-ack-error', hotspot: this.key.address, error, token, freq: txpk.freq, tmst: txpk.tmst, imme: txpk.imme ?? false });
  }

  // --- radio out ----------------------------------------------------------------------------------

  /** The txpk of one firmware transmission (a beacon now, a downlink at its RX1/RX2 time). */
  txpkOf(tx: RadioTx): Txpk {
    const beacon = tx.kind === 'beacon';
    const timing: Pick<Txpk, 'imme' | 'tmst'> = beacon ? { imme: true } : { tmst: this.tmstOfWall(tx.atMs) };
    return {
      ...timing,
      freq: mhz(tx.freqHz),
      rfch: 0,
      // conducted power = EIRP − antenna gain, truncated to a whole dBm (gateway-rs `beacon_to_pull_resp`)
      powe: Math.floor(tx.eirpDbm - this.hotspot.gainDbi + 1e-9),
      modu: 'LORA',
      datr: loraDatr(tx.sf, tx.bandwidthHz),
      codr: '4/5',
      ipol: !beacon,
      prea: LORAWAN_PREAMBLE_SYMBOLS,
      size: tx.phy.length,
      data: Buffer.from(tx.phy).toString('base64'),
      ncrc: !beacon,
    };
  }

  private transmit(tx: RadioTx): void {
    if (tx.kind === 'beacon') this.counters.txBeacons++;
    else this.counters.txDownlinks++;
    const txpk = this.txpkOf(tx);
    const sent = this.server.send(txpk);
    this.log({ ev: tx.kind === 'beacon' ? 'tx-beacon' : 'tx-downlink', hotspot: this.key.address, sent, freq: txpk.freq, datr: txpk.datr, tmst: txpk.tmst, imme: txpk.imme ?? false });
  }

  async listen(host: string, port: number): Promise<{ address: string; port: number }> {
    return this.server.listen(host, port);
  }

  start(): void {
    this.firmware.start(this.now());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.server.close();
  }
}

/** Route MQTT inbox items of a {@link MqttPort} to the bridges (by index). */
export function routeInbox(bridges: () => GatewayBridge[], t: Topics) {
  return (item: InboxItem): void => {
    const list = bridges();
    if (item.index === null) return;
    const b = list[item.index];
    if (!b) return;
    if (item.kind === 'connected') return b.onConnected();
    if (item.kind === 'disconnected') return b.onDisconnected();
    const d = decodeInboxMessage(item, t);
    if (!d) return;
    const { topic: p, msg } = d;
    if (p.kind === 'entropy') b.onEntropy(msg as Entropy);
    else if (p.kind === 'hotspot-command' && p.address === b.key.address) b.onCommand(p.command as 'down' | 'challenge', msg);
  };
}
