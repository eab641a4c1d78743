import { describe, expect, it } from 'vitest';
import { topics } from '@hexium/shared/protocol/index';
import { ManualClock } from '../../test/helpers/manual-clock.ts';
import { createChallengeService } from './challenges.ts';

function service() {
  return createChallengeService({
    sql: { query: async () => ({ rows: [], rowCount: 1 }) } as never,
    clock: new ManualClock(1_000_000),
    topics: topics('hexium'),
    bus: () => ({ publish: async () => undefined }) as never,
    directory: { resolve: async (a: string) => (a === 'on' ? { online: true } : a === 'off' ? { online: false } : undefined) } as never,
    events: { emit: () => undefined } as never,
    windowMs: 15_000,
  });
}

describe('challenges', () => {
  it('refuses unknown (not found) and offline (conflict) hotspots', async () => {
    await expect(service().issue('nobody')).rejects.toMatchObject({ kind: 'not_found', code: 'HOTSPOT_NOT_FOUND' });
    await expect(service().issue('off')).rejects.toMatchObject({ kind: 'conflict', code: 'HOTSPOT_OFFLINE' });
  });
  it('hands the challenge id to the next beacon within the window (15 s), once', async () => {
    const s = service();
    const cmd = await s.issue('on');
    expect(cmd).toMatchObject({ v: 1, hotspot: 'on', issuedAtMs: 1_000_000 });
    expect(s.claim('on', 1_015_000)).toBe(cmd.challengeId);
    expect(s.claim('on', 1_015_001)).toBe(null);
    await s.issue('on');
    expect(s.claim('on', 1_015_001)).toBe(null); // 15 001 ms after the issue: too late
  });
});
