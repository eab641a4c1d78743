import { describe, it, expect } from 'vitest';
import { resolveScenario } from './scenario/load-scenario.ts';
import { materialize } from './scenario/materialize.ts';
import { World, type Scheduler, type NetworkPort } from './world.ts';

const scenario = resolveScenario({
  name: 'world-options',
  seed: 3,
  region: 'US915',
  area: { bbox: [-122.42, 37.77, -122.4, 37.78] },
  duration: { seconds: 60 },
  propagation: { preset: 'urban' },
  hotspots: { count: 2, statsIntervalS: 0 },
  sensors: { count: 1, dataRate: 4 },
});
const sched: Scheduler = { now: () => 0, at: () => undefined };
const port: NetworkPort = { publish: () => undefined, connect: () => undefined, disconnect: () => undefined };

describe('World medium rules', () => {
  it('passes capture, critical section, interference and the free-space floor through to the medium', () => {
    const net = materialize(scenario);
    const plain = new World(scenario, net, sched, port, () => undefined);
    // defaults: every rule left to the medium (capture on, critical section on, pairwise, floors on)
    expect([plain.medium.cfg.capture, plain.medium.cfg.criticalSection, plain.medium.cfg.interference, plain.medium.cfg.freeSpaceFloor]).toEqual([undefined, undefined, undefined, undefined]);
    const w = new World(scenario, net, sched, port, () => undefined, scenario.seed, { medium: { capture: false, criticalSection: false, interference: 'sum', freeSpaceFloor: false } });
    expect(w.medium.cfg).toMatchObject({ capture: false, criticalSection: false, interference: 'sum', freeSpaceFloor: false, demodulators: 8 });
  });

  it('takes the rules from the scenario file (propagation.collisions, propagation.freeSpaceFloor); World options win', () => {
    const fromFile = resolveScenario({
      name: 'world-rules-from-file',
      seed: 3,
      region: 'US915',
      area: { bbox: [-122.42, 37.77, -122.4, 37.78] },
      duration: { seconds: 60 },
      propagation: { preset: 'urban', collisions: { capture: false, interference: 'sum' }, freeSpaceFloor: false },
      hotspots: { count: 2, statsIntervalS: 0 },
    });
    const net = materialize(fromFile);
    const w = new World(fromFile, net, sched, port, () => undefined);
    expect(w.medium.cfg).toMatchObject({ capture: false, interference: 'sum', freeSpaceFloor: false });
    expect(w.medium.cfg.criticalSection).toBeUndefined();
    const over = new World(fromFile, net, sched, port, () => undefined, fromFile.seed, { medium: { capture: true } });
    expect(over.medium.cfg).toMatchObject({ capture: true, interference: 'sum' });
  });

  it('refuses an unknown interference model in the scenario file', () => {
    expect(() =>
      resolveScenario({
        name: 'bad-rules', seed: 1, region: 'US915', area: { bbox: [-122.42, 37.77, -122.4, 37.78] }, duration: { seconds: 60 },
        propagation: { collisions: { interference: 'loudest' } }, hotspots: { count: 1 },
      }),
    ).toThrow(/propagation\/collisions\/interference/);
  });

  it('a US915 sensor at DR4 (SF8/500 kHz) transmits on channel 65, 904.6 MHz (RP002 §2.5.2)', () => {
    const net = materialize(scenario);
    const heard: number[] = [];
    const timers: { at: number; fn: () => void }[] = [];
    let now = 0;
    const s2: Scheduler = { now: () => now, at: (at, fn) => void timers.push({ at, fn }) };
    const w = new World(scenario, net, s2, port, (e) => {
      if (e.ev === 'uplink' || e.ev === 'join-request') heard.push(e.freqHz as number);
    });
    w.start();
    // run the virtual clock until three frames have ended (the hotspots never connect: no network here)
    while (heard.length < 3 && timers.length) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers.shift()!;
      now = t.at;
      t.fn();
    }
    expect(heard).toEqual([904_600_000, 904_600_000, 904_600_000]);
  });
});
