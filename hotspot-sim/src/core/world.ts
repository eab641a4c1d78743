/**
 * The simulated world: every hotspot firmware, every sensor, and the radio medium between them, driven
 * by a scheduler (the virtual clock in fast mode, a wall-clock driver in live mode). It talks to the
 * network only through a {@link NetworkPort} (MQTT in the runner) and records an event log and the
 * counters of the run summary. Pure: no I/O, no clock reads; time comes from the scheduler.
 */
import { timeOnAir } from '@hexium/shared/radio/index';
import { createRng } from '@hexium/shared/random/rng';
import type { Entropy, DownlinkFrame, ChallengeCommand } from '@hexium/shared/protocol/index';
import type { ResolvedScenario } from './scenario/load-scenario.ts';
import type { Network, HotspotSpec } from './scenario/materialize.ts';
import { projector } from './scenario/geometry.ts';
import { Medium, type Listener, type MediumConfig, type Transmission } from './medium/medium.ts';
import { hashString } from '@hexium/shared/random/rng';
import { HotspotFirmware, type HotspotSink, type PublishKind, type RadioTx } from './firmware/hotspot.ts';
import { SensorFirmware, type SensorSink, type SensorTx, type RxWindowSpec } from './firmware/sensor.ts';
import { deviceSensitivityDbm } from './medium/device-sensitivity.ts';

/**
 * The radio medium of a scenario: its propagation preset, fading, receiver, demodulators and collision
 * rules, with every hotspot as a gateway on the local projection `proj`. `rules` override the scenario's.
 * Shared by the simulated world and the radio town behind a packet forwarder.
 */
export function scenarioMedium(scenario: ResolvedScenario, net: Network, seed: number, proj: ReturnType<typeof projector>, rules: MediumRules = {}): Medium {
  const regionParams = scenario.params.regions[scenario.region];
  if (!regionParams) throw new RangeError(`no Helium region parameters for ${scenario.region}`);
  return new Medium(
    {
      preset: scenario.propagation.preset as never,
      seed: hashString(`medium:${seed}`),
      fadingSigmaDb: scenario.propagation.fadingSigmaDb,
      noiseFigureDb: scenario.propagation.noiseFigureDb,
      demodulators: scenario.propagation.demodulators,
      maxEirpDbm: Math.max(...regionParams.map((r) => r.maxEirpDbm), net.plan.maxEirpDbm),
      maxGainDbi: Math.max(0, ...net.hotspots.map((h) => h.gainDbi)),
      freqHz: regionParams[0].channelFrequencyHz,
      ...scenario.propagation.rules,
      ...rules,
    },
    net.hotspots.map((h) => {
      const [x, y] = proj.toXY(h.lat, h.lng);
      return { lat: h.lat, lng: h.lng, x, y, elevationM: h.elevationM, gainDbi: h.gainDbi };
    }),
  );
}

export interface Scheduler {
  now(): number;
  at(atMs: number, fn: () => void): void;
}

export interface NetworkPort {
  publish(h: HotspotSpec, kind: PublishKind, message: Record<string, unknown>): void;
  connect(h: HotspotSpec): void;
  disconnect(h: HotspotSpec): void;
}

export interface WorldStats {
  beacons: number;
  beaconReports: number;
  witnesses: number;
  fabricatedWitnesses: number;
  replayedWitnesses: number;
  uplinks: number;
  uplinksHeard: number;
  uplinksForwarded: number;
  joinRequests: number;
  joins: number;
  confirmedUplinks: number;
  acks: number;
  downlinks: number;
  downlinksReceived: number;
  collisions: number;
  /** Downlinks a sensor in its receive window lost to a collision (they go through the medium). */
  downlinkCollisions: number;
  /** Receptions a gateway lost because it transmitted (beacon, downlink) while they were on the air. */
  halfDuplexLosses: number;
  /** EU868 beacons skipped because their sub-band was in its duty-cycle off-time. */
  beaconsSkippedDutyCycle: number;
  linkEvaluations: number;
}

/** Medium rules a World can be asked for beyond the scenario's propagation block (see MediumConfig). */
export type MediumRules = Pick<MediumConfig, 'capture' | 'criticalSection' | 'interference' | 'freeSpaceFloor'>;

export interface WorldOptions {
  /** Collision and path-loss rules for the medium; every rule defaults to the medium's default. */
  medium?: MediumRules;
}

