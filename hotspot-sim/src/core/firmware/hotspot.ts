/**
 * Hotspot firmware as a pure state machine (after helium/gateway-rs): events in (connected, entropy,
 * timers, radio receptions, commands), actions out through a {@link HotspotSink} (publish, transmit,
 * schedule, connect). It never reads a clock or draws unseeded randomness: `now` and the RNG are given.
 *
 * - beacons once per beacon window at a random second (beacon-schedule.ts), at once on a challenge;
 *   beacon built with shared `buildBeacon`, sent as a proprietary frame at max EIRP (gateway-rs
 *   `beacon_to_pull_resp`: conducted power = trunc(EIRP − gain), radio.md §2.6);
 * - witnesses every potential beacon it decodes that is not in its cache of the last 15 payloads
 *   (gateway-rs `MessageCache::new(15)`; its own beacons are put in the cache);
 * - forwards LoRaWAN uplinks as ChirpStack-v4-style `UplinkFrame` with radio metadata (radio.md §5.1);
 * - transmits downlinks in RX1, else RX2, within the EU868 duty cycle, and acks them (`DownlinkTxAck`);
 * - publishes stats periodically, reconnects with exponential backoff.
 * Adversarial behaviour is switched by `role` (adversaries.ts).
 */
import { buildBeacon } from '@hexium/shared/poc/beacon';
import { buildProprietary, isPotentialBeacon } from '@hexium/shared/lorawan/index';
import { DutyCycleTracker, EU868_SUB_BANDS, subBandOf } from '@hexium/shared/region/index';
import type { RegionParam } from '@hexium/shared/params/index';
import type { Rng } from '@hexium/shared/random/rng';
import { reportedSignal } from '@hexium/shared/radio/reported-signal';
import type { Entropy, DownlinkFrame, ChallengeCommand } from '@hexium/shared/protocol/index';
import { nextBeaconTimeS } from './beacon-schedule.ts';
import type { LoraTx } from './lora-tx.ts';
import type { HotspotRole } from '../adversaries.ts';


/** Seconds at the end of a beacon window never drawn as a beacon time (see planBeacon). */
const BEACON_GUARD_S = 5;

export const WITNESS_CACHE_SIZE = 15; // gateway-rs MessageCache::new(15)
/** Reconnect backoff: 1 s doubling up to 60 s, plus up to 1 s of jitter. */
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 60_000;
/** Processing delay between the end of a reception/transmission and the report leaving the hotspot. */
const REPORT_DELAY_MS = [20, 200] as const;

export type PublishKind = 'beacon' | 'witness' | 'up' | 'ack' | 'stats' | 'state';

export interface RadioTx extends LoraTx {
  kind: 'beacon' | 'downlink';
  /** Beacon metadata for the world's bookkeeping. */
  dataHex?: string;
}

export interface RadioRx {
  phy: Uint8Array;
  freqHz: number;
  sf: number;
  bandwidthHz: number;
  rssiDbm: number;
  snrDb: number;
  endMs: number;
  /** Concentrator counter (µs, 32 bit) at the end of the reception, when a real radio gives one. */
  tmst?: number;
}

export interface HotspotSink {
  publish(h: HotspotFirmware, kind: PublishKind, message: Record<string, unknown>, atMs: number): void;
  transmit(h: HotspotFirmware, tx: RadioTx): void;
  schedule(h: HotspotFirmware, atMs: number, fn: (nowMs: number) => void): void;
  connect(h: HotspotFirmware): void;
  disconnect(h: HotspotFirmware): void;
  /** Airtime (ms) of a frame, from the shared formula. */
  airtimeMs(sf: number, bandwidthHz: number, bytes: number, crc: boolean): number;
  /** A beacon was skipped because its EU868 sub-band was in its duty-cycle off-time (for counting). */
  beaconSkipped?(h: HotspotFirmware, freqHz: number, atMs: number): void;
  /**
   * A real radio must get a timed transmission before its time (the packet forwarder queues it by
   * `tmst`): when true, downlinks are handed over at once with their future `atMs`. The simulated medium
   * leaves it unset and gets each transmission at its time.
   */
  readonly transmitsAhead?: boolean;
}

