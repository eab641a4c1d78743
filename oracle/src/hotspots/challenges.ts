/**
 * Challenges on demand (issue 6): `POST /api/v1/challenges` sends a ChallengeCommand to the hotspot,
 * which beacons at once. The next beacon from that hotspot within the entropy lifespan carries the
 * challenge id into its PocResult.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@hexium/shared/clock';
import { PROTOCOL_VERSION, type ChallengeCommand, type Topics } from '@hexium/shared/protocol/index';
import type { Sql } from '../store/sql.ts';
import { insertChallenge } from '../store/oracle-state-store.ts';
import type { MessageBus } from '../broker/message-bus.ts';
import type { HotspotDirectory } from '../store/hotspot-directory.ts';
import type { OracleEvents } from '../events/oracle-events.ts';
import { HotspotRefusal } from './refusal.ts';

export interface ChallengeDeps {
  sql: Sql;
  clock: Clock;
  topics: Topics;
  bus: () => MessageBus;
  directory: HotspotDirectory;
  events: OracleEvents;
  /** How long a challenge waits for its beacon, ms (the entropy lifespan). */
  windowMs: number;
}

export function createChallengeService(d: ChallengeDeps) {
  const open = new Map<string, { challengeId: string; issuedAtMs: number }>();

  async function issue(address: string): Promise<ChallengeCommand> {
    const h = await d.directory.resolve(address);
    if (!h) throw new HotspotRefusal('not_found', 'HOTSPOT_NOT_FOUND', `no onboarded hotspot ${address}`);
    if (!h.online) throw new HotspotRefusal('conflict', 'HOTSPOT_OFFLINE', `hotspot ${address} is not connected`);
    const cmd: ChallengeCommand = { v: PROTOCOL_VERSION, challengeId: randomUUID(), hotspot: address, issuedAtMs: d.clock.now() };
    await insertChallenge(d.sql, { challengeId: cmd.challengeId, hotspot: address, issuedAtMs: cmd.issuedAtMs });
    open.set(address, { challengeId: cmd.challengeId, issuedAtMs: cmd.issuedAtMs });
    await d.bus().publish(d.topics.hotspotCommand(address, 'challenge'), JSON.stringify(cmd), { qos: 1 });
    d.events.emit('challenge', { challengeId: cmd.challengeId, hotspot: address, issuedAtMs: cmd.issuedAtMs });
    return cmd;
  }

  /** The open challenge a beacon received now answers (consumed), or null. */
  function claim(address: string, receivedAtMs: number): string | null {
    const c = open.get(address);
    if (!c) return null;
    open.delete(address);
    return receivedAtMs - c.issuedAtMs <= d.windowMs && receivedAtMs >= c.issuedAtMs ? c.challengeId : null;
  }

  return { issue, claim };
}

export type ChallengeService = ReturnType<typeof createChallengeService>;
