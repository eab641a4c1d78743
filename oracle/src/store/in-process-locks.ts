/**
 * Advisory locks and leases for a store one process owns (PGlite: one process opens a data directory, and
 * `lockDataDir` keeps others out), so an in-process flag is the lock. Shared by the PGlite adapters.
 */
import type { Lease, Sql } from './sql.ts';

export function inProcessLocks(): Pick<Sql, 'withAdvisoryLock' | 'lease'> & { settled(): Promise<unknown> } {
  const held = new Set<number>();
  let lockChain: Promise<unknown> = Promise.resolve();
  return {
    async withAdvisoryLock(key, fn) {
      if (held.has(key)) return { acquired: false };
      held.add(key);
      const p = (async () => {
        try {
          return { acquired: true, value: await fn() };
        } finally {
          held.delete(key);
        }
      })();
      lockChain = p.catch(() => undefined);
      return p;
    },
    // a lease is this process's for as long as it asks
    lease(): Lease {
      let isHeld = false;
      return {
        get held() {
          return isHeld;
        },
        tryAcquire: async () => (isHeld = true),
        release: async () => void (isHeld = false),
      };
    },
    /** Resolves once the lock holder running last has finished (close). */
    settled: () => lockChain,
  };
}
