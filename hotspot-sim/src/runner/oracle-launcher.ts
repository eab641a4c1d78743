/**
 * How `runScenario` gets an oracle when no broker/oracle URL is given: a launcher passed in by the
 * caller. The simulator does not import the oracle (the package graph points one way:
 * docs/architecture.md "Package graph"); `@hexium/harness` implements this interface with the real
 * oracle started in-process (`harness/src/in-process-oracle.ts`).
 */
import type { Clock } from '@hexium/shared/clock';

/** What the simulator asks of an oracle it starts for one run. */
export interface OracleLaunchConfig {
  /** Where the store lives: `memory://` (fast mode) or a temporary directory (live mode). */
  dataDir: string;
  /** Network parameters: a profile name ("helium", "demo") or the scenario's overrides (oracle config `params`). */
  params: string | Record<string, unknown>;
  /** Fleet credentials the broker accepts (fleet id → secret). */
  fleets: Record<string, string>;
  /** Seed of the oracle's PoC entropy (deterministic runs). */
  entropySeed: string;
  /** Hex seed of the oracle's signing key (deterministic manifest signatures). */
  oracleKeySeedHex: string;
  /** Oracle log level, e.g. "silent". */
  logLevel: string;
  topicPrefix: string;
  /** The oracle's clock (fast mode: the simulator's virtual clock); omitted: the wall clock. */
  clock?: Clock;
}

/** An oracle started for one run. */
export interface LaunchedOracle {
  httpUrl: string;
  mqttUrl: string;
  adminToken: string | null;
  /** Resolves when the oracle has handled everything it has received (fast mode syncs on it). */
  idle(): Promise<void>;
  /**
   * Messages the oracle has received and stamped with their receive time so far, and a wait until that
   * count reaches `n`. Optional: without it fast mode waits for `idle()` at every step.
   */
  arrivals?: { count(): number; until(n: number): Promise<void> };
  stop(): Promise<void>;
}

export type OracleLauncher = (config: OracleLaunchConfig) => Promise<LaunchedOracle>;
