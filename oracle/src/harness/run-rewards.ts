/** `oracle rewards`: one epoch's rewards from per-gateway shares (docs/harness.md "rewards"). */
import type { Static } from 'typebox';
import { computeEpochRewards } from '../rewards/index.ts';
import { parseInput } from './input.ts';
import { RewardsInputSchema } from './schemas.ts';
import { harnessParams } from './run-verify.ts';

export type RewardsInput = Static<typeof RewardsInputSchema>;
export interface RewardsOutput {
  gateways: Record<string, { beaconAmount: string; witnessAmount: string; dcTransferAmount: string }>;
  operations: string;
  oracles: string;
  unallocatedPoc: string;
}

export function runRewards(input: RewardsInput): RewardsOutput {
  const params = harnessParams(input.params);
  const result = computeEpochRewards(
    {
      epochEmissionsBones: BigInt(input.epochEmissionsBones),
      hntPrice: input.hntPrice,
      hntPriceDecimals: input.hntPriceDecimals,
      gateways: new Map(Object.entries(input.gateways)),
    },
    params,
  );
  const gateways: RewardsOutput['gateways'] = {};
  for (const id of [...result.gateways.keys()].sort()) {
    const a = result.gateways.get(id)!;
    gateways[id] = { beaconAmount: a.beaconAmount.toString(), witnessAmount: a.witnessAmount.toString(), dcTransferAmount: a.dcTransferAmount.toString() };
  }
  return { gateways, operations: result.operations.toString(), oracles: result.oracles.toString(), unallocatedPoc: result.unallocatedPoc.toString() };
}

export function rewardsFromText(text: string, what = 'epoch file'): RewardsOutput {
  return runRewards(parseInput(text, RewardsInputSchema, what));
}