export interface HotspotConfig {
  index: number;
  address: string;
  gainDbi: number;
  lat: number;
  lng: number;
  elevationM: number;
  regionParams: readonly RegionParam[];
  region: string;
  beaconIntervalS: number;
  statsIntervalS: number;
  role: HotspotRole;
}

export type ConnState = 'offline' | 'connecting' | 'online';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export class HotspotFirmware {
  state: ConnState = 'offline';
  entropy: Entropy | null = null;
  private beaconAtS: number | null = null;
  private beaconGen = 0;
  private cache: string[] = [];
  private backoff = 0;
  private uplinkSeq = 0;
  /** Down in an outage (flaky/offline adversary): no radio, no MQTT. */
  down = false;
  readonly dc = new DutyCycleTracker(EU868_SUB_BANDS);
  /**
   * Beacons not sent because the EU868 sub-band was still in its duty-cycle off-time (kept apart from
   * `counters`, which is published as `HotspotStats` and has a fixed schema).
   */
  beaconsSkippedDutyCycle = 0;
  readonly counters = { rxPacketsReceived: 0, rxPacketsReceivedOk: 0, txPacketsReceived: 0, txPacketsEmitted: 0, beaconsSent: 0, witnessesSent: 0 };
  /** Witness reports kept for replaying (replayer adversary only). */
  private replayable: Record<string, unknown>[] = [];

  constructor(
    readonly cfg: HotspotConfig,
    readonly rng: Rng,
    private readonly sink: HotspotSink,
  ) {}

  get address(): string {
    return this.cfg.address;
  }

  /** The hotspot's own (possibly skewed) clock. */
  localTime(nowMs: number): number {
    return Math.round(nowMs + (this.cfg.role.kind === 'clock-skew' ? this.cfg.role.skewMs : 0));
  }

  // --- connection ---------------------------------------------------------------------------------

  start(nowMs: number): void {
    if (this.cfg.role.kind === 'offline' && this.cfg.role.pattern === 'always') {
      this.down = true;
      return;
    }
    this.state = 'connecting';
    this.sink.connect(this);
    if (this.cfg.role.kind === 'offline' && this.cfg.role.pattern === 'flaky') this.scheduleOutage(nowMs);
  }

  onConnected(nowMs: number): void {
    if (this.down) return;
    this.state = 'online';
    this.backoff = 0;
    this.sink.publish(this, 'state', { v: 1, hotspot: this.address, state: 'ONLINE', atMs: this.localTime(nowMs) }, nowMs);
    this.planBeacon(nowMs);
    if (this.cfg.statsIntervalS > 0) this.sink.schedule(this, nowMs + this.cfg.statsIntervalS * 1000, (t) => this.onStatsTimer(t));
  }

  onDisconnected(nowMs: number): void {
    if (this.state === 'offline') return;
    this.state = 'offline';
    this.beaconGen++;
    if (this.down) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.backoff++) + this.rng.int(0, 999);
    this.sink.schedule(this, nowMs + delay, (t) => {
      if (this.state === 'offline' && !this.down) {
        this.state = 'connecting';
        this.sink.connect(this);
      }
      void t;
    });
  }

  private scheduleOutage(nowMs: number): void {
    const role = this.cfg.role;
    if (role.kind !== 'offline') return;
    const periodMs = role.periodS * 1000;
    const upMs = periodMs * role.uptime;
    // up for uptime·period, down for the rest, with a random phase
    this.sink.schedule(this, nowMs + this.rng.int(0, Math.max(0, Math.round(upMs))), (t) => {
      this.down = true;
      if (this.state !== 'offline') {
        this.sink.disconnect(this);
        this.state = 'offline';
        this.beaconGen++;
      }
      this.sink.schedule(this, t + Math.max(1000, periodMs - upMs), (t2) => {
        this.down = false;
        this.state = 'connecting';
        this.sink.connect(this);
        this.scheduleOutage(t2);
      });
    });
  }

  // --- entropy and beacons --------------------------------------------------------------------------

  onEntropy(msg: Entropy, nowMs: number): void {
    this.entropy = msg;
    if (this.beaconAtS === null && this.state === 'online') this.planBeacon(nowMs);
  }

  private planBeacon(nowMs: number): void {
    const nowS = Math.floor(this.localTime(nowMs) / 1000);
    // With time-compressed windows (demo: 60 s) a beacon drawn in the last seconds of a window would be
    // received by the oracle in the next one (airtime up to 2.5 s, plus the network) and fail its
    // interval check (spec §(b) beacon #6); leave a guard of 5 s (at most a tenth of the window), 0.02 %
    // of Helium's 6 h window.
    this.beaconAtS = nextBeaconTimeS(nowS, this.beaconAtS, this.cfg.beaconIntervalS, (n) => this.rng.int(0, n - 1), Math.min(BEACON_GUARD_S, Math.floor(this.cfg.beaconIntervalS / 10)));
    const gen = ++this.beaconGen;
    // convert the planned local time back to simulation time
    const atMs = this.beaconAtS * 1000 - (this.localTime(nowMs) - nowMs);
    this.sink.schedule(this, atMs, (t) => {
      if (gen !== this.beaconGen) return;
      this.beacon(t);
      this.planBeacon(t + 1000);
    });
  }

  onChallenge(_cmd: ChallengeCommand, nowMs: number): void {
    this.beacon(nowMs);
  }

  /** Build and transmit one beacon with the current entropy; the report follows the transmission. */
  beacon(nowMs: number): void {
    if (this.state !== 'online' || this.down || !this.entropy) return;
    const local = this.rng.bytes(4);
    const b = buildBeacon({
      remote: { data: Buffer.from(this.entropy.dataHex, 'hex'), timestampS: this.entropy.timestampS, version: this.entropy.version },
      local: { data: local, timestampS: 0, version: 0 },
      regionParams: this.cfg.regionParams,
      gainDbi: this.cfg.gainDbi,
    });
    const dataHex = hex(b.data);
    const sf = Number(/^SF(\d+)/.exec(b.dataRate)![1]);
    const bw = Number(/BW(\d+)$/.exec(b.dataRate)![1]) * 1000;
    const phy = buildProprietary(b.data);
    const airtime = this.sink.airtimeMs(sf, bw, phy.length, true);
    // EU868: a beacon is a transmission like any other and shares the sub-band duty cycle with the
    // downlinks (ETSI EN 300 220-2 §4.3.3 / RP002-1.0.x §2.4: 1 % in 865–868.6 MHz, where the Helium
    // EU868 channels are). A beacon whose sub-band is still in its off-time is skipped, not delayed:
    // a late beacon would fall outside its window (gateway-rs sends a beacon once and does not retry).
    if (this.cfg.region === 'EU868' && subBandOf(b.frequencyHz)) {
      if (!this.dc.canTransmit(b.frequencyHz, nowMs)) {
        this.beaconsSkippedDutyCycle++;
        this.sink.beaconSkipped?.(this, b.frequencyHz, nowMs);
        return;
      }
      this.dc.record(b.frequencyHz, airtime, nowMs);
    }
    this.remember(dataHex);
    const eirp = b.txPowerDbm + this.cfg.gainDbi;
    this.sink.transmit(this, { kind: 'beacon', phy, freqHz: b.frequencyHz, sf, bandwidthHz: bw, eirpDbm: eirp, atMs: nowMs, dataHex });
    this.counters.txPacketsEmitted++;
    this.counters.beaconsSent++;
    const at = nowMs + airtime + this.rng.int(REPORT_DELAY_MS[0], REPORT_DELAY_MS[1]);
    const report = {
      v: 1,
      hotspot: this.address,
      localEntropyHex: hex(local),
      remoteEntropyHex: this.entropy.dataHex,
      dataHex,
      frequencyHz: b.frequencyHz,
      channel: 0,
      dataRate: b.dataRate,
      txPowerDbm: b.txPowerDbm,
      tmst: Math.floor(nowMs * 1000) >>> 0,
      timestampMs: this.localTime(at),
    };
    this.sink.schedule(this, at, (t) => {
      if (this.state === 'online') this.sink.publish(this, 'beacon', report, t);
    });
    // Self-witness adversary: claims to have heard its own beacon, loud and clear.
    if (this.cfg.role.kind === 'self-witness') this.publishWitness(dataHex, -60, 9.5, b.frequencyHz, b.dataRate, nowMs + airtime);
  }

  private remember(key: string): boolean {
    if (this.cache.includes(key)) return false;
    this.cache.push(key);
    if (this.cache.length > WITNESS_CACHE_SIZE) this.cache.shift();
    return true;
  }

  // --- radio ----------------------------------------------------------------------------------------

  onRadioRx(rx: RadioRx): void {
    if (this.down) return;
    this.counters.rxPacketsReceived++;
    this.counters.rxPacketsReceivedOk++;
    if (isPotentialBeacon(rx.phy)) {
      const dataHex = hex(rx.phy.subarray(1));
      if (!this.remember(dataHex)) return; // duplicate or our own
      if (this.cfg.role.kind === 'silent' || this.state !== 'online') return;
      const inflate = this.cfg.role.kind === 'rssi-inflater' ? this.cfg.role.inflateDb : 0;
      this.publishWitness(dataHex, rx.rssiDbm + inflate, rx.snrDb, rx.freqHz, `SF${rx.sf}BW${rx.bandwidthHz / 1000}`, rx.endMs, rx.tmst);
      return;
    }
    if (this.state !== 'online') return;
    this.forwardUplink(rx);
  }

  /** Colluding ring: report a beacon it never heard (no radio involved). */
  fabricateWitness(dataHex: string, rssiDbm: number, freqHz: number, dataRate: string, atMs: number): void {
    if (this.down || this.state !== 'online' || !this.remember(dataHex)) return;
    this.publishWitness(dataHex, rssiDbm, rssiDbm + 117, freqHz, dataRate, atMs);
  }

  /** Publish a witness report. */
  publishWitness(dataHex: string, rssiDbm: number, snrDb: number, freqHz: number, dataRate: string, atMs: number, tmst?: number): void {
    const late = this.cfg.role.kind === 'late-witness' ? this.cfg.role.delayMs : 0;
    const at = atMs + this.rng.int(REPORT_DELAY_MS[0], REPORT_DELAY_MS[1]) + late;
    const report: Record<string, unknown> = {
      v: 1,
      hotspot: this.address,
      dataHex,
      ...reportedSignal(rssiDbm, snrDb),
      frequencyHz: freqHz,
      dataRate,
      tmst: tmst ?? Math.floor(atMs * 1000) >>> 0,
      timestampMs: this.localTime(at),
    };
    this.sink.schedule(this, at, (t) => {
      if (this.state !== 'online') return;
      this.counters.witnessesSent++;
      this.sink.publish(this, 'witness', report, t);
      const role = this.cfg.role;
      if (role.kind === 'replayer') {
        this.replayable.push(report);
        if (this.replayable.length > 4) this.replayable.shift();
        this.sink.schedule(this, t + role.delayS * 1000, (t2) => this.replay(report, t2));
      }
    });
  }

  private replay(report: Record<string, unknown>, nowMs: number): void {
    if (this.state !== 'online') return;
    this.sink.publish(this, 'witness', { ...report, timestampMs: this.localTime(nowMs) }, nowMs);
  }

  private forwardUplink(rx: RadioRx): void {
    // context (echoed back in a downlink): the reception end (ms, float64 BE), then the concentrator's
    // tmst (u32 BE) when a real radio gave one, as ChirpStack's gateway context carries the tmst counter
    const context = Buffer.alloc(rx.tmst === undefined ? 8 : 12);
    context.writeDoubleBE(rx.endMs);
    if (rx.tmst !== undefined) context.writeUInt32BE(rx.tmst >>> 0, 8);
    const signal = reportedSignal(rx.rssiDbm, rx.snrDb);
    const frame = {
      v: 1,
      hotspot: this.address,
      phyPayload: Buffer.from(rx.phy).toString('base64'),
      txInfo: { frequency: rx.freqHz, modulation: { lora: { bandwidth: rx.bandwidthHz, spreadingFactor: rx.sf, codeRate: 'CR_4_5', polarizationInversion: false } } },
      rxInfo: {
        gatewayId: this.address,
        uplinkId: (this.cfg.index * 7919 + ++this.uplinkSeq) >>> 0,
        gwTime: new Date(this.localTime(rx.endMs)).toISOString(),
        rssi: signal.rssiDbm,
        snr: signal.snrDb,
        channel: 0,
        rfChain: 0,
        context: context.toString('base64'),
        crcStatus: 'CRC_OK',
        location: { latitude: this.cfg.lat, longitude: this.cfg.lng, altitude: this.cfg.elevationM },
      },
    };
    const at = rx.endMs + this.rng.int(REPORT_DELAY_MS[0], REPORT_DELAY_MS[0] * 3);
    this.sink.schedule(this, at, (t) => {
      if (this.state === 'online') this.sink.publish(this, 'up', frame, t);
    });
  }

  /** A downlink command: try RX1 then RX2 at their times (context = uplink end), within duty cycle. */
  onDownlink(cmd: DownlinkFrame, nowMs: number): void {
    if (this.down || this.state !== 'online') return;
    this.counters.txPacketsReceived++;
    const statuses: string[] = [];
    let sent = false;
    for (const item of cmd.items) {
      if (sent) {
        statuses.push('IGNORED');
        continue;
      }
      const ctx = Buffer.from(item.txInfo.context, 'base64');
      const rxEnd = ctx.length >= 8 ? ctx.readDoubleBE(0) : nowMs;
      const delayS = Number(item.txInfo.timing.delay.delay.replace(/s$/, ''));
      const atMs = rxEnd + delayS * 1000;
      const lora = item.txInfo.modulation.lora;
      const phy = new Uint8Array(Buffer.from(item.phyPayload, 'base64'));
      const airtime = this.sink.airtimeMs(lora.spreadingFactor, lora.bandwidth, phy.length, false);
      if (atMs < nowMs) {
        statuses.push('TOO_LATE');
        continue;
      }
      if (this.cfg.region === 'EU868' && subBandOf(item.txInfo.frequency)) {
        if (!this.dc.canTransmit(item.txInfo.frequency, atMs)) {
          statuses.push('DUTY_CYCLE_OVERFLOW');
          continue;
        }
        this.dc.record(item.txInfo.frequency, airtime, atMs);
      }
      statuses.push('OK');
      sent = true;
      const emit = () => {
        this.counters.txPacketsEmitted++;
        this.sink.transmit(this, { kind: 'downlink', phy, freqHz: item.txInfo.frequency, sf: lora.spreadingFactor, bandwidthHz: lora.bandwidth, eirpDbm: item.txInfo.power, atMs });
      };
      if (this.sink.transmitsAhead) emit();
      else this.sink.schedule(this, atMs, emit);
    }
    this.sink.publish(this, 'ack', { v: 1, gatewayId: this.address, downlinkId: cmd.downlinkId, items: statuses.map((status) => ({ status })) }, nowMs);
  }

  private onStatsTimer(nowMs: number): void {
    if (this.state !== 'online') return;
    this.sink.publish(this, 'stats', { v: 1, hotspot: this.address, timeMs: this.localTime(nowMs), ...this.counters }, nowMs);
    this.sink.schedule(this, nowMs + this.cfg.statsIntervalS * 1000, (t) => this.onStatsTimer(t));
  }
}
