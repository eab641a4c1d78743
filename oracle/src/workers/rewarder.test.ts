import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { resolveParams } from '@hexium/shared/params/index';
import { topics } from '@hexium/shared/protocol/index';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { ManualClock } from '../../test/helpers/manual-clock.ts';
import { createMetrics } from '../metrics.ts';
import { OracleEvents } from '../events/oracle-events.ts';
import { createRewarder, epochDataComplete } from './rewarder.ts';
import { setPublishedEpoch } from '../store/epoch-store.ts';
import { createRoundStore } from '../store/round-store.ts';
import type { PocResult } from '@hexium/shared/protocol/index';

function rewarderAt(nowMs: number) {
  return createRewarder({
    sql: null as never, clock: new ManualClock(nowMs), params: resolveParams('demo'), topics: topics('hexium'), bus: () => null as never,
    events: new OracleEvents(), metrics: createMetrics(), logger: pino({ level: 'silent' }), oracleKey: keyPairFromSeed(Buffer.alloc(32, 1)),
    dcShares: async () => new Map(),
  });
}

describe('rewarder schedule (demo: epochLengthS 300, rewardOffsetS 20)', () => {
  it('waits until the current epoch end + offset', () => {
    // now = epoch start + 100 s → due at start + 300 + 20 s → 220 000 ms away
    expect(rewarderAt(1_764_000_100_000).nextDelayMs()).toBe(220_000);
  });
  it('between an epoch end and its payment time, waits for that payment', () => {
    // now = start + 305 s (epoch just ended) → the previous epoch is due at start + 320 s → 15 000 ms
    expect(rewarderAt(1_764_000_305_000).nextDelayMs()).toBe(15_000);
  });
  it('right at a payment time, waits a whole epoch for the next one', () => {
    expect(rewarderAt(1_764_000_320_000).nextDelayMs()).toBe(300_000);
  });
});

describe('rewarder catch-up and republish (issue 14)', () => {
  it('yields to the event loop once per epoch of a catch-up, and republishes every manifest after the last published one', async () => {
    const { openPglite } = await import('../store/pglite-sql.ts');
    const { migrate } = await import('../store/migrate.ts');
    const sql = await openPglite('memory://');
    await migrate(sql);
    const T0 = 1_764_000_000_000; // start of demo epoch 1 764 000 000 / 300 = 5 880 000
    const clock = new ManualClock(T0);
    const published: number[] = [];
    const r = createRewarder({
      sql, clock, params: resolveParams('demo'), topics: topics('hexium'),
      bus: () => ({ publish: async (_t: string, p: string | Buffer) => void published.push(JSON.parse(String(p)).epoch) }) as never,
      events: new OracleEvents(), metrics: createMetrics(), logger: pino({ level: 'silent' }), oracleKey: keyPairFromSeed(Buffer.alloc(32, 1)),
      dcShares: async () => new Map(),
    });
    try {
      await r.firstEpoch();
      // the verifier has settled every beacon (the rewarder waits for it)
      await sql.query("INSERT INTO verifier_state (id, checkpoint_ms, owner, beacons_settled_ms) VALUES (1, 0, 'test', 9e15)");
      // 40 epochs later + the 20 s offset: epochs 5 880 000 … 5 880 039 are due
      await clock.advance(40 * 300_000 + 20_000);
      let turns = 0;
      let done = false;
      const paying = r.payDue().finally(() => (done = true));
      while (!done) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turns++;
      }
      const paid = await paying;
      expect(paid.map((m) => m.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => 5_880_000 + i));
      // one yield after each epoch: the loop above got at least one turn per epoch
      expect(turns).toBeGreaterThanOrEqual(40);
      // a publish cut off after epoch 5 880 010: epochs 11 … 39 go out again, in order
      await setPublishedEpoch(sql, 5880010);
      published.length = 0;
      expect(await r.republish()).toEqual(Array.from({ length: 29 }, (_, i) => 5_880_011 + i));
      expect(published).toEqual(Array.from({ length: 29 }, (_, i) => 5_880_011 + i));
      // all published: only the newest goes out again (the retained message)
      expect(await r.republish()).toEqual([5_880_039]);
      // a running oracle catches up too: the next payDue (nothing new due) publishes what was cut off
      await setPublishedEpoch(sql, 5880030);
      published.length = 0;
      expect(await r.payDue()).toEqual([]);
      expect(published).toEqual(Array.from({ length: 9 }, (_, i) => 5_880_031 + i));
    } finally {
      await sql.close();
    }
  });
});

