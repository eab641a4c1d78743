/**
 * Epoch rewards (oracles iot_verifier/src/reward_share.rs, rewarder.rs; spec §(d)): the emission E is
 * split 6 % beacons, 24 % witnesses, 50 % data transfer, 7 % operations, 7 % oracles. Data credits are
 * valued at $0.00001 per DC (rounded UP at 15 dp), paid up to the 50 % cap; the unused part goes 20/80 to
 * beacons/witnesses. Per-share rates are rounded to 15 dp (banker's); each gateway gets the floor of
 * rate × shares. The oracles' 7 % is all unallocated (burned, HIP-138); rounding dust is unallocated PoC.
 * Token amounts are bigint bones.
 */
import type { NetworkParams } from '@hexium/shared/params/index';
import { Dec, decString } from '../poc/decimal.ts';
import { toFixed, rescale, pow10, type Fixed } from './fixed-point.ts';

type DecLike = string | InstanceType<typeof Dec>;

export interface GatewayShares {
  beaconShares: DecLike;
  witnessShares: DecLike;
  dcShares: DecLike;
}

export interface EpochRewardsInput {
  epochEmissionsBones: bigint;
  /** HNT price oracle value, USD × 10^hntPriceDecimals. */
  hntPrice: number | bigint;
  hntPriceDecimals: number;
  gateways: Map<string, GatewayShares>;
}

export interface GatewayAmounts {
  beaconAmount: bigint;
  witnessAmount: bigint;
  dcTransferAmount: bigint;
}

export interface EpochRewards {
  /** Gateways with at least one non-zero amount. */
  gateways: Map<string, GatewayAmounts>;
  operations: bigint;
  /** The oracles' share, written as unallocated (type oracle). */
  oracles: bigint;
  unallocatedPoc: bigint;
  /** Bones per share, 15 dp, decimal strings. */
  perShare: { beacon: string; witness: string; dc: string };
}

/** HNT has 8 decimals: 1 HNT = 10^8 bones (reward_share.rs `PriceInfo`, token decimals). */
const BONES_PER_HNT = new Dec(100_000_000);
/** reward_share.rs: per-share rates are rounded to 15 dp, banker's. */
const PER_SHARE_DP = 15;

/** round_dp(15) banker's of total / shares, or 0 without shares (reward_share.rs `get_scheduled_tokens` / per-share). */
function perShare(total: InstanceType<typeof Dec>, sumShares: InstanceType<typeof Dec>) {
  return sumShares.isZero() ? new Dec(0) : total.div(sumShares).toDecimalPlaces(PER_SHARE_DP, Dec.ROUND_HALF_EVEN);
}

/** floor(rate × shares) in bones, exact: rate has ≤ 15 dp. */
function amount(rate: Fixed, shares: Fixed): bigint {
  if (rate.int === 0n || shares.int === 0n) return 0n;
  return (rate.int * shares.int) / pow10(rate.scale + shares.scale);
}

export function computeEpochRewards(input: EpochRewardsInput, params: NetworkParams): EpochRewards {
  const split = params.rewardSplit;
  const e = new Dec(input.epochEmissionsBones.toString());
  const parsed = [...input.gateways].map(([id, g]) => ({ id, b: toFixed(g.beaconShares), w: toFixed(g.witnessShares), d: toFixed(g.dcShares) }));
  const sum = (pick: (x: (typeof parsed)[number]) => Fixed) => {
    const scale = parsed.reduce((m, x) => Math.max(m, pick(x).scale), 0);
    const total = parsed.reduce((acc, x) => acc + rescale(pick(x), scale), 0n);
    return new Dec(total.toString()).div(pow10(scale).toString());
  };
  const totalBeacon = sum((x) => x.b);
  const totalWitness = sum((x) => x.w);
  const totalDc = sum((x) => x.d);

  // Data transfer: DC → bones at the $/DC peg, rounded up at 15 dp (reward_share.rs `dc_to_hnt_bones`).
  const pricePerBone = new Dec(input.hntPrice.toString()).div(new Dec(10).pow(input.hntPriceDecimals)).div(BONES_PER_HNT);
  const dcValueBones = totalDc.times(params.dcUsdPrice).div(pricePerBone).toDecimalPlaces(PER_SHARE_DP, Dec.ROUND_UP);
  const cap = e.times(split.dataTransfer); // 50 % of E
  const dcPaid = dcValueBones.lte(cap) ? dcValueBones : cap;
  const unused = cap.minus(dcPaid); // 0 when capped
  const beaconTotal = e.times(split.beacons).plus(unused.times(split.unusedToBeacons));
  const witnessTotal = e.times(split.witnesses).plus(unused.times(new Dec(1).minus(split.unusedToBeacons)));

  const rates = {
    beacon: perShare(beaconTotal, totalBeacon),
    witness: perShare(witnessTotal, totalWitness),
    dc: perShare(dcPaid, totalDc),
  };
  const fixedRates = { beacon: toFixed(rates.beacon), witness: toFixed(rates.witness), dc: toFixed(rates.dc) };

  const gateways = new Map<string, GatewayAmounts>();
  let allocated = 0n;
  for (const x of parsed) {
    const a = { beaconAmount: amount(fixedRates.beacon, x.b), witnessAmount: amount(fixedRates.witness, x.w), dcTransferAmount: amount(fixedRates.dc, x.d) };
    const total = a.beaconAmount + a.witnessAmount + a.dcTransferAmount;
    if (total > 0n) {
      gateways.set(x.id, a);
      allocated += total;
    }
  }
  const floorBig = (x: InstanceType<typeof Dec>) => BigInt(x.floor().toFixed());
  const pocAndDc = e.times(split.beacons).plus(e.times(split.witnesses)).plus(cap); // 0.80·E
  const dust = floorBig(pocAndDc.minus(allocated.toString()));
  return {
    gateways,
    operations: floorBig(e.times(split.operations)),
    oracles: floorBig(e.times(split.oracles)),
    unallocatedPoc: dust > 0n ? dust : 0n,
    perShare: { beacon: decString(rates.beacon), witness: decString(rates.witness), dc: decString(rates.dc) },
  };
}
