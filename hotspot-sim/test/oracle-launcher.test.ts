/**
 * `runScenario` and its injected oracle launcher (src/runner/oracle-launcher.ts): the simulator does not
 * import the oracle, so without --broker/--oracle it must be given a launcher, and it asks that launcher
 * for exactly the oracle it needs. No oracle is started here (the launcher records its config and refuses).
 */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { runScenario, type OracleLaunchConfig } from '../src/index.ts';

const scenario = {
  name: 'launcher',
  seed: 11,
  params: 'demo',
  area: { bbox: [13.37, 52.5, 13.41, 52.52] },
  duration: { epochs: 1 },
  hotspots: { count: 3, statsIntervalS: 0 },
};

describe('runScenario without a broker', () => {
  it('refuses to run when it has neither a broker nor an oracle launcher', async () => {
    await expect(runScenario(scenario, { mode: 'fast' })).rejects.toThrow(/no oracle to run against: give --broker and --oracle/);
  });

  it('asks the launcher for an in-memory oracle on its virtual clock, seeded from the scenario seed (fast mode)', async () => {
    const seen: OracleLaunchConfig[] = [];
    const refuse = async (c: OracleLaunchConfig) => {
      seen.push(c);
      throw new Error('launcher: not starting an oracle in this test');
    };
    await expect(runScenario(scenario, { mode: 'fast', launchOracle: refuse })).rejects.toThrow('launcher: not starting an oracle in this test');
    expect(seen).toHaveLength(1);
    const c = seen[0];
    // the derivations written in run-scenario.ts startInProcessOracle: fleet "sim" (the scenario default),
    // secret = first 32 hex digits of SHA-256("hexium-sim-fleet:11"), entropy "hexium-sim:11"
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(c.dataDir).toBe('memory://');
    expect(c.params).toBe('demo');
    expect(c.fleets).toEqual({ sim: sha('hexium-sim-fleet:11').slice(0, 32) });
    expect(c.entropySeed).toBe('hexium-sim:11');
    expect(c.oracleKeySeedHex).toBe(sha('hexium-sim-oracle:11'));
    expect(c.logLevel).toBe('silent');
    expect(c.topicPrefix).toBe('hexium');
    // fast mode: the simulator's virtual clock, starting at the scenario start
    expect(c.clock).toBeDefined();
  });
});
