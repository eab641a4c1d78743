/**
 * The simulator's oracle launcher ({@link OracleLauncher}, hotspot-sim/src/runner/oracle-launcher.ts)
 * implemented with the real oracle started in this process: embedded MQTT broker, HTTP API on free
 * loopback ports (port 0), the store where the simulator asks (`memory://` or a directory), on the
 * simulator's clock when it passes one (fast mode: virtual time).
 */
import { startOracle } from '@hexium/oracle/server';
import type { LaunchedOracle, OracleLaunchConfig, OracleLauncher } from '@hexium/hotspot-sim/runner/oracle-launcher';

export const launchInProcessOracle: OracleLauncher = async (c: OracleLaunchConfig): Promise<LaunchedOracle> => {
  const oracle = await startOracle(
    {
      host: '127.0.0.1', httpPort: 0, mqttPort: 0, wsPort: 0,
      dataDir: c.dataDir,
      params: c.params,
      fleets: c.fleets,
      entropySeed: c.entropySeed,
      oracleKeySeedHex: c.oracleKeySeedHex,
      logLevel: c.logLevel,
      topicPrefix: c.topicPrefix,
    },
    c.clock ? { clock: c.clock } : {},
  );
  return { httpUrl: oracle.httpUrl, mqttUrl: oracle.mqttUrl, adminToken: oracle.adminToken, idle: () => oracle.idle(), arrivals: oracle.arrivals, stop: () => oracle.stop() };
};
