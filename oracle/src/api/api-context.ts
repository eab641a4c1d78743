/** Everything the HTTP routes read or call, passed to `buildApp` (no globals, no ports). */
import type { Clock } from '@hexium/shared/clock';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { Sql } from '../store/sql.ts';
import type { RoundStore } from '../store/round-store.ts';
import type { HotspotDirectory } from '../store/hotspot-directory.ts';
import type { OracleEvents } from '../events/oracle-events.ts';
import type { ChallengeService } from '../hotspots/challenges.ts';
import type { PacketRouterPort } from '../router/port.ts';
import type { Metrics } from '../metrics.ts';
import type { BasemapService } from '../basemap/basemap-service.ts';

export interface ApiContext {
  sql: Sql;
  rounds: RoundStore;
  clock: Clock;
  /** Timers of the vector-tile cache (OracleDeps.tileTimers; the wall clock by default). */
  tileTimers: Clock;
  /**
   * Build the vector-tile indexes as soon as the server listens (a live oracle: the map's first tiles do not
   * wait). Off on a virtual clock (fast mode, the harness), where nobody is likely to look at the map and a
   * 100,000-hotspot run spent about a third of its CPU rebuilding tiles after every verified round; there
   * the indexes are built on the first tile request.
   */
  prewarmTiles: boolean;
  params: NetworkParams;
  directory: HotspotDirectory;
  events: OracleEvents;
  metrics: Metrics;
  challenges: ChallengeService;
  router: () => PacketRouterPort | null;
  adminToken: string;
  authSkewMs: number;
  oracleAddress: string;
  /** True once broker and store are up (health). */
  ready(): boolean;
  /** ed25519 check off the main thread (bulk onboarding); absent: checked inline. */
  verifySignature?(job: { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }): Promise<boolean>;
  /** Built map directory (absolute), or null when none was found. */
  mapDir: string | null;
  /** The offline basemap's tiles (docs/map.md "Basemap"); absent: its routes are not registered. */
  basemap?: BasemapService;
}
