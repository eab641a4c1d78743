/**
 * Entropy (spec §(a) "Entropy"; oracles poc_entropy/src/entropy_generator.rs): a new 32-byte value every
 * `params.entropyIntervalMs`, stored and published retained on `{prefix}/entropy`. Helium hashes a
 * Solana block hash; Hexium draws 32 random bytes, or SHA-256(utf8(seed) ‖ u64_be(timestampMs)) when an
 * entropy seed is configured (deterministic runs). `version` is 0 as in Helium.
 *
 * One minter network-wide: with several oracle processes on one PostgreSQL, only the holder of the
 * entropy lease (`LOCKS.entropy`) mints; the others try to take the lease at each tick, so the role
 * moves to a live process within one interval after its holder dies (docs/architecture.md "Several
 * oracle processes"). `{prefix}/entropy` thus carries one value per `entropyIntervalMs`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '@hexium/shared/clock';
import { PROTOCOL_VERSION, type Entropy, type Topics } from '@hexium/shared/protocol/index';
import type { Lease, Sql } from '../store/sql.ts';
import { insertEntropy } from '../store/oracle-state-store.ts';
import type { MessageBus } from '../broker/message-bus.ts';
import type { WorkTracker } from './work-tracker.ts';
import { startLoop, type Loop } from './periodic-loop.ts';

export function entropyBytes(seed: string | null, timestampMs: number): Buffer {
  if (seed === null) return randomBytes(32);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestampMs));
  return createHash('sha256').update(Buffer.from(seed, 'utf8')).update(ts).digest();
}

export interface EntropyDeps {
  sql: Sql;
  bus: () => MessageBus;
  clock: Clock;
  topics: Topics;
  intervalMs: number;
  seed: string | null;
  tracker: WorkTracker;
  logger: Logger;
  /** The entropy minter's lease (`sql.lease(LOCKS.entropy)`). */
  lease: Lease;
}

export function startEntropyService(d: EntropyDeps): Loop & { current(): Entropy | null } {
  let current: Entropy | null = null;
  const loop = startLoop({
    name: 'entropy',
    clock: d.clock,
    tracker: d.tracker,
    logger: d.logger,
    runAtStart: true,
    // The tick depends on its time alone: a simulator on virtual time need not settle before it.
    standalone: true,
    nextDelayMs: () => d.intervalMs,
    tick: async (nowMs) => {
      if (!(await d.lease.tryAcquire())) return;
      const e: Entropy = { v: PROTOCOL_VERSION, dataHex: entropyBytes(d.seed, nowMs).toString('hex'), timestampS: Math.floor(nowMs / 1000), version: 0 };
      await insertEntropy(d.sql, e);
      current = e;
      await d.bus().publish(d.topics.entropy(), JSON.stringify(e), { retain: true, qos: 1 });
    },
  });
  return { ...loop, current: () => current };
}