describe('rewarder waits for the verifier and the router (issue 12)', () => {
  // demo epoch 5 880 000 covers [1 764 000 000 000, 1 764 000 300 000) ms; PoC shares count when
  // start < reward_at_ms ≤ end, DC shares when start ≤ received_at_ms < end (spec §(d)).
  const END = 1_764_000_300_000;

  it('needs the beacon horizon past the end (a beacon received at the end itself counts) and the router horizon at the end', () => {
    expect(epochDataComplete(END, END, END)).toBe(false); // a beacon received at END may still be pending
    expect(epochDataComplete(END, END + 1, END)).toBe(true);
    expect(epochDataComplete(END, END + 1, END - 1)).toBe(false); // a copy received at END − 1 ms may still be in its window
    expect(epochDataComplete(END, END + 1, undefined)).toBe(true); // no router: no DC shares to wait for
    expect(epochDataComplete(END, END + 1, null)).toBe(false); // a router that never recorded its horizon
    expect(epochDataComplete(END, null, END)).toBe(false); // the verifier never ran
  });

  async function setup() {
    const { openPglite } = await import('../store/pglite-sql.ts');
    const { migrate } = await import('../store/migrate.ts');
    const sql = await openPglite('memory://');
    await migrate(sql);
    const clock = new ManualClock(END - 300_000);
    const metrics = createMetrics();
    let dcMs: number | null = END - 1;
    const r = createRewarder({
      sql, clock, params: resolveParams('demo'), topics: topics('hexium'), bus: () => ({ publish: async () => undefined }) as never,
      events: new OracleEvents(), metrics, logger: pino({ level: 'silent' }), oracleKey: keyPairFromSeed(Buffer.alloc(32, 1)),
      dcShares: async () => new Map(), dcSettledMs: async () => dcMs,
    });
    await r.firstEpoch();
    const verifierAt = (ms: number) =>
      sql.query("INSERT INTO verifier_state (id, checkpoint_ms, owner, beacons_settled_ms) VALUES (1, $1, 'v', $1) ON CONFLICT (id) DO UPDATE SET beacons_settled_ms = $1", [ms]);
    const heldGauge = async () => (await metrics.registry.getSingleMetric('hexium_rewarder_held_back_epoch')!.get()).values[0].value;
    return { sql, clock, r, verifierAt, heldGauge, setDc: (ms: number) => void (dcMs = ms) };
  }

  /** A round whose beacon was received at `atMs`, with one beacon share of 1 for `hotspot`. */
  function round(pocId: string, hotspot: string, atMs: number) {
    const result = { pocId, beaconer: hotspot, beacon: { status: 'valid' }, receivedAtMs: atMs, verifiedAtMs: atMs, witnesses: [] } as unknown as PocResult;
    return { result, shares: { beacon: { hotspot, share: '1' }, witnesses: [] } };
  }
  const A = keyPairFromSeed(Buffer.alloc(32, 2)).address;
  const B = keyPairFromSeed(Buffer.alloc(32, 3)).address;

  it('holds an epoch back until both horizons pass its end, retrying one verifier poll later', async () => {
    const { sql, clock, r, verifierAt, heldGauge, setDc } = await setup();
    try {
      await clock.advance(300_000 + 20_000); // END + rewardOffsetS 20 s: epoch 5 880 000 is due
      // the verifier is 5 s behind the end (a loaded machine): nothing is paid
      await verifierAt(END - 5_000);
      expect(await r.payDue()).toEqual([]);
      expect(await heldGauge()).toBe(5_880_000);
      // retry after one verifier poll (demo verifierPollMs 2 000 ms), not at the next epoch's payment time
      expect(r.nextDelayMs()).toBe(2_000);
      // the round of a beacon received exactly at the end is stored now: it belongs to this epoch
      await sql.transaction((tx) => createRoundStore().insertRounds(tx, [round('late-at-end', A, END)]));
      await verifierAt(END + 1);
      // the router still has a copy received 1 ms before the end in its de-dup window
      expect(await r.payDue()).toEqual([]);
      setDc(END);
      const [m] = await r.payDue();
      expect(m.epoch).toBe(5_880_000);
      // the share stored while the epoch was held back (reward time = END, the inclusive end) is paid in it
      expect(m.rewards.map((x) => x.hotspot)).toEqual([A]);
      expect(await heldGauge()).toBe(0);
      // back on schedule: now = END + 20 s, the next epoch is paid at END + 300 s + 20 s
      expect(r.nextDelayMs()).toBe(300_000);
    } finally {
      await sql.close();
    }
  });

  it('moves a share that still arrives for a paid epoch to the next unpaid one, counted, without changing the paid hash', async () => {
    const { sql, clock, r, verifierAt, setDc } = await setup();
    try {
      await clock.advance(300_000 + 20_000);
      await verifierAt(END + 1);
      setDc(END);
      await sql.transaction((tx) => createRoundStore().insertRounds(tx, [round('p1', A, END - 10_000)]));
      const [first] = await r.payDue();
      expect(first.rewards.map((x) => x.hotspot)).toEqual([A]);
      // a fault: a round of epoch 5 880 000 (beacon at END − 1 s) is stored after that epoch was paid
      let late = 0;
      await sql.transaction((tx) => createRoundStore().insertRounds(tx, [round('p2', B, END - 1_000)], (n) => (late += n)));
      expect(late).toBe(1);
      // its share now counts 1 ms after the paid end: the first instant of the next epoch's (start, end]
      expect((await sql.query("SELECT reward_at_ms::text AS t FROM poc_shares WHERE poc_id = 'p2'")).rows[0].t).toBe(String(END + 1));
      // recomputing the paid epoch from the stored shares gives its hash again
      expect((await r.computeManifest(5_880_000, null)).hash).toBe(first.hash);
      // and the next epoch pays B
      await clock.advance(300_000);
      await verifierAt(END + 300_001);
      setDc(END + 300_000);
      const [next] = await r.payDue();
      expect(next.epoch).toBe(5_880_001);
      expect(next.rewards.map((x) => x.hotspot)).toEqual([B]);
    } finally {
      await sql.close();
    }
  });
});
