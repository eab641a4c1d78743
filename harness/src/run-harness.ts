/**
 * Run harness scenarios end to end: each scenario through the simulator in fast mode (virtual time)
 * against the real oracle over real MQTT (hotspot-sim `runScenario`), then compare what the oracle
 * concluded with the file's expectations. Optionally a second run with the same seed checks that the
 * reward manifest hashes are identical.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseHarnessScenario, type HarnessScenario } from './scenario-file.ts';
import { observe, type Observation, type RunLike } from './observe.ts';
import { compare, type Check } from './compare.ts';
import { runScenario } from '@hexium/hotspot-sim';
import { launchInProcessOracle } from './in-process-oracle.ts';

export type RunFn = (scenario: Record<string, unknown>, o: { seed?: number }) => Promise<RunLike>;

export interface HotspotRewardRow {
  hotspot: string;
  name: string;
  group: string;
  beaconAmount: string;
  witnessAmount: string;
  dcTransferAmount: string;
  total: string;
}

export interface ScenarioOutcome {
  file: string;
  name: string;
  description: string;
  notCaught: string | null;
  seed: number | null;
  wallMs: number;
  ok: boolean;
  /** Set when the scenario could not run (bad file, simulator refused it, crash). */
  error: string | null;
  checks: Check[];
  observation: Observation | null;
  rewards: HotspotRewardRow[];
  determinism: { runs: string[][]; identical: boolean } | null;
}

/**
 * Default runner: hotspot-sim's runScenario in fast mode against the real oracle started in this process.
 * The harness needs every PoC result (HIP-17 scales per verdict): the run result carries them (`rounds`).
 */
export const simulatorRun: RunFn = (scenario, o) => runScenario(scenario, { mode: 'fast', seed: o.seed, launchOracle: launchInProcessOracle });

export interface HarnessOptions {
  run?: RunFn;
  /** Override every scenario's seed. */
  seed?: number;
  /** Check determinism for every scenario (else only where `expect.deterministic`). */
  determinism?: boolean;
  onScenario?: (o: ScenarioOutcome) => void;
  now?: () => number;
}

function rewardRows(run: RunLike): HotspotRewardRow[] {
  const byAddr = new Map(run.rewards.map((r) => [r.hotspot, r]));
  return run.network.hotspots
    .map((h) => {
      const r = byAddr.get(h.key.address);
      return {
        hotspot: h.key.address,
        name: h.key.name,
        group: h.role.kind,
        beaconAmount: r?.beaconAmount ?? '0',
        witnessAmount: r?.witnessAmount ?? '0',
        dcTransferAmount: r?.dcTransferAmount ?? '0',
        total: r?.total ?? '0',
      };
    })
    .sort((a, b) => (a.group === b.group ? (a.hotspot < b.hotspot ? -1 : 1) : a.group < b.group ? -1 : 1));
}

export async function runHarnessScenario(file: string, text: string, o: HarnessOptions = {}): Promise<ScenarioOutcome> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const base: ScenarioOutcome = {
    file, name: path.basename(file), description: '', notCaught: null, seed: null, wallMs: 0, ok: false, error: null, checks: [], observation: null, rewards: [], determinism: null,
  };
  let h: HarnessScenario;
  try {
    h = parseHarnessScenario(text, file);
  } catch (e) {
    return { ...base, error: (e as Error).message, wallMs: now() - t0 };
  }
  const out: ScenarioOutcome = { ...base, name: h.name, description: h.description, notCaught: h.notCaught ?? null, seed: o.seed ?? (h.scenario.seed as number) ?? null };
  const run = o.run ?? simulatorRun;
  try {
    const first = await run(h.scenario, { seed: o.seed });
    out.observation = observe(first);
    out.rewards = rewardRows(first);
    out.checks = compare(h.expect, out.observation);
    if (o.determinism || h.expect.deterministic) {
      const second = await run(h.scenario, { seed: o.seed });
      const runs = [first.summary.manifestHashes, second.summary.manifestHashes];
      const identical = runs[0].length > 0 && JSON.stringify(runs[0]) === JSON.stringify(runs[1]);
      out.determinism = { runs, identical };
      out.checks.push({ what: 'same seed twice: manifest hashes', expected: 'identical, ≥ 1 epoch', actual: identical ? `identical (${runs[0].length})` : `${runs[0].join(',') || '(none)'} vs ${runs[1].join(',') || '(none)'}`, ok: identical });
    }
    out.ok = out.checks.every((c) => c.ok);
  } catch (e) {
    out.error = (e as Error).message;
  }
  out.wallMs = now() - t0;
  return out;
}

export async function runHarness(files: string[], o: HarnessOptions = {}): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const failed: ScenarioOutcome = {
        file, name: path.basename(file), description: '', notCaught: null, seed: null, wallMs: 0, ok: false, error: `cannot read ${file}: ${(e as Error).message}`, checks: [], observation: null, rewards: [], determinism: null,
      };
      outcomes.push(failed);
      o.onScenario?.(failed);
      continue;
    }
    const r = await runHarnessScenario(file, text, o);
    outcomes.push(r);
    o.onScenario?.(r);
  }
  return outcomes;
}
