import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolveScenario, resolveExperiment, ScenarioError } from './load-scenario.ts';
import { generateScenario } from './generate.ts';
import { materialize } from './materialize.ts';

describe('scenario loading', () => {
  it('reports the path of a bad field', () => {
    const bad = { ...generateScenario({ hotspots: 3, sensors: 0, area: 'berlin-mitte', seed: 1 }), hotspots: { count: -1 } };
    try {
      resolveScenario(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).issues.some((i) => i.path.startsWith('/hotspots/count'))).toBe(true);
    }
  });
  it('rejects an unknown area preset and more adversaries than hotspots', () => {
    const s = { ...generateScenario({ hotspots: 1, sensors: 0, area: 'berlin-mitte', seed: 1 }), area: { preset: 'atlantis' }, adversaries: [{ kind: 'silent', count: 2 }] };
    expect(() => resolveScenario(s)).toThrow(/atlantis[\s\S]*2 adversaries but only 1/);
  });
  it('places every hotspot inside the area, deterministically', () => {
    const r = resolveScenario(generateScenario({ hotspots: 20, sensors: 5, area: '13.3,52.4,13.5,52.6', seed: 9 }));
    const a = materialize(r);
    const b = materialize(r);
    expect(a.hotspots.map((h) => h.key.address)).toEqual(b.hotspots.map((h) => h.key.address));
    for (const h of a.hotspots) {
      expect(h.lng).toBeGreaterThanOrEqual(13.3);
      expect(h.lat).toBeLessThanOrEqual(52.6);
    }
  });
  it('resolves every checked-in scenario, city-100k as documented', () => {
    const read = (f: string) => JSON.parse(readFileSync(new URL(`../../../scenarios/${f}`, import.meta.url), 'utf8')) as unknown;
    for (const f of ['town.json', 'farmland.json', 'sf-adversaries.json', 'city-10k.json', 'city-100k.json']) expect(() => resolveScenario(read(f))).not.toThrow();
    // docs/simulator.md "Checked-in scenarios": 100,000 hotspots, EU868, urban-dense, one epoch, no sensors
    const r = resolveScenario(read('city-100k.json'));
    expect(r).toMatchObject({ name: 'city-100k', region: 'EU868', epochs: 1, hotspots: { count: 100_000, placement: { kind: 'uniform' }, statsIntervalS: 0 }, sensors: { count: 0 } });
    expect(r.propagation.preset).toBe('urban-dense');
  });
});

describe('experiment files', () => {
  const base = {
    name: 'e',
    seed: 1,
    experiment: {
      gateways: { points: [[0, 0]] },
      nodes: { count: 10, placement: { disc: { radiusM: 100 } }, intervalS: 60, payloadBytes: 20, sf: 7, txPowerDbm: 14 },
      pathLoss: { d0M: 40, pl0Db: 127.41, gamma: 2.08, sigmaDb: 0 },
      collisions: { model: 'capture' },
      duration: { seconds: 60 },
    },
  };
  const withNodes = (nodes: Record<string, unknown>) => ({ ...base, experiment: { ...base.experiment, nodes: { ...base.experiment.nodes, ...nodes } } });
  it('fills the documented defaults', () => {
    const r = resolveExperiment(base);
    expect(r).toMatchObject({ demodulators: 8, noiseFigureDb: 6, nodeCounts: [10], preambleSymbols: 8, bandwidthHz: { fixed: 125_000 }, codingRate: { fixed: 1 }, channel: { fixed: 0 } });
    expect(r.collisions).toEqual({ model: 'capture', thresholdDb: 6, criticalSectionSymbols: 3, sfIsolation: false });
  });
  it('lays out a gateway grid row by row', () => {
    const r = resolveExperiment({ ...base, experiment: { ...base.experiment, gateways: { grid: { rows: 2, cols: 2, spacingM: 1000 } } } });
    expect(r.gateways).toEqual([[0, 0], [1000, 0], [0, 1000], [1000, 1000]]);
  });
  it.each([
    [withNodes({ sf: 13 }), '/experiment/nodes/sf'],
    [withNodes({ bandwidthKhz: 200 }), '/experiment/nodes/bandwidthKhz'],
    [withNodes({ count: [100, 50] }), '/experiment/nodes/count/1'],
    [withNodes({ placement: { area: { preset: 'atlantis' } } }), '/experiment/nodes/placement/area/preset'],
    [{ ...base, experiment: { ...base.experiment, collisions: { model: 'capture', thresholdDb: 6, extra: 1 } } }, '/experiment/collisions'],
    [{ ...base, experiment: { ...base.experiment, pathLoss: { d0M: 0, pl0Db: 1, gamma: 2, sigmaDb: 0 } } }, '/experiment/pathLoss/d0M'],
  ])('names the path of a bad field (%#)', (data, p) => {
    try {
      resolveExperiment(data);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).issues.some((i) => i.path.startsWith(p))).toBe(true);
    }
  });
  it('keeps network scenarios and experiment files apart with a clear message', () => {
    expect(() => resolveScenario(base)).toThrow(/experiment file: run it with "hotspot-sim experiment/);
    expect(() => resolveExperiment(generateScenario({ hotspots: 1, sensors: 0, area: 'berlin-mitte', seed: 1 }))).toThrow(/network scenario/);
  });
  it('resolves the checked-in experiments', () => {
    for (const f of ['lorasim.json', 'aloha.json', 'multi-gateway.json']) {
      expect(() => resolveExperiment(JSON.parse(readFileSync(new URL(`../../../experiments/${f}`, import.meta.url), 'utf8')))).not.toThrow();
    }
  });
});

