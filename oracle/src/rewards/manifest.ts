/**
 * Reward manifests: the epoch's result as canonical JSON (RFC 8785), SHA-256 chained to the previous
 * manifest and signed by the oracle's ed25519 key (DESIGN.md "A proof-of-coverage round" step 8; schema
 * RewardManifestSchema in shared/src/protocol/messages.ts). Helium writes `reward_manifest` per epoch
 * (spec §(d) "Output files"); the hash chain and signature are Hexium's.
 */
import { createHash } from 'node:crypto';
import { PROTOCOL_VERSION, RewardManifestSchema, validateMessage, type RewardManifest } from '@hexium/shared/protocol/index';
import { canonicalJson, signMessage, verifyMessage, type KeyPair } from '@hexium/shared/identity/index';
import type { EpochRewards } from './epoch-rewards.ts';

export interface BuildManifestInput {
  epoch: number;
  startS: number;
  endS: number;
  result: EpochRewards;
  epochEmissionsBones: bigint;
  hntPrice: number;
  hntPriceDecimals: number;
  /** Hash of the previous epoch's manifest, null for the first. */
  prevHash: string | null;
  oracleKey: KeyPair;
}

/** SHA-256 (hex) of the canonical JSON of the manifest without `hash` and `signature`. */
export function manifestHash(m: Omit<RewardManifest, 'hash' | 'signature'> & Partial<Pick<RewardManifest, 'hash' | 'signature'>>): string {
  const { hash: _h, signature: _s, ...rest } = m;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

const byAddress = (a: { hotspot: string }, b: { hotspot: string }) => (a.hotspot < b.hotspot ? -1 : a.hotspot > b.hotspot ? 1 : 0);

export function buildManifest(input: BuildManifestInput): RewardManifest {
  const { result } = input;
  const rewards = [...result.gateways]
    .map(([hotspot, a]) => ({
      hotspot,
      beaconAmount: a.beaconAmount.toString(),
      witnessAmount: a.witnessAmount.toString(),
      dcTransferAmount: a.dcTransferAmount.toString(),
    }))
    .sort(byAddress);
  const body = {
    v: PROTOCOL_VERSION as typeof PROTOCOL_VERSION,
    epoch: input.epoch,
    startS: input.startS,
    endS: input.endS,
    epochEmissionsBones: input.epochEmissionsBones.toString(),
    hntPrice: input.hntPrice,
    hntPriceDecimals: input.hntPriceDecimals,
    perShare: { ...result.perShare },
    rewards,
    operations: result.operations.toString(),
    oracles: result.oracles.toString(),
    unallocatedPoc: result.unallocatedPoc.toString(),
    prevHash: input.prevHash,
    oracle: input.oracleKey.address,
  };
  const withHash = { ...body, hash: manifestHash(body) };
  return signMessage(withHash, input.oracleKey) as RewardManifest;
}

export interface ManifestCheck {
  valid: boolean;
  errors: string[];
}

/** Check one manifest: schema, hash, signature by `oracle`, rewards sorted and unique, total ≤ emission. */
export function verifyManifest(m: unknown): ManifestCheck {
  const v = validateMessage(RewardManifestSchema, m);
  if (!v.ok) return { valid: false, errors: v.errors.map((e) => `schema ${e}`) };
  const manifest = v.value;
  const errors: string[] = [];
  const expected = manifestHash(manifest);
  if (expected !== manifest.hash) errors.push(`hash mismatch: stored ${manifest.hash}, computed ${expected}`);
  if (!verifyMessage(manifest as unknown as Record<string, unknown>, manifest.oracle)) errors.push(`bad signature for oracle ${manifest.oracle}`);
  for (let i = 1; i < manifest.rewards.length; i++) {
    if (byAddress(manifest.rewards[i - 1], manifest.rewards[i]) >= 0) {
      errors.push(`rewards not sorted by hotspot (or duplicated) at index ${i}`);
      break;
    }
  }
  let total = BigInt(manifest.operations) + BigInt(manifest.oracles) + BigInt(manifest.unallocatedPoc);
  for (const r of manifest.rewards) total += BigInt(r.beaconAmount) + BigInt(r.witnessAmount) + BigInt(r.dcTransferAmount);
  if (total > BigInt(manifest.epochEmissionsBones)) errors.push(`amounts total ${total} bones, more than the emission ${manifest.epochEmissionsBones}`);
  if (manifest.endS <= manifest.startS) errors.push(`endS ${manifest.endS} is not after startS ${manifest.startS}`);
  return { valid: errors.length === 0, errors };
}

/**
 * Check a chain: every manifest on its own, then in epoch order — consecutive epochs, each `prevHash`
 * equal to the previous `hash`, each `startS` equal to the previous `endS`. Errors name the epoch.
 */
export function verifyManifestChain(manifests: unknown[]): ManifestCheck {
  const errors: string[] = [];
  const good: RewardManifest[] = [];
  manifests.forEach((m, i) => {
    const r = verifyManifest(m);
    const label = typeof (m as RewardManifest)?.epoch === 'number' ? `epoch ${(m as RewardManifest).epoch}` : `manifest #${i}`;
    errors.push(...r.errors.map((e) => `${label}: ${e}`));
    if (validateMessage(RewardManifestSchema, m).ok) good.push(m as RewardManifest);
  });
  good.sort((a, b) => a.epoch - b.epoch);
  for (let i = 1; i < good.length; i++) {
    const prev = good[i - 1];
    const cur = good[i];
    if (cur.epoch === prev.epoch) errors.push(`epoch ${cur.epoch}: appears more than once`);
    else if (cur.epoch !== prev.epoch + 1) errors.push(`epoch ${cur.epoch}: gap after epoch ${prev.epoch}`);
    if (cur.prevHash !== prev.hash) errors.push(`epoch ${cur.epoch}: prevHash ${cur.prevHash} does not match epoch ${prev.epoch}'s hash ${prev.hash}`);
    if (cur.startS !== prev.endS) errors.push(`epoch ${cur.epoch}: startS ${cur.startS} does not follow epoch ${prev.epoch}'s endS ${prev.endS}`);
  }
  return { valid: errors.length === 0, errors };
}
