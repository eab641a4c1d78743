/** `oracle density <locations.json|->`: HIP-17 hex scales (harness; format in docs/harness.md). */
import { parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { densityFromText } from '../harness/run-density.ts';

const help = `Usage: oracle density <locations.json | ->

Compute HIP-17 hex density scales exactly as Helium's IoT verifier did (res-11 counts never clipped,
res 10..4 clipped by occupied neighbours, product of clipped/unclipped, 4 dp banker's rounding).

Input (JSON file, or - for stdin):
  params?    "hip104" (deployed, default) | "hip17" (original chain variables)
             | { "<res>": [N, density_tgt, density_max], ... }   (resolutions not listed are not clipped)
  locations  [ "<cell>", ... ]   the interactive hotspots' asserted cells (H3 hex or u64 decimal;
             duplicates = several hotspots in one cell)

Output:
  { "scales": { "<cell as given>": "0.1667", ... } }
  Cells coarser than resolution 11 are left out (Helium skips them; a beaconer missing from the map
  gets the default scale 0.2).

Exit: 0 on success, 2 on bad input.
`;

const command: Command = {
  name: 'density',
  summary: 'HIP-17 hex density scales of a list of cells (harness)',
  help,
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {}, true);
    if (positionals.length !== 1) throw new UsageError('expected exactly one input file (or - for stdin)');
    io.stdout(JSON.stringify(densityFromText(await io.readInput(positionals[0]), positionals[0]), null, 2) + '\n');
    return 0;
  },
};
export default command;
