/**
 * A LoRaWAN 1.0.x class A end device as a pure state machine: OTAA join (join request → join accept
 * through a hotspot downlink in RX1/RX2 after JoinAcceptDelay1/2) or ABP; 32-bit frame counters;
 * confirmed and unconfirmed uplinks with real MIC and encryption (shared lorawan code); Cayenne LPP
 * payloads (temperature, humidity, battery voltage); an interval with uniform jitter; a data rate from the
 * regional plan; the EU868 duty cycle (RP002 / ETSI EN 300 220, shared `DutyCycleTracker`). Class A: a
 * downlink is only received in the RX1/RX2 windows that follow an uplink (radio.md §2.2).
 */
import { buildDataUp, buildJoinRequest, parseJoinAccept, deriveSessionKeys, parseFrame, encodeLpp } from '@hexium/shared/lorawan/index';
import { DutyCycleTracker, EU868_SUB_BANDS, type RegionalPlan } from '@hexium/shared/region/index';
import type { Rng } from '@hexium/shared/random/rng';
import type { SensorSpec } from '../scenario/materialize.ts';
import type { LoraTx } from './lora-tx.ts';

/** Join retry when no accept came: 20–40 s, then the normal schedule (LoRaWAN leaves back-off to the device). */
const JOIN_RETRY_MS = [20_000, 40_000] as const;

/** A materialized sensor (identity, keys, ABP session — also filled after an OTAA join) plus its run settings. */
export interface SensorConfig extends SensorSpec {
  nodeId: number;
  plan: RegionalPlan;
  eirpDbm: number;
  intervalS: number;
  jitter: number;
  confirmedShare: number;
}

export interface SensorTx extends LoraTx {
  kind: 'join' | 'up';
  airtimeMs: number;
  confirmed: boolean;
}

export interface RxWindowSpec {
  openMs: number;
  freqHz: number;
  sf: number;
  bandwidthHz: number;
}

export interface SensorSink {
  transmit(s: SensorFirmware, tx: SensorTx): void;
  schedule(s: SensorFirmware, atMs: number, fn: (nowMs: number) => void): void;
  listen(s: SensorFirmware, w: RxWindowSpec): void;
  airtimeMs(sf: number, bandwidthHz: number, bytes: number, crc: boolean): number;
}

export class SensorFirmware {
  joined: boolean;
  devAddr: string;
  nwkSKey: string;
  appSKey: string;
  fCntUp = 0;
  private devNonce = 0;
  private awaiting: 'join' | 'ack' | null = null;
  private readonly dc = new DutyCycleTracker(EU868_SUB_BANDS);
  /**
   * The channels this sensor's data rate may use (RP002-1.0.x: in US915 DR0–3 only on the 125 kHz
   * channels, DR4 only on the 500 kHz channel 65; AU915 likewise with DR6); fixed for the sensor's life.
   */
  private readonly upChannels: readonly number[];
  private readonly joinChannels: readonly number[];
  private temperatureC: number;
  private batteryV = 3.6;
  readonly counters = { uplinks: 0, confirmed: 0, acks: 0, joinRequests: 0, joins: 0, dutyCycleDeferrals: 0 };

  constructor(
    readonly cfg: SensorConfig,
    readonly rng: Rng,
    private readonly sink: SensorSink,
  ) {
    this.joined = !cfg.otaa;
    this.devAddr = cfg.devAddr;
    this.nwkSKey = cfg.nwkSKey;
    this.appSKey = cfg.appSKey;
    this.temperatureC = 15 + rng.normal(0, 5);
    this.upChannels = cfg.plan.uplinkChannelsFor(cfg.dr);
    this.joinChannels = cfg.plan.uplinkChannelsFor(cfg.dr, cfg.plan.name === 'EU868');
  }

  start(nowMs: number): void {
    const first = nowMs + this.rng.int(0, Math.round(this.cfg.intervalS * 1000));
    this.sink.schedule(this, first, (t) => (this.joined ? this.uplink(t) : this.join(t)));
  }

  private dr() {
    const d = this.cfg.plan.dataRates[this.cfg.dr];
    if (!d || d.modulation !== 'LORA') throw new RangeError(`DR${this.cfg.dr} is not a LoRa data rate in ${this.cfg.plan.name}`);
    return d;
  }

  /** Pick a channel and respect the duty cycle; returns null (and reschedules) when none is free. */
  private channel(nowMs: number, channels: readonly number[], retry: (t: number) => void): number | null {
    const freq = channels[this.rng.int(0, channels.length - 1)];
    if (this.cfg.plan.dutyCycle && !this.dc.canTransmit(freq, nowMs)) {
      this.counters.dutyCycleDeferrals++;
      this.sink.schedule(this, Math.max(nowMs + 1, this.dc.nextFreeMs(freq)), retry);
      return null;
    }
    return freq;
  }

