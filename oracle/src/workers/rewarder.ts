/**
 * Rewarder (oracles iot_verifier/src/rewarder.rs, reward_share.rs; spec §(d)): at each epoch end +
 * `params.rewardOffsetS`, under the rewarder advisory lock, for every unpaid epoch in order since the
 * oracle's first epoch, once its data is complete (below): sum the PoC shares (start < reward time ≤
 * end) and the router's DC shares, `computeEpochRewards`, `buildManifest` chained to the previous
 * manifest and signed with the oracle key, then store the epoch (its primary key makes paying twice
 * impossible) and publish the manifest retained. The manifest holds no wall-clock data, so recomputing
 * an epoch gives the same hash.
 *
 * Complete data (spec §(d); oracles iot_verifier/src/rewarder.rs: Helium's rewarder pays only once its
 * verifier's shares reach the epoch end, and retries every 5 min until they do): epoch E is paid only
 * when the verifier's beacon horizon (`verifier_state.beacons_settled_ms`, in the shared store, so with
 * several oracle processes it is the verifier that ran anywhere) is past E's end — every beacon received
 * up to the end, the inclusive bound of the PoC shares, has its round stored — and the router's horizon
 * has reached it — every uplink copy received before the end (the exclusive bound of the DC shares) left
 * its de-dup window and is stored. Otherwise the rewarder logs `epoch held back: verifier at <ms>, router
 * at <ms>`, sets `hexium_rewarder_held_back_epoch` and tries again one verifier poll later (the horizon
 * moves only at a verifier tick), not a whole epoch later. A share stored for an epoch already paid moves
 * to the next unpaid epoch (round-store.ts, router/data-uplink.ts; docs/architecture.md "Paying an epoch").
 */
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { KeyPair } from '@hexium/shared/identity/index';
import type { RewardManifest, Topics } from '@hexium/shared/protocol/index';
import { computeEpochRewards, buildManifest, type GatewayShares } from '../rewards/index.ts';
import { LOCKS, type Sql, type SqlQuery } from '../store/sql.ts';
import { verifierBeaconHorizonMs } from '../store/oracle-state-store.ts';
import { insertEpoch, latestEpoch, manifestsAfter, pinEpochLength, pinFirstEpoch, publishedEpoch, setPublishedEpoch, sumPocShares } from '../store/epoch-store.ts';
import type { MessageBus } from '../broker/message-bus.ts';
import type { Metrics } from '../metrics.ts';
import type { OracleEvents } from '../events/oracle-events.ts';

export interface RewarderDeps {
  sql: Sql;
  clock: Clock;
  params: NetworkParams;
  topics: Topics;
  bus: () => MessageBus;
  events: OracleEvents;
  metrics: Metrics;
  logger: Logger;
  oracleKey: KeyPair;
  /** DC spent per hotspot for uplinks in [startMs, endMs) (packet router); empty without a router. */
  dcShares(startMs: number, endMs: number): Promise<Map<string, bigint>>;
  /** Run before paying so rounds of the epoch's last minutes are verified first. */
  beforePay?(nowMs: number): Promise<void>;
  /**
   * The router's horizon: every DC share of an uplink copy received before it is stored. Absent when
   * the oracle has no router (no DC shares to wait for).
   */
  dcSettledMs?(nowMs: number): Promise<number | null>;
}

/** Whether epoch data is complete enough to pay the epoch that ends at `endMs` (see the file comment). */
export function epochDataComplete(endMs: number, verifierMs: number | null, dcMs: number | null | undefined): boolean {
  // PoC shares: start < reward_at_ms ≤ end, so the beacon received at `endMs` itself must be settled.
  const pocDone = verifierMs !== null && verifierMs > endMs;
  // DC shares: start ≤ received_at_ms < end. `undefined`: no router.
  const dcDone = dcMs === undefined || (dcMs !== null && dcMs >= endMs);
  return pocDone && dcDone;
}

