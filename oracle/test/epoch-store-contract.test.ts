/**
 * The epoch store's contract (oracle/src/store/epoch-store.ts), on PGlite and — with TEST_DATABASE_URL —
 * PostgreSQL: epoch length and first epoch pinned once, PoC shares summed per hotspot and kind over an
 * epoch's reward window, an epoch paid once, manifests chained and read back, a hotspot's payouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { resolveParams } from '@hexium/shared/params/index';
import type { RewardManifest } from '@hexium/shared/protocol/index';
import { buildManifest, computeEpochRewards, verifyManifestChain, type GatewayShares } from '../src/rewards/index.ts';
import type { Sql } from '../src/store/sql.ts';
import {
  epochHash, hotspotRewards, insertEpoch, lastPaidEndS, latestEpoch, listEpochs, loadManifest, manifestsAfter, pinEpochLength, pinFirstEpoch, publishedEpoch,
  setPublishedEpoch, sumPocShares,
} from '../src/store/epoch-store.ts';
import { manifestTotalBones } from '../src/workers/rewarder.ts';
import { contractStores } from './helpers/contract-stores.ts';

const params = resolveParams('demo');
const key = keyPairFromSeed(Buffer.alloc(32, 7));
const A = keyPairFromSeed(Buffer.alloc(32, 1)).address;
const B = keyPairFromSeed(Buffer.alloc(32, 2)).address;
const E = 5_880_000; // demo epochs are 300 s: epoch E spans [E·300 s, (E+1)·300 s)

function manifest(epoch: number, prevHash: string | null, gateways: Record<string, Partial<GatewayShares>>): RewardManifest {
  const g = new Map(Object.entries(gateways).map(([a, s]) => [a, { beaconShares: '0', witnessShares: '0', dcShares: '0', ...s }]));
  const result = computeEpochRewards({ epochEmissionsBones: BigInt(params.epochEmissionsBones), hntPrice: params.hntPrice, hntPriceDecimals: params.hntPriceDecimals, gateways: g }, params);
  return buildManifest({
    epoch, startS: epoch * 300, endS: (epoch + 1) * 300, result, epochEmissionsBones: BigInt(params.epochEmissionsBones),
    hntPrice: params.hntPrice, hntPriceDecimals: params.hntPriceDecimals, prevHash, oracleKey: key,
  });
}

describe.each(contractStores('epoch_store'))('epoch store ($name)', ({ open }) => {
  let sql: Sql;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, cleanup } = await open());
  });
  afterAll(async () => {
    await sql?.close();
    await cleanup?.();
  });

  it('pins the epoch length and the first epoch at the first start; later values do not move them', async () => {
    expect(await pinEpochLength(sql, 300)).toBe(300);
    expect(await pinEpochLength(sql, 600)).toBe(300);
    expect(await pinFirstEpoch(sql, E)).toBe(E);
    expect(await pinFirstEpoch(sql, E + 2)).toBe(E);
  });

  it('sums PoC shares per hotspot and kind over start < reward time ≤ end, in (hotspot, kind) order', async () => {
    const start = E * 300_000;
    const end = (E + 1) * 300_000;
    const shares: [string, string, string, string, number][] = [
      ['p0', 'a', 'beacon', '5', start], // at the start: the previous epoch's
      ['p1', 'a', 'beacon', '0.1', start + 1000],
      ['p2', 'a', 'beacon', '0.25', start + 2000],
      ['p1', 'b', 'witness', '0.2', start + 1000],
      ['p3', 'b', 'witness', '0.3', end], // at the end: this epoch's
      ['p3', 'a', 'witness', '0.125', end],
      ['p4', 'b', 'witness', '7', end + 1], // the next epoch's
    ];
    for (const s of shares) await sql.query('INSERT INTO poc_shares (poc_id, hotspot, kind, share, reward_at_ms) VALUES ($1,$2,$3,$4,$5)', s);
    // a beacon 0.1 + 0.25 = 0.35; a witness 0.125; b witness 0.2 + 0.3 = 0.5
    expect(await sumPocShares(sql, start, end)).toEqual([
      { hotspot: 'a', kind: 'beacon', total: '0.35' },
      { hotspot: 'a', kind: 'witness', total: '0.125' },
      { hotspot: 'b', kind: 'witness', total: '0.5' },
    ]);
    expect(await sumPocShares(sql, end + 300_000, end + 600_000)).toEqual([]);
  });

  it('pays an epoch once, chains the next to it and reads them back', async () => {
    expect(await latestEpoch(sql)).toBeNull();
    expect(await lastPaidEndS(sql)).toBeNull();
    const m1 = manifest(E, null, { [A]: { beaconShares: '0.35', witnessShares: '0.125' }, [B]: { witnessShares: '0.5' } });
    const m2 = manifest(E + 1, m1.hash, { [B]: { beaconShares: '1' } });
    expect(await insertEpoch(sql, m1, manifestTotalBones(m1).toString())).toBe(true);
    expect(await insertEpoch(sql, m1, manifestTotalBones(m1).toString())).toBe(false);
    expect(await insertEpoch(sql, m2, manifestTotalBones(m2).toString())).toBe(true);
    expect(await latestEpoch(sql)).toEqual({ epoch: E + 1, hash: m2.hash, totalBones: manifestTotalBones(m2).toString() });
    expect(await lastPaidEndS(sql)).toBe((E + 2) * 300);
    expect(await epochHash(sql, E)).toBe(m2.prevHash);
    expect(await epochHash(sql, E - 1)).toBeNull();
    expect(await loadManifest(sql, E)).toEqual(m1);
    expect(await loadManifest(sql, E + 5)).toBeNull();
    const after = await manifestsAfter(sql, E - 1);
    expect(after.map((m) => m.epoch)).toEqual([E, E + 1]);
    expect(verifyManifestChain(after).errors).toEqual([]);
    expect((await listEpochs(sql, 1)).map((x) => [x.epoch, x.hotspots])).toEqual([[E + 1, 1]]);
    expect((await listEpochs(sql, 10)).map((x) => [x.epoch, x.hotspots, x.totalBones])).toEqual([
      [E + 1, 1, manifestTotalBones(m2).toString()],
      [E, 2, manifestTotalBones(m1).toString()],
    ]);
    // b's payouts, newest epoch first; total = beacon + witness + data transfer
    const b1 = m1.rewards.find((r) => r.hotspot === B)!;
    const b2 = m2.rewards.find((r) => r.hotspot === B)!;
    const total = (r: typeof b1) => (BigInt(r.beaconAmount) + BigInt(r.witnessAmount) + BigInt(r.dcTransferAmount)).toString();
    expect(await hotspotRewards(sql, B, 100)).toEqual([
      { epoch: E + 1, beaconAmount: b2.beaconAmount, witnessAmount: b2.witnessAmount, dcTransferAmount: b2.dcTransferAmount, total: total(b2) },
      { epoch: E, beaconAmount: b1.beaconAmount, witnessAmount: b1.witnessAmount, dcTransferAmount: b1.dcTransferAmount, total: total(b1) },
    ]);
    expect(await hotspotRewards(sql, B, 1)).toHaveLength(1);
    expect(await hotspotRewards(sql, 'nobody', 100)).toEqual([]);
  });

  it('records the last published epoch', async () => {
    expect(await publishedEpoch(sql)).toBeNull();
    await setPublishedEpoch(sql, E);
    await setPublishedEpoch(sql, E + 1);
    expect(await publishedEpoch(sql)).toBe(E + 1);
  });
});