  join(nowMs: number): void {
    const freq = this.channel(nowMs, this.joinChannels, (t) => this.join(t));
    if (freq === null) return;
    const phy = buildJoinRequest({ joinEui: this.cfg.joinEui, devEui: this.cfg.devEui, devNonce: this.devNonce++ & 0xffff, appKey: this.cfg.appKey });
    this.counters.joinRequests++;
    this.send('join', phy, freq, nowMs, false, this.cfg.plan.delays.joinAcceptDelay1Ms, this.cfg.plan.delays.joinAcceptDelay2Ms);
    this.awaiting = 'join';
    const retryAt = nowMs + this.rng.int(JOIN_RETRY_MS[0], JOIN_RETRY_MS[1]);
    this.sink.schedule(this, retryAt, (t) => {
      if (!this.joined) this.join(t);
    });
  }

  uplink(nowMs: number): void {
    const freq = this.channel(nowMs, this.upChannels, (t) => this.uplink(t));
    if (freq === null) return;
    this.temperatureC += this.rng.normal(0, 0.3);
    this.batteryV = Math.max(2.8, this.batteryV - 0.0005);
    const payload = encodeLpp([
      { channel: 1, type: 'temperature', value: Math.round(this.temperatureC * 10) / 10 },
      { channel: 2, type: 'humidity', value: Math.round(Math.min(100, Math.max(0, 55 + this.rng.normal(0, 10))) * 2) / 2 },
      { channel: 3, type: 'analogInput', value: Math.round(this.batteryV * 100) / 100 },
    ]);
    const confirmed = this.rng.next() < this.cfg.confirmedShare;
    const phy = buildDataUp({ devAddr: this.devAddr, fCnt: this.fCntUp++, confirmed, fPort: 1, payload, nwkSKey: this.nwkSKey, appSKey: this.appSKey });
    this.counters.uplinks++;
    if (confirmed) this.counters.confirmed++;
    this.awaiting = confirmed ? 'ack' : null;
    this.send('up', phy, freq, nowMs, confirmed, this.cfg.plan.delays.rx1DelayMs, this.cfg.plan.delays.rx2DelayMs);
    const jitter = 1 + (this.rng.next() * 2 - 1) * this.cfg.jitter;
    this.sink.schedule(this, nowMs + this.cfg.intervalS * 1000 * jitter, (t) => (this.joined ? this.uplink(t) : this.join(t)));
  }

  private send(kind: 'join' | 'up', phy: Uint8Array, freqHz: number, nowMs: number, confirmed: boolean, rx1Ms: number, rx2Ms: number): void {
    const d = this.dr() as { sf: number; bandwidthHz: number };
    const airtimeMs = this.sink.airtimeMs(d.sf, d.bandwidthHz, phy.length, true);
    if (this.cfg.plan.dutyCycle) this.dc.record(freqHz, airtimeMs, nowMs);
    this.sink.transmit(this, { kind, phy, freqHz, sf: d.sf, bandwidthHz: d.bandwidthHz, eirpDbm: this.cfg.eirpDbm, atMs: nowMs, airtimeMs, confirmed });
    const end = nowMs + airtimeMs;
    const rx1 = this.cfg.plan.rx1(freqHz, this.cfg.dr, 0);
    const rx1Dr = this.cfg.plan.dataRates[rx1.dr] as { sf: number; bandwidthHz: number };
    const rx2Dr = this.cfg.plan.dataRates[this.cfg.plan.rx2.dr] as { sf: number; bandwidthHz: number };
    this.sink.listen(this, { openMs: end + rx1Ms, freqHz: rx1.freqHz, sf: rx1Dr.sf, bandwidthHz: rx1Dr.bandwidthHz });
    this.sink.listen(this, { openMs: end + rx2Ms, freqHz: this.cfg.plan.rx2.freqHz, sf: rx2Dr.sf, bandwidthHz: rx2Dr.bandwidthHz });
  }

  /** A downlink decoded in one of the receive windows. Returns what it was, for the event log. */
  onDownlink(phy: Uint8Array): 'join-accept' | 'ack' | 'data' | 'ignored' {
    if (this.awaiting === 'join' && (phy[0] >>> 5) === 1) {
      try {
        const ja = parseJoinAccept(phy, this.cfg.appKey);
        if (!ja.micValid) return 'ignored';
        const keys = deriveSessionKeys({ appKey: this.cfg.appKey, netId: ja.netId, joinNonce: ja.joinNonce, devNonce: (this.devNonce - 1) & 0xffff });
        this.devAddr = ja.devAddr;
        this.nwkSKey = keys.nwkSKey;
        this.appSKey = keys.appSKey;
        this.joined = true;
        this.fCntUp = 0;
        this.awaiting = null;
        this.counters.joins++;
        return 'join-accept';
      } catch {
        return 'ignored';
      }
    }
    if (!this.joined) return 'ignored';
    try {
      const f = parseFrame(phy, { nwkSKey: this.nwkSKey, appSKey: this.appSKey });
      if (f.dir !== 'down' || f.devAddr !== this.devAddr || f.micValid === false) return 'ignored';
      if (f.ack && this.awaiting === 'ack') {
        this.awaiting = null;
        this.counters.acks++;
        return 'ack';
      }
      return 'data';
    } catch {
      return 'ignored';
    }
  }
}