export type LogFn = (event: Record<string, unknown>) => void;

export class World {
  readonly firmware: HotspotFirmware[];
  readonly sensors: SensorFirmware[];
  readonly medium: Medium;
  readonly byAddress = new Map<string, number>();
  readonly stats: WorldStats = {
    beacons: 0, beaconReports: 0, witnesses: 0, fabricatedWitnesses: 0, replayedWitnesses: 0, uplinks: 0, uplinksHeard: 0,
    uplinksForwarded: 0, joinRequests: 0, joins: 0, confirmedUplinks: 0, acks: 0, downlinks: 0, downlinksReceived: 0, collisions: 0,
    downlinkCollisions: 0, halfDuplexLosses: 0, beaconsSkippedDutyCycle: 0, linkEvaluations: 0,
  };
  private txSeq = 0;
  private readonly listening = new Map<string, SensorFirmware[]>();
  private readonly rings = new Map<number, number[]>();
  private readonly airtimeCache = new Map<string, number>();
  private readonly witnessKeys = new Set<string>();

  constructor(
    readonly scenario: ResolvedScenario,
    readonly net: Network,
    private readonly sched: Scheduler,
    private readonly port: NetworkPort,
    private readonly log: LogFn,
    seed = scenario.seed,
    options: WorldOptions = {},
  ) {
    const center = scenario.polygon.bbox;
    const proj = projector((center[1] + center[3]) / 2, (center[0] + center[2]) / 2);
    const regionParams = scenario.params.regions[scenario.region];
    if (!regionParams) throw new RangeError(`no Helium region parameters for ${scenario.region}`);
    this.medium = scenarioMedium(scenario, net, seed, proj, options.medium);
    const root = createRng(seed).fork('firmware');
    const hsink = this.hotspotSink(proj);
    this.firmware = net.hotspots.map((h) => {
      this.byAddress.set(h.key.address, h.index);
      if (h.role.kind === 'colluding-ring') this.rings.set(h.role.ring, [...(this.rings.get(h.role.ring) ?? []), h.index]);
      return new HotspotFirmware(
        {
          index: h.index,
          address: h.key.address,
          gainDbi: h.gainDbi,
          lat: h.lat,
          lng: h.lng,
          elevationM: h.elevationM,
          regionParams,
          region: scenario.region,
          beaconIntervalS: scenario.params.beaconIntervalS,
          statsIntervalS: scenario.hotspots.statsIntervalS,
          role: h.role,
        },
        root.fork(`hotspot:${h.index}`),
        hsink,
      );
    });
    const ssink = this.sensorSink(proj);
    const srng = createRng(seed).fork('sensor-firmware');
    this.sensors = net.sensors.map(
      (s) =>
        new SensorFirmware(
          {
            ...s,
            nodeId: net.hotspots.length + s.index,
            plan: net.plan,
            eirpDbm: net.plan.maxEirpDbm,
            intervalS: scenario.sensors.intervalS,
            jitter: scenario.sensors.jitter,
            confirmedShare: scenario.sensors.confirmedShare,
          },
          srng.fork(`sensor:${s.index}`),
          ssink,
        ),
    );
  }

  airtimeMs(sf: number, bandwidthHz: number, bytes: number, crc: boolean): number {
    const k = `${sf}/${bandwidthHz}/${bytes}/${crc ? 1 : 0}`;
    let v = this.airtimeCache.get(k);
    if (v === undefined) {
      v = timeOnAir({ sf, bandwidthHz, codingRate: 1, payloadBytes: bytes, crc }).timeOnAirMs;
      this.airtimeCache.set(k, v);
    }
    return v;
  }

  start(): void {
    const now = this.sched.now();
    for (const f of this.firmware) f.start(now);
    for (const s of this.sensors) s.start(now);
  }

  // --- inbound from the network --------------------------------------------------------------------

  onConnected(index: number): void {
    this.firmware[index].onConnected(this.sched.now());
  }

  onDisconnected(index: number): void {
    this.firmware[index].onDisconnected(this.sched.now());
  }

  onEntropy(msg: Entropy): void {
    const now = this.sched.now();
    for (const f of this.firmware) if (f.state === 'online') f.onEntropy(msg, now);
  }

  onEntropyFor(index: number, msg: Entropy): void {
    this.firmware[index].onEntropy(msg, this.sched.now());
  }

