/** `oracle rewards <epoch.json|->`: one epoch's rewards from shares (harness; format in docs/harness.md). */
import { parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { rewardsFromText } from '../harness/run-rewards.ts';

const help = `Usage: oracle rewards <epoch.json | ->

Split one epoch's emission exactly as Helium's IoT rewarder did: beacons 6 %, witnesses 24 %,
data transfer 50 % (DC at $0.00001, capped; unused part 20/80 to beacons/witnesses), operations 7 %,
oracles 7 % (unallocated); 15 dp banker's per-share rates, floor per gateway, dust = unallocated PoC.

Input (JSON file, or - for stdin):
  params?              "helium" | "demo" | { overrides }   (only rewardSplit and dcUsdPrice matter)
  epochEmissionsBones  "205479452054"   integer bones (1 HNT = 10^8 bones), as a string
  hntPrice             359000000        USD × 10^hntPriceDecimals (the HNT price oracle value)
  hntPriceDecimals     8
  gateways             { "<id>": { "beaconShares": "1.2", "witnessShares": "3.04", "dcShares": "502" } }
                       shares are decimal strings (scale × reward unit summed over the epoch; DC)

Output (amounts are integer bones as strings):
  { "gateways": { "<id>": { beaconAmount, witnessAmount, dcTransferAmount } },
    "operations", "oracles", "unallocatedPoc" }
  Gateways whose three amounts are all 0 are left out.

Exit: 0 on success, 2 on bad input.
`;

const command: Command = {
  name: 'rewards',
  summary: "compute one epoch's rewards from shares (harness)",
  help,
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {}, true);
    if (positionals.length !== 1) throw new UsageError('expected exactly one input file (or - for stdin)');
    io.stdout(JSON.stringify(rewardsFromText(await io.readInput(positionals[0]), positionals[0]), null, 2) + '\n');
    return 0;
  },
};
export default command;
