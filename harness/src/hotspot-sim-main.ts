/** Entry of the `hotspot-sim` binary: the simulator's commands, `run` starting the real oracle in process when no --broker is given. */
import { runHotspotSimCli } from '@hexium/hotspot-sim/cli';
import { launchInProcessOracle } from './in-process-oracle.ts';

process.exitCode = await runHotspotSimCli(process.argv.slice(2), { launchOracle: launchInProcessOracle });