  onCommand(address: string, command: 'down' | 'challenge', msg: unknown): void {
    const i = this.byAddress.get(address);
    if (i === undefined) return;
    const now = this.sched.now();
    if (command === 'challenge') {
      this.log({ t: now, ev: 'challenge', hotspot: address });
      this.firmware[i].onChallenge(msg as ChallengeCommand, now);
    } else {
      this.firmware[i].onDownlink(msg as DownlinkFrame, now);
    }
  }

  // --- sinks ---------------------------------------------------------------------------------------

  private hotspotSink(proj: ReturnType<typeof projector>): HotspotSink {
    return {
      publish: (h, kind, message) => {
        const spec = this.net.hotspots[h.cfg.index];
        if (kind === 'beacon') this.stats.beaconReports++;
        if (kind === 'witness') {
          const k = `${h.cfg.index}:${message.dataHex as string}`;
          if (this.witnessKeys.has(k)) this.stats.replayedWitnesses++;
          else this.witnessKeys.add(k);
          this.stats.witnesses++;
          this.log({ t: this.sched.now(), ev: 'witness', hotspot: h.address, key: message.dataHex, rssiDbm: message.rssiDbm, snrDb: message.snrDb });
        } else if (kind === 'beacon') {
          this.log({ t: this.sched.now(), ev: 'beacon-report', hotspot: h.address, key: message.dataHex });
        } else if (kind === 'up') this.stats.uplinksForwarded++;
        this.port.publish(spec, kind, message);
      },
      transmit: (h, tx) => this.transmitFromHotspot(h, tx, proj),
      schedule: (_h, atMs, fn) => this.sched.at(atMs, () => fn(this.sched.now())),
      connect: (h) => this.port.connect(this.net.hotspots[h.cfg.index]),
      disconnect: (h) => this.port.disconnect(this.net.hotspots[h.cfg.index]),
      airtimeMs: (sf, bw, bytes, crc) => this.airtimeMs(sf, bw, bytes, crc),
      beaconSkipped: (h, freqHz, atMs) => {
        this.stats.beaconsSkippedDutyCycle++;
        this.log({ t: atMs, ev: 'beacon-skipped', hotspot: h.address, freqHz, reason: 'duty-cycle' });
      },
    };
  }

  private transmitFromHotspot(h: HotspotFirmware, tx: RadioTx, proj: ReturnType<typeof projector>): void {
    const [x, y] = proj.toXY(h.cfg.lat, h.cfg.lng);
    const airtime = this.airtimeMs(tx.sf, tx.bandwidthHz, tx.phy.length, tx.kind === 'beacon');
    const t: Transmission = {
      id: this.txSeq++, sourceId: h.cfg.index, lat: h.cfg.lat, lng: h.cfg.lng, x, y, elevationM: h.cfg.elevationM, eirpDbm: tx.eirpDbm,
      freqHz: tx.freqHz, sf: tx.sf, bandwidthHz: tx.bandwidthHz, startMs: tx.atMs, endMs: tx.atMs + airtime, data: tx, iqInverted: tx.kind === 'downlink',
    };
    // half duplex: the hotspot's own receptions still on the air are lost (medium.ts)
    this.medium.transmitting(h.cfg.index, t.endMs, t.startMs);
    this.syncMediumStats();
    if (tx.kind === 'beacon') {
      this.stats.beacons++;
      this.log({ t: tx.atMs, ev: 'beacon', hotspot: h.address, key: tx.dataHex, freqHz: tx.freqHz, sf: tx.sf, eirpDbm: tx.eirpDbm });
      this.medium.begin(t);
      this.sched.at(t.endMs, () => this.deliver(t));
      const role = h.cfg.role;
      if (role.kind === 'colluding-ring') {
        for (const m of this.rings.get(role.ring) ?? []) {
          if (m === h.cfg.index) continue;
          this.stats.fabricatedWitnesses++;
          this.sched.at(t.endMs, () => this.firmware[m].fabricateWitness(tx.dataHex!, role.rssiDbm, tx.freqHz, `SF${tx.sf}BW${tx.bandwidthHz / 1000}`, t.endMs));
        }
      }
      return;
    }
    // Downlink (inverted IQ): a transmission in the medium like any other. The sensors listening in this
    // receive window (class A) are its receivers: path loss from the hotspot (sensor antenna 0 dBi), the
    // SX1272 sensitivity, and every transmission on the same frequency on the air at the sensor under the
    // same collision rules; gateways hear it as interference only.
    this.stats.downlinks++;
    const key = `${tx.atMs}|${tx.freqHz}|${tx.sf}`;
    const targets = this.listening.get(key) ?? [];
    const sensitivityDbm = deviceSensitivityDbm(tx.sf, tx.bandwidthHz);
    const listeners: Listener[] = targets.map((s) => {
      const [sx, sy] = proj.toXY(s.cfg.lat, s.cfg.lng);
      return { id: s.cfg.nodeId, x: sx, y: sy, elevationM: s.cfg.elevationM, gainDbi: 0, sensitivityDbm };
    });
    this.medium.begin(t, undefined, listeners);
    this.sched.at(t.endMs, () => {
      const heard = this.medium.endAll(t).listeners; // gateways do not demodulate inverted IQ
      this.syncMediumStats();
      for (const r of heard) {
        const s = this.sensors[r.listener! - this.net.hotspots.length];
        const what = s.onDownlink(tx.phy);
        if (what === 'ignored') continue;
        this.stats.downlinksReceived++;
        if (what === 'join-accept') this.stats.joins++;
        if (what === 'ack') this.stats.acks++;
        this.log({ t: t.endMs, ev: 'downlink-rx', sensor: s.cfg.index, what, hotspot: h.address, rssiDbm: Math.round(r.prxDbm) });
      }
    });
  }

