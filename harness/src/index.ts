/**
 * @hexium/harness — the package above the oracle and the simulator (docs/architecture.md "Package graph"):
 * the end-to-end PoC harness (`oracle harness`), the in-process oracle a simulation runs against, and the
 * `oracle` and `hotspot-sim` binaries that wire both.
 */
export { launchInProcessOracle } from './in-process-oracle.ts';
export { runHarness, runHarnessScenario, simulatorRun, type RunFn, type HarnessOptions, type ScenarioOutcome, type HotspotRewardRow } from './run-harness.ts';
export { observe, type Observation, type RunLike, type GroupObservation } from './observe.ts';
export { compare, type Check } from './compare.ts';
export { formatResults, jsonReport, markdownReport } from './report.ts';
export { parseHarnessScenario, type HarnessScenario } from './scenario-file.ts';
