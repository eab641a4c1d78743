import { describe, it, expect } from 'vitest';
import { resolveScenario, ScenarioError } from './load-scenario.ts';
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
});