  private syncMediumStats(): void {
    this.stats.collisions = this.medium.collisions;
    this.stats.downlinkCollisions = this.medium.listenerCollisions;
    this.stats.halfDuplexLosses = this.medium.halfDuplexLosses;
    this.stats.linkEvaluations = this.medium.linkEvaluations;
  }

  private sensorSink(proj: ReturnType<typeof projector>): SensorSink {
    return {
      transmit: (s, tx) => this.transmitFromSensor(s, tx, proj),
      schedule: (_s, atMs, fn) => this.sched.at(atMs, () => fn(this.sched.now())),
      listen: (s, w: RxWindowSpec) => {
        const key = `${w.openMs}|${w.freqHz}|${w.sf}`;
        const list = this.listening.get(key);
        if (list) list.push(s);
        else this.listening.set(key, [s]);
        // the window closes a little after it opens (no preamble detected → radio off)
        this.sched.at(w.openMs + 1000, () => this.listening.delete(key));
      },
      airtimeMs: (sf, bw, bytes, crc) => this.airtimeMs(sf, bw, bytes, crc),
    };
  }

  private transmitFromSensor(s: SensorFirmware, tx: SensorTx, proj: ReturnType<typeof projector>): void {
    const [x, y] = proj.toXY(s.cfg.lat, s.cfg.lng);
    const t: Transmission = {
      id: this.txSeq++, sourceId: s.cfg.nodeId, lat: s.cfg.lat, lng: s.cfg.lng, x, y, elevationM: s.cfg.elevationM, eirpDbm: tx.eirpDbm,
      freqHz: tx.freqHz, sf: tx.sf, bandwidthHz: tx.bandwidthHz, startMs: tx.atMs, endMs: tx.atMs + tx.airtimeMs, data: tx,
    };
    if (tx.kind === 'join') this.stats.joinRequests++;
    else {
      this.stats.uplinks++;
      if (tx.confirmed) this.stats.confirmedUplinks++;
    }
    this.medium.begin(t);
    this.sched.at(t.endMs, () => {
      const n = this.deliver(t);
      if (n > 0 && tx.kind === 'up') this.stats.uplinksHeard++;
      this.log({ t: t.endMs, ev: tx.kind === 'join' ? 'join-request' : 'uplink', sensor: s.cfg.index, sf: tx.sf, freqHz: tx.freqHz, heardBy: n });
    });
  }

  /** End of a transmission: every gateway that decoded it gets the frame. Returns how many did. */
  private deliver(t: Transmission): number {
    const ok = this.medium.end(t);
    this.syncMediumStats();
    const payload = t.data as RadioTx | SensorTx;
    let n = 0;
    for (const r of ok) {
      const f = this.firmware[r.gateway];
      if (f.down) continue;
      n++;
      f.onRadioRx({ phy: payload.phy, freqHz: t.freqHz, sf: t.sf, bandwidthHz: t.bandwidthHz, rssiDbm: r.prxDbm, snrDb: r.snrDb, endMs: t.endMs });
    }
    return n;
  }
}
