/** `oracle verify <round.json|->`: verify one PoC round (harness; format in docs/harness.md). */
import { parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { verifyFromText } from '../harness/run-verify.ts';

const help = `Usage: oracle verify <round.json | ->

Verify one proof-of-coverage round exactly as Helium's IoT verifier did (beacon and witness checks,
HIP-106 reciprocity, HIP-83 selection, HIP-15 units, HIP-17 scale) and print one JSON object.

Input (JSON file, or - for stdin):
  params?        "helium" | "demo" | { overrides of NetworkParams }        (default "helium")
  regionParams?  { "<region>": [ { channelFrequencyHz, bandwidthHz, maxEirpDbm,
                     spreading: [ { sf, maxPacketSize } ] } ] }           (merged over Helium's own)
  hotspots       [ { address, location (H3 hex | u64 decimal | null = not asserted),
                     region (e.g. "EU868" | null), gainDbi, elevationM?, fullHotspot } ]
  denyList?      { addresses?: [address], edges?: [[address, address]] }   (edges are undirected)
  entropy        [ { dataHex (32 bytes), timestampS, version } ]
  history?       { "<address>": { lastBeaconAtMs?, lastWitnessAtMs?, lastBeaconReciprocityAtMs? } }
  hexScales?     { "<cell>": "0.5" }   (absent: the HIP-17 map of the given hotspots)
  beacon         { address, localEntropyHex, remoteEntropyHex, dataHex, frequencyHz, dataRate,
                   txPowerDbm, channel?, tmst?, receivedAtMs }
  witnesses      [ { address, dataHex, rssiDbm, snrDb?, frequencyHz, dataRate?, tmst?, receivedAtMs } ]

Output:
  { "beacon": { status, reason, hexScale, rewardUnit },
    "witnesses": [ { address, receivedAtMs, status, reason, selected, hexScale, rewardUnit } ] }
  Witnesses are in input order; self witnesses are listed with reason "self_witness".
  Reasons are Helium's invalid_reason names (gateway_not_found, not_asserted, denied, ...).

Exit: 0 on a verdict (valid or not), 2 on bad input (the message names the JSON path).
See docs/harness.md for a worked example.
`;

const command: Command = {
  name: 'verify',
  summary: 'verify one PoC round from a JSON file (harness)',
  help,
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {}, true);
    if (positionals.length !== 1) throw new UsageError('expected exactly one input file (or - for stdin)');
    const output = verifyFromText(await io.readInput(positionals[0]), positionals[0]);
    io.stdout(JSON.stringify(output, null, 2) + '\n');
    return 0;
  },
};
export default command;
