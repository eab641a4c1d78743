import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { keyPairFromSeed, verifyMessage } from '@hexium/shared/identity/index';
import { HELIUM_PARAMS } from '@hexium/shared/params/index';
import type { RewardManifest } from '@hexium/shared/protocol/index';
import { computeEpochRewards } from './epoch-rewards.ts';
import { buildManifest, verifyManifest, verifyManifestChain } from './manifest.ts';

const ORACLE = keyPairFromSeed(new Uint8Array(32).fill(200));
const MALLORY = keyPairFromSeed(new Uint8Array(32).fill(201));
const HOTSPOTS = [1, 2, 3].map((n) => keyPairFromSeed(new Uint8Array(32).fill(n)).address);
const DAY = 86_400;

function manifestFor(epoch: number, prevHash: string | null, key = ORACLE): RewardManifest {
  const gateways = new Map(HOTSPOTS.map((h, i) => [h, { beaconShares: String(i + 1), witnessShares: String(3 - i), dcShares: String(100 * i) }]));
  const result = computeEpochRewards({ epochEmissionsBones: 1_000_000_000n, hntPrice: 359_000_000, hntPriceDecimals: 8, gateways }, HELIUM_PARAMS);
  return buildManifest({ epoch, startS: epoch * DAY, endS: (epoch + 1) * DAY, result, epochEmissionsBones: 1_000_000_000n, hntPrice: 359_000_000, hntPriceDecimals: 8, prevHash, oracleKey: key });
}
function chain(n: number, first = 20_000): RewardManifest[] {
  const out: RewardManifest[] = [];
  for (let i = 0; i < n; i++) out.push(manifestFor(first + i, out.length ? out[out.length - 1].hash : null));
  return out;
}

describe('reward manifests', () => {
  it('hash the canonical JSON without hash and signature, and are signed by the oracle key', () => {
    const m = manifestFor(20_000, null);
    const { hash, signature: _s, ...rest } = m;
    const expected = createHash('sha256').update((canonicalize as unknown as (v: unknown) => string)(rest)).digest('hex');
    expect(hash).toBe(expected);
    expect(m.oracle).toBe(ORACLE.address);
    expect(verifyMessage(m as unknown as Record<string, unknown>, ORACLE.address)).toBe(true);
    expect(verifyManifest(m)).toEqual({ valid: true, errors: [] });
  });

  it('list rewards sorted by hotspot address', () => {
    const m = manifestFor(20_000, null);
    const hotspots = m.rewards.map((r) => r.hotspot);
    expect(hotspots).toEqual([...HOTSPOTS].sort());
  });

  it('detect a changed amount as a hash mismatch', () => {
    const m = manifestFor(20_000, null);
    const forged = { ...m, operations: String(BigInt(m.operations) + 1n) };
    expect(verifyManifest(forged).errors.some((e) => e.startsWith('hash mismatch'))).toBe(true);
  });

  it('detect a manifest re-hashed and signed by another key than its oracle', () => {
    const m = manifestFor(20_000, null, MALLORY);
    const claimed = { ...m, oracle: ORACLE.address };
    const r = verifyManifest(claimed);
    expect(r.valid).toBe(false);
    expect(r.errors.join('\n')).toMatch(/hash mismatch|bad signature/);
  });

  it('reject a manifest that does not match the schema, naming the field', () => {
    const m = manifestFor(20_000, null) as unknown as Record<string, unknown>;
    const r = verifyManifest({ ...m, operations: -5 });
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toContain('/operations');
  });

  it('accept a chain of consecutive epochs in any order', () => {
    const c = chain(3);
    expect(verifyManifestChain([c[2], c[0], c[1]])).toEqual({ valid: true, errors: [] });
  });

  it('report a broken prevHash link, a gap and a repeated epoch', () => {
    const c = chain(3);
    const unlinked = manifestFor(20_001, 'ab'.repeat(32));
    expect(verifyManifestChain([c[0], unlinked]).errors).toEqual([
      `epoch 20001: prevHash ${'ab'.repeat(32)} does not match epoch 20000's hash ${c[0].hash}`,
    ]);
    expect(verifyManifestChain([c[0], c[2]]).errors.some((e) => e.includes('gap after epoch 20000'))).toBe(true);
    expect(verifyManifestChain([c[0], c[0]]).errors.some((e) => e.includes('appears more than once'))).toBe(true);
  });
});
