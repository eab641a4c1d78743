/**
 * A simulated town on the wall clock whose hotspots are reached only through packet forwarders: the
 * simulated medium ({@link Medium}, the same radio model as the {@link World}) and the sensors
 * ({@link SensorFirmware}) of a materialized scenario, with one {@link PacketForwarder} per hotspot as its
 * radio. What a hotspot's gateway hears becomes rxpk on its forwarder; what a forwarder transmits goes into
 * the medium: beacons (IQ not inverted) to the other gateways, downlinks (IQ inverted) to the sensors
 * listening in that receive window. So a whole town runs through real UDP bridges and real MQTT.
 */
import { timeOnAir } from '@hexium/shared/radio/index';
import { createRng } from '@hexium/shared/random/rng';
import type { ResolvedScenario } from '../core/scenario/load-scenario.ts';
import type { Network } from '../core/scenario/materialize.ts';
import { projector } from '../core/scenario/geometry.ts';
import type { Medium, Listener, Transmission } from '../core/medium/medium.ts';
import { scenarioMedium } from '../core/world.ts';
import { SensorFirmware, type SensorSink, type RxWindowSpec } from '../core/firmware/sensor.ts';
import { deviceSensitivityDbm } from '../core/medium/device-sensitivity.ts';
import type { ForwardedTx } from './packet-forwarder.ts';

/** A receive window matches a downlink starting within this many ms of its opening (µs-rounded tmst). */
const WINDOW_TOLERANCE_MS = 2;

export interface TownRadio {
  receive(rx: { phy: Uint8Array; freqHz: number; sf: number; bandwidthHz: number; rssiDbm: number; snrDb: number; endMs: number }): void;
}

export interface TownStats {
  uplinks: number;
  uplinksHeard: number;
  beaconsOnAir: number;
  downlinksOnAir: number;
  downlinksReceived: number;
  joins: number;
}

export class RadioTown {
  readonly medium: Medium;
  readonly sensors: SensorFirmware[];
  readonly stats: TownStats = { uplinks: 0, uplinksHeard: 0, beaconsOnAir: 0, downlinksOnAir: 0, downlinksReceived: 0, joins: 0 };
  private readonly radios: (TownRadio | null)[];
  private readonly proj: ReturnType<typeof projector>;
  private readonly windows: { w: RxWindowSpec; s: SensorFirmware }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private txSeq = 0;
  private stopped = false;

  constructor(
    readonly scenario: ResolvedScenario,
    readonly net: Network,
    seed: number,
    private readonly now: () => number = Date.now,
  ) {
    const bbox = scenario.polygon.bbox;
    this.proj = projector((bbox[1] + bbox[3]) / 2, (bbox[0] + bbox[2]) / 2);
    this.medium = scenarioMedium(scenario, net, seed, this.proj);
    this.radios = net.hotspots.map(() => null);
    const srng = createRng(seed).fork('sensor-firmware');
    const sink = this.sensorSink();
    this.sensors = net.sensors.map(
      (s) =>
        new SensorFirmware(
          { ...s, nodeId: net.hotspots.length + s.index, plan: net.plan, eirpDbm: net.plan.maxEirpDbm, intervalS: scenario.sensors.intervalS, jitter: scenario.sensors.jitter, confirmedShare: scenario.sensors.confirmedShare },
          srng.fork(`sensor:${s.index}`),
          sink,
        ),
    );
  }

  /** Attach the radio (packet forwarder) of hotspot `index`. */
  attach(index: number, radio: TownRadio): void {
    this.radios[index] = radio;
  }

