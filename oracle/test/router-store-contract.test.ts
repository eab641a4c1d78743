/**
 * The router store's contract (oracle/src/store/router-store.ts), on PGlite and — with TEST_DATABASE_URL —
 * PostgreSQL: organizations, ranges and devices; DC credit up to the cap; DevNonces used once; JoinNonce
 * counting in 24 bits; DevAddr allocation; purchases (balances, monotonic counters, packets and DC shares
 * once per packet hash); the DC sums the rewarder and the network summary read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../src/store/sql.ts';
import {
  allocateDevAddr, claimDevNonce, creditDc, dcSharesBetween, dcSpentTotal, deleteSessionsOf, findOtaaDevice, insertDevice, insertJoinedSession, insertOrg,
  listOrgs, lockBalances, lockSessions, nextJoinNonce, orgExists, orgRanges, overlappingRange, readRouterSettledMs, recordPurchases, writeRouterSettledMs,
} from '../src/store/router-store.ts';
import { contractStores } from './helpers/contract-stores.ts';

const T = 1_764_000_000_000;
const KEY = '00112233445566778899aabbccddeeff';
const R0 = 0x4800_0000; // Helium NetID 0x24's DevAddr block (router/join-server.ts)

describe.each(contractStores('router_store'))('router store ($name)', ({ open }) => {
  let sql: Sql;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, cleanup } = await open());
    await sql.transaction(async (tx) => {
      await insertOrg(tx, { orgId: 'org-a', name: 'A', dcBalance: '100', nowMs: T, ranges: [[R0 + 8, R0 + 15], [R0, R0 + 1]] });
      await insertOrg(tx, { orgId: 'org-b', name: 'B', dcBalance: '0', nowMs: T, ranges: [[R0 + 16, R0 + 31]] });
      await insertDevice(tx, 'org-a', { devEui: 'AA00000000000001', joinEui: 'BB00000000000001', appKey: KEY.toUpperCase() }, T);
      await insertDevice(tx, 'org-a', { devAddr: '48000008', nwkSKey: KEY, appSKey: KEY, fCntUp: 5 }, T);
    });
  });
  afterAll(async () => {
    await sql?.close();
    await cleanup?.();
  });

  it('keeps organizations with their ranges (by start) and devices, hex ids lower-case', async () => {
    expect(await orgExists(sql, 'org-a')).toBe(true);
    expect(await orgExists(sql, 'org-z')).toBe(false);
    expect(await orgRanges(sql, 'org-a')).toEqual([[R0, R0 + 1], [R0 + 8, R0 + 15]]);
    expect(await overlappingRange(sql, R0 + 2, R0 + 7)).toBeNull();
    expect(await overlappingRange(sql, R0 + 20, R0 + 40)).toBe('org-b');
    // [R0+1, R0+20] overlaps org-a's [R0, R0+1] and [R0+8, R0+15] and org-b's [R0+16, R0+31]: the lowest range's organization
    expect(await overlappingRange(sql, R0 + 1, R0 + 20)).toBe('org-a');
    expect(await overlappingRange(sql, R0 + 12, R0 + 20)).toBe('org-a');
    expect(await findOtaaDevice(sql, 'aa00000000000001')).toEqual({ orgId: 'org-a', joinEui: 'bb00000000000001', appKey: KEY });
    expect(await findOtaaDevice(sql, 'aa00000000000002')).toBeNull();
    const [a] = await listOrgs(sql, 'org-a');
    expect(a).toEqual({
      orgId: 'org-a', name: 'A', dcBalance: '100',
      devAddrRanges: [{ start: '48000000', end: '48000001' }, { start: '48000008', end: '4800000f' }],
      devices: [
        { devEui: 'aa00000000000001', joinEui: 'bb00000000000001', devAddr: null, activation: 'otaa' },
        { devEui: null, joinEui: null, devAddr: '48000008', activation: 'abp' },
      ],
    });
    expect((await listOrgs(sql)).map((o) => o.orgId)).toEqual(['org-a', 'org-b']);
  });

  it('credits DC up to the cap and records the burn; an unknown organization gets nothing', async () => {
    const burn = { hntBones: '100000000', hntPrice: 359_000_000, nowMs: T };
    expect(await sql.transaction((tx) => creditDc(tx, { orgId: 'org-b', dcAdded: 50n, maxDc: 1000n, ...burn }))).toBe('50');
    // 50 + 951 = 1001 > 1000: refused, balance unchanged
    expect(await sql.transaction((tx) => creditDc(tx, { orgId: 'org-b', dcAdded: 951n, maxDc: 1000n, ...burn }))).toBeNull();
    expect(await sql.transaction((tx) => creditDc(tx, { orgId: 'org-z', dcAdded: 1n, maxDc: 1000n, ...burn }))).toBeNull();
    expect(await lockBalances(sql, ['org-b', 'org-z'])).toEqual(new Map([['org-b', 50n]]));
  });

  it('uses a DevNonce once per device, counts JoinNonces in 24 bits and allocates the lowest free DevAddr', async () => {
    expect(await claimDevNonce(sql, 'aa00000000000001', 7)).toBe(true);
    expect(await claimDevNonce(sql, 'aa00000000000001', 7)).toBe(false);
    expect(await claimDevNonce(sql, 'aa00000000000002', 7)).toBe(true);
    expect(await nextJoinNonce(sql, 'aa00000000000001')).toBe(1);
    expect(await nextJoinNonce(sql, 'aa00000000000001')).toBe(2);
    await sql.query("UPDATE router_devices SET join_nonce = 16777215 WHERE dev_eui = 'aa00000000000001'");
    expect(await nextJoinNonce(sql, 'aa00000000000001')).toBe(0); // (2^24 − 1 + 1) mod 2^24
    // org-a's ranges from the lowest start: 48000000 is free (48000008 is the ABP session's)
    expect(await allocateDevAddr(sql, 'org-a')).toBe('48000000');
    await insertJoinedSession(sql, { devAddr: '48000000', orgId: 'org-a', devEui: 'aa00000000000001', nwkSKey: KEY, appSKey: KEY, nowMs: T });
    expect(await allocateDevAddr(sql, 'org-a')).toBe('48000001');
    expect((await listOrgs(sql, 'org-a'))[0].devices[0]).toEqual({ devEui: 'aa00000000000001', joinEui: 'bb00000000000001', devAddr: '48000000', activation: 'otaa' });
    await deleteSessionsOf(sql, 'aa00000000000001');
    expect(await allocateDevAddr(sql, 'org-a')).toBe('48000000');
    expect(await allocateDevAddr(sql, 'org-z')).toBeNull();
  });

  it('records purchases: balances, counters only forward, each packet and share once; sums DC per hotspot', async () => {
    const before = await lockSessions(sql, ['48000008', 'ffffffff']);
    expect(before).toEqual([{ devAddr: '48000008', orgId: 'org-a', devEui: null, nwkSKey: KEY, appSKey: KEY, fCntUp: 5, fCntDown: 0 }]);
    const buy = (hash: string, fCnt: number, atMs: number, hotspots: string[]) =>
      sql.transaction(async (tx) => {
        const [s] = await lockSessions(tx, ['48000008']);
        const bal = (await lockBalances(tx, ['org-a'])).get('org-a')!;
        await recordPurchases(tx, {
          balances: new Map([['org-a', bal - 2n]]),
          counters: new Map([['48000008', { fCntUp: Math.max(s.fCntUp, fCnt + 1), fCntDown: s.fCntDown }]]),
          packets: [{ packetHash: hash, orgId: 'org-a', devAddr: '48000008', fCnt, payloadSize: 30, dcCharged: 2, receivedAtMs: atMs }],
          shares: hotspots.map((h) => ({ hotspot: h, dcs: 2, receivedAtMs: atMs, packetHash: hash })),
        });
      });
    await buy('p1', 5, T + 1000, ['h1', 'h2']);
    await buy('p2', 6, T + 2000, ['h2']);
    // p1 again (a second process's copy): balance and counter move, the packet and its shares are kept once
    await buy('p1', 5, T + 1000, ['h1', 'h2']);
    const [s] = await lockSessions(sql, ['48000008']);
    expect(s.fCntUp).toBe(7); // frames 5 and 6 seen: next expected 7
    expect(await lockBalances(sql, ['org-a'])).toEqual(new Map([['org-a', 94n]])); // 100 − 3 × 2
    expect(await dcSpentTotal(sql)).toBe(4n); // p1 and p2, 2 DC each
    // [T, T + 2000): p1 only — h1 2, h2 2; [T, T + 2001): h2 also p2's 2
    expect(await dcSharesBetween(sql, T, T + 2000)).toEqual(new Map([['h1', 2n], ['h2', 2n]]));
    expect([...(await dcSharesBetween(sql, T, T + 2001))]).toEqual([['h1', 2n], ['h2', 4n]]);
    expect(await dcSharesBetween(sql, T + 2001, T + 9000)).toEqual(new Map());
    // epoch [T, T + 300 000) paid: a share received in it still arriving moves to the paid end, counted
    await sql.query("INSERT INTO epochs (epoch, start_s, end_s, hash, hotspots, total_bones, manifest) VALUES (1, $1, $2, 'h', 0, 0, '{}'::jsonb)", [T / 1000, T / 1000 + 300]);
    let late = 0;
    await sql.transaction(async (tx) => {
      const bal = (await lockBalances(tx, ['org-a'])).get('org-a')!;
      await recordPurchases(tx, {
        balances: new Map([['org-a', bal - 2n]]), counters: new Map([['48000008', { fCntUp: 8, fCntDown: 0 }]]),
        packets: [{ packetHash: 'p3', orgId: 'org-a', devAddr: '48000008', fCnt: 7, payloadSize: 30, dcCharged: 2, receivedAtMs: T + 3000 }],
        shares: [{ hotspot: 'h1', dcs: 2, receivedAtMs: T + 3000, packetHash: 'p3' }, { hotspot: 'h3', dcs: 2, receivedAtMs: T + 300_000, packetHash: 'p3' }],
      }, (n) => (late += n));
    });
    expect(late).toBe(1); // h1's share at T + 3000 < the paid end; h3's at the end is in the next epoch already
    expect(await dcSharesBetween(sql, T + 300_000, T + 600_000)).toEqual(new Map([['h1', 2n], ['h3', 2n]]));
    // an empty purchase writes nothing
    await recordPurchases(sql, { balances: new Map(), counters: new Map(), packets: [], shares: [] });
    expect(await dcSpentTotal(sql)).toBe(6n);
  });

  it("shares the router owner's horizon", async () => {
    expect(await readRouterSettledMs(sql)).toBeNull();
    await writeRouterSettledMs(sql, T);
    await writeRouterSettledMs(sql, T + 1000);
    expect(await readRouterSettledMs(sql)).toBe(T + 1000);
  });
});
