/** Entry of the `oracle` binary: the oracle's own commands plus `harness` (simulator → MQTT → oracle). */
import { runOracleCli } from '@hexium/oracle/cli';

process.exitCode = await runOracleCli(process.argv.slice(2), { harness: () => import('./commands/harness.ts') });