  private at(atMs: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, Math.max(0, atMs - this.now()));
    this.timers.add(t);
  }

  private airtimeMs(sf: number, bandwidthHz: number, bytes: number, crc: boolean): number {
    return timeOnAir({ sf, bandwidthHz, codingRate: 1, payloadBytes: bytes, crc }).timeOnAirMs;
  }

  private sensorSink(): SensorSink {
    return {
      // sensor events run at their planned time (timers fire late on a loaded machine; the medium keeps exact times)
      schedule: (_s, atMs, fn) => this.at(atMs, () => fn(atMs)),
      listen: (s, w) => {
        const entry = { w, s };
        this.windows.push(entry);
        this.at(w.openMs + 1000, () => this.windows.splice(this.windows.indexOf(entry), 1));
      },
      airtimeMs: (sf, bw, bytes, crc) => this.airtimeMs(sf, bw, bytes, crc),
      transmit: (s, tx) => {
        const [x, y] = this.proj.toXY(s.cfg.lat, s.cfg.lng);
        const t: Transmission = {
          id: this.txSeq++, sourceId: s.cfg.nodeId, lat: s.cfg.lat, lng: s.cfg.lng, x, y, elevationM: s.cfg.elevationM, eirpDbm: tx.eirpDbm,
          freqHz: tx.freqHz, sf: tx.sf, bandwidthHz: tx.bandwidthHz, startMs: tx.atMs, endMs: tx.atMs + tx.airtimeMs, data: tx.phy,
        };
        if (tx.kind === 'up') this.stats.uplinks++;
        this.medium.begin(t);
        this.at(t.endMs, () => {
          if (this.deliver(t) > 0 && tx.kind === 'up') this.stats.uplinksHeard++;
        });
      },
    };
  }

  /** A forwarder of hotspot `index` transmits (called at the start of the transmission). */
  transmitFrom(index: number, tx: ForwardedTx): void {
    const h = this.net.hotspots[index];
    const [x, y] = this.proj.toXY(h.lat, h.lng);
    const airtime = this.airtimeMs(tx.sf, tx.bandwidthHz, tx.phy.length, tx.crc);
    const t: Transmission = {
      id: this.txSeq++, sourceId: index, lat: h.lat, lng: h.lng, x, y, elevationM: h.elevationM, eirpDbm: tx.powerDbm + h.gainDbi,
      freqHz: tx.freqHz, sf: tx.sf, bandwidthHz: tx.bandwidthHz, startMs: tx.atMs, endMs: tx.atMs + airtime, data: tx.phy, iqInverted: tx.invertedIq,
    };
    // half duplex: receptions still on the air at this hotspot are lost (medium.ts)
    this.medium.transmitting(index, t.endMs, t.startMs);
    if (!tx.invertedIq) {
      // gateways listen with non-inverted IQ: a beacon (or any uplink-polarity frame) reaches them
      this.stats.beaconsOnAir++;
      this.medium.begin(t);
      this.at(t.endMs, () => this.deliver(t));
      return;
    }
    this.stats.downlinksOnAir++;
    // the downlink goes through the medium (as in World): the sensors listening in that window receive it
    // with path loss, the SX1272 sensitivity and collisions; gateways hear it as interference only
    const targets = this.windows.filter((e) => Math.abs(e.w.openMs - tx.atMs) <= WINDOW_TOLERANCE_MS && e.w.freqHz === tx.freqHz && e.w.sf === tx.sf).map((e) => e.s);
    const sensitivityDbm = deviceSensitivityDbm(tx.sf, tx.bandwidthHz);
    const listeners: Listener[] = targets.map((s) => {
      const [sx, sy] = this.proj.toXY(s.cfg.lat, s.cfg.lng);
      return { id: s.cfg.nodeId, x: sx, y: sy, elevationM: s.cfg.elevationM, gainDbi: 0, sensitivityDbm };
    });
    this.medium.begin(t, undefined, listeners);
    this.at(t.endMs, () => {
      for (const r of this.medium.endAll(t).listeners) {
        const s = this.sensors[r.listener! - this.net.hotspots.length];
        const what = s.onDownlink(tx.phy);
        if (what === 'ignored') continue;
        this.stats.downlinksReceived++;
        if (what === 'join-accept') this.stats.joins++;
      }
    });
  }

  private deliver(t: Transmission): number {
    let n = 0;
    for (const r of this.medium.end(t)) {
      const radio = this.radios[r.gateway];
      if (!radio) continue;
      n++;
      radio.receive({ phy: t.data as Uint8Array, freqHz: t.freqHz, sf: t.sf, bandwidthHz: t.bandwidthHz, rssiDbm: r.prxDbm, snrDb: Math.min(r.snrDb, 15), endMs: t.endMs });
    }
    return n;
  }

  start(): void {
    const now = this.now();
    for (const s of this.sensors) s.start(now);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
