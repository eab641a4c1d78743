/** @hexium/hotspot-sim — programmatic entry: run a scenario and read its summary and rounds (@hexium/harness uses this). */
export { runScenario, type RunOptions, type RunResult } from './runner/run-scenario.ts';
export type { OracleLauncher, OracleLaunchConfig, LaunchedOracle } from './runner/oracle-launcher.ts';
export { runHotspotSimCli, hotspotSimCommands, type HotspotSimCliOptions } from './cli.ts';
export type { RunSummary, HotspotReward, AdversaryReport } from './runner/results.ts';
export { parseScenario, resolveScenario, parseExperiment, resolveExperiment, ScenarioError, type ResolvedScenario, type ResolvedExperiment } from './core/scenario/load-scenario.ts';
export { ScenarioSchema, ExperimentScenarioSchema, type Scenario, type ExperimentScenario } from './core/scenario/schema.ts';
export { runExperiment, type ExperimentRun } from './experiment/engine.ts';
export { runSweep, sweepCsv, type SweepPoint } from './experiment/sweep.ts';
export { plotSvg, type PlotInput, type PlotSeries } from './experiment/plot-svg.ts';
export { generateScenario, type GenerateOptions } from './core/scenario/generate.ts';
export { materialize, type Network, type HotspotSpec, type SensorSpec } from './core/scenario/materialize.ts';
export { AREA_PRESETS } from './core/scenario/area-presets.ts';
export { encodeGwmp, decodeGwmp, type GwmpPacket, type Rxpk, type Txpk, type Stat } from './gateway/gwmp.ts';
export { runGateways, type GatewaysHandle, type RunGatewaysOptions } from './gateway/run-gateways.ts';
export { PacketForwarder, type PacketForwarderOptions } from './gateway/packet-forwarder.ts';
export { startForwarderTown, type ForwarderTown } from './gateway/forwarder-town.ts';