/** Sum of the amounts paid to hotspots (docs/api.md `totalBones`). */
export function manifestTotalBones(m: RewardManifest): bigint {
  return m.rewards.reduce((s, r) => s + BigInt(r.beaconAmount) + BigInt(r.witnessAmount) + BigInt(r.dcTransferAmount), 0n);
}

/** The store was rewarded with another epoch length (docs/security.md "Operators"). */
export class EpochLengthChangedError extends Error {
  override name = 'EpochLengthChangedError';
  constructor(
    readonly storedS: number,
    readonly configuredS: number,
  ) {
    super(
      `epoch length changed: this data was rewarded with epochLengthS = ${storedS} and the parameters now say ${configuredS}. ` +
        'Epoch numbers and the manifest chain depend on it, so the oracle refuses to start: restore the previous parameters, or start a new data directory / database.',
    );
  }
}

/** Let the event loop run (health, SIGTERM, MQTT acks) between two epochs of a catch-up. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createRewarder(d: RewarderDeps) {
  const lenS = d.params.epochLengthS;
  /** The epoch the last payDue held back for incomplete data (null: none). */
  let heldBack: number | null = null;

  /** Every beacon received before this has its round stored (null: the verifier never ran). */
  async function verifierHorizonMs(): Promise<number | null> {
    return verifierBeaconHorizonMs(d.sql);
  }

  /**
   * Epoch number of the oracle's first start (stored once: restarts never move it). The epoch length is
   * stored beside it at the first start: epoch numbers are `floor(t / epochLengthS)`, so with another
   * length every stored epoch number would name another span of time. A changed length is refused.
   */
  async function firstEpoch(q: SqlQuery): Promise<number> {
    const storedS = await pinEpochLength(q, lenS);
    if (storedS !== lenS) throw new EpochLengthChangedError(storedS, lenS);
    return pinFirstEpoch(q, Math.floor(Math.floor(d.clock.now() / 1000) / lenS));
  }

  /** The manifest of `epoch` from the stored shares (deterministic; no clock). */
  async function computeManifest(epoch: number, prevHash: string | null): Promise<RewardManifest> {
    const startS = epoch * lenS;
    const endS = (epoch + 1) * lenS;
    const rows = await sumPocShares(d.sql, startS * 1000, endS * 1000);
    const gateways = new Map<string, GatewayShares>();
    const get = (a: string) => {
      let g = gateways.get(a);
      if (!g) gateways.set(a, (g = { beaconShares: '0', witnessShares: '0', dcShares: '0' }));
      return g;
    };
    for (const r of rows) {
      if (r.kind === 'beacon') get(r.hotspot).beaconShares = r.total;
      else get(r.hotspot).witnessShares = r.total;
    }
    for (const [a, dc] of await d.dcShares(startS * 1000, endS * 1000)) get(a).dcShares = dc.toString();
    const result = computeEpochRewards(
      { epochEmissionsBones: BigInt(d.params.epochEmissionsBones), hntPrice: d.params.hntPrice, hntPriceDecimals: d.params.hntPriceDecimals, gateways },
      d.params,
    );
    return buildManifest({
      epoch,
      startS,
      endS,
      result,
      epochEmissionsBones: BigInt(d.params.epochEmissionsBones),
      hntPrice: d.params.hntPrice,
      hntPriceDecimals: d.params.hntPriceDecimals,
      prevHash,
      oracleKey: d.oracleKey,
    });
  }

  /** Pay every epoch whose end + offset has passed. Returns the manifests written now. */
  async function payDue(nowMs = d.clock.now()): Promise<RewardManifest[]> {
    const paid: RewardManifest[] = [];
    await d.sql.withAdvisoryLock(LOCKS.rewarder, async () => {
      const nowS = nowMs / 1000;
      const first = await firstEpoch(d.sql);
      const last = await latestEpoch(d.sql);
      let next = last ? last.epoch + 1 : first;
      let prevHash = last ? last.hash : null;
      // a manifest stored but not published (publish cut off) goes out before anything new
      if (last) await publishPending(false);
      if ((next + 1) * lenS + d.params.rewardOffsetS > nowS) {
        heldBack = null;
        d.metrics.rewarderHeldBack.set(0);
        return;
      }
      if (d.beforePay) await d.beforePay(nowMs);
      const verifierMs = await verifierHorizonMs();
      const dcMs = d.dcSettledMs ? await d.dcSettledMs(nowMs) : undefined;
      while ((next + 1) * lenS + d.params.rewardOffsetS <= nowS) {
        const endMs = (next + 1) * lenS * 1000;
        if (!epochDataComplete(endMs, verifierMs, dcMs)) {
          if (heldBack !== next) {
            const router = dcMs === undefined ? 'n/a' : (dcMs ?? 'none');
            d.logger.info({ epoch: next, endMs, verifierMs, routerMs: dcMs ?? null }, `epoch held back: verifier at ${verifierMs ?? 'none'}, router at ${router}`);
          }
          heldBack = next;
          d.metrics.rewarderHeldBack.set(next);
          return;
        }
        const m = await computeManifest(next, prevHash);
        if (await insertEpoch(d.sql, m, manifestTotalBones(m).toString())) {
          paid.push(m);
          d.metrics.epochsPaid.inc();
          const totalBones = manifestTotalBones(m).toString();
          d.logger.info({ epoch: m.epoch, hash: m.hash, hotspots: m.rewards.length, totalBones }, 'epoch rewarded');
          await publishManifest(m);
          d.events.emit('reward', { epoch: m.epoch, hash: m.hash, totalBones, hotspots: m.rewards.length });
        }
        prevHash = m.hash;
        next++;
        await yieldToLoop();
      }
      heldBack = null;
      d.metrics.rewarderHeldBack.set(0);
    });
    return paid;
  }

  /** Publish retained and record it as published once the broker took it (QoS 1). */
  async function publishManifest(m: RewardManifest): Promise<void> {
    await d.bus().publish(d.topics.rewardManifest(), JSON.stringify(m), { retain: true, qos: 1 });
    await setPublishedEpoch(d.sql, m.epoch);
  }

  /**
   * Publish, in epoch order, every stored manifest after the last one recorded as published (a publish
   * cut off by a crash or a broker outage), and with `newest` the newest one even when it was published
   * (a broker's retained message does not survive its restart; the embedded broker keeps it in memory).
   * Returns the epochs published.
   */
  async function publishPending(newest: boolean): Promise<number[]> {
    const recorded = await publishedEpoch(d.sql);
    const latest = await latestEpoch(d.sql);
    if (latest === null) return [];
    const last = latest.epoch;
    // No record (a store from before this was tracked): the newest manifest only.
    const publishedThrough = recorded ?? last - 1;
    const from = newest ? Math.min(publishedThrough, last - 1) : publishedThrough;
    if (from >= last) return [];
    const out: number[] = [];
    for (const m of await manifestsAfter(d.sql, from)) {
      await publishManifest(m);
      out.push(m.epoch);
      await yieldToLoop();
    }
    return out;
  }

  /** At start: every manifest not yet published, and the newest again (retained). */
  const republish = () => publishPending(true);

  /** ms until the next epoch end + offset; one verifier poll while an epoch is held back. */
  function nextDelayMs(nowMs = d.clock.now()): number {
    if (heldBack !== null) return d.params.verifierPollMs;
    const lenMs = lenS * 1000;
    const offsetMs = d.params.rewardOffsetS * 1000;
    const due = Math.floor((nowMs - offsetMs) / lenMs) * lenMs + lenMs + offsetMs;
    return Math.max(1, due - nowMs);
  }

  return { payDue, computeManifest, nextDelayMs, republish, firstEpoch: () => firstEpoch(d.sql) };
}

export type Rewarder = ReturnType<typeof createRewarder>;
