/**
 * The small SQL port every oracle service talks to (STYLE.md §6): parameterised queries, transactions
 * and an advisory lock. Two adapters implement it: PGlite (embedded, default) and PostgreSQL (`pg`,
 * `DATABASE_URL`). Both return `bigint`/`int8` columns as JS numbers (ms timestamps fit in 2^53),
 * `numeric` as strings, `jsonb` as objects.
 */
export interface SqlResult<T> {
  rows: T[];
  /** Rows inserted, updated or deleted (0 for SELECT on PGlite). */
  rowCount: number;
}

/** What runs a query: the store itself or an open transaction. */
export interface SqlQuery {
  query<T = Record<string, any>>(text: string, params?: unknown[]): Promise<SqlResult<T>>;
}

export interface Sql extends SqlQuery {
  readonly kind: 'pglite' | 'postgres';
  /** Run `fn` inside BEGIN … COMMIT (ROLLBACK when it throws). */
  transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T>;
  /**
   * Run `fn` while holding the session advisory lock `key` (DESIGN.md "Scaling out": exactly one
   * verifier/rewarder at a time). Resolves `{ acquired: false }` without running when another holder has it.
   */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<{ acquired: boolean; value?: T }>;
  /**
   * A lease on the advisory lock `key` held across calls, for the roles exactly one oracle process plays
   * for as long as it lives (entropy minter, packet-router owner; docs/architecture.md "Several oracle
   * processes"). On PostgreSQL it is a session lock on a connection of its own: the lease ends when that
   * connection or the process dies, and another process's next `tryAcquire` takes it.
   */
  lease(key: number): Lease;
  close(): Promise<void>;
}

export interface Lease {
  /** True while this process holds the lock; tries to take it when it does not (never waits). */
  tryAcquire(): Promise<boolean>;
  readonly held: boolean;
  /** Give the lock up (shutdown). */
  release(): Promise<void>;
}

/** Advisory lock keys (arbitrary constants, one per singleton loop). */
export const LOCKS = { verifier: 0x4845_0001, rewarder: 0x4845_0002, density: 0x4845_0003, migrate: 0x4845_0004, entropy: 0x4845_0005, router: 0x4845_0006 } as const;
