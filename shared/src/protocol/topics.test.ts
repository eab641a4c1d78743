import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPIC_PREFIX, HOTSPOT_COMMANDS, HOTSPOT_EVENTS, parseTopic, topics, type ParsedTopic } from './topics.ts';

const ADDRESS = '112qB3YaH5bZkCnKA5uRH7tBtGNv2Y5B4smv1jsmvGUzgKT71QpE';
const segment = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/);
const prefix = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));

describe('topics (docs/protocol.md)', () => {
  const t = topics();

  it('builds the documented tree under the default prefix "hexium"', () => {
    expect(DEFAULT_TOPIC_PREFIX).toBe('hexium');
    expect(t.entropy()).toBe('hexium/entropy');
    expect(t.hotspotEvent(ADDRESS, 'beacon')).toBe(`hexium/hotspot/${ADDRESS}/event/beacon`);
    expect(t.hotspotState(ADDRESS)).toBe(`hexium/hotspot/${ADDRESS}/state/conn`);
    expect(t.hotspotCommand(ADDRESS, 'challenge')).toBe(`hexium/hotspot/${ADDRESS}/command/challenge`);
    expect(t.pocResult(ADDRESS)).toBe(`hexium/poc/${ADDRESS}/result`);
    expect(t.rewardManifest()).toBe('hexium/rewards/manifest');
    expect(t.orgUp('acme')).toBe('hexium/org/acme/up');
    expect(t.allHotspotEvents()).toBe('hexium/hotspot/+/event/+');
    expect(t.allHotspotStates()).toBe('hexium/hotspot/+/state/conn');
    expect(t.hotspotCommands(ADDRESS)).toBe(`hexium/hotspot/${ADDRESS}/command/+`);
    expect(t.allPocResults()).toBe('hexium/poc/+/result');
  });

  it('build → parse round-trips every topic kind under any prefix (fast-check)', () => {
    fc.assert(
      fc.property(
        prefix,
        segment,
        fc.constantFrom(...HOTSPOT_EVENTS),
        fc.constantFrom(...HOTSPOT_COMMANDS),
        (p, id, event, command) => {
          const tt = topics(p);
          const cases: [string, ParsedTopic][] = [
            [tt.entropy(), { kind: 'entropy' }],
            [tt.hotspotEvent(id, event), { kind: 'hotspot-event', address: id, event }],
            [tt.hotspotState(id), { kind: 'hotspot-state', address: id }],
            [tt.hotspotCommand(id, command), { kind: 'hotspot-command', address: id, command }],
            [tt.pocResult(id), { kind: 'poc-result', beaconer: id }],
            [tt.rewardManifest(), { kind: 'reward-manifest' }],
            [tt.orgUp(id), { kind: 'org-up', orgId: id }],
          ];
          for (const [topic, parsed] of cases) {
            expect(tt.parse(topic)).toEqual(parsed);
            expect(parseTopic(p, topic)).toEqual(parsed);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it.each([
    'other/entropy',
    'hexium/entropy/extra',
    'hexium/hotspot/abc/event/unknown',
    'hexium/hotspot/abc/command/reboot',
    'hexium/hotspot/+/event/beacon',
    'hexium/hotspot/abc/state/other',
    'hexium/poc/result',
    'hexium/rewards/latest',
    'hexium',
  ])('parse returns null for "%s"', (topic) => {
    expect(t.parse(topic)).toBeNull();
  });

  it('refuses segments that would break the tree (slash, wildcard, empty)', () => {
    expect(() => t.hotspotEvent('a/b', 'beacon')).toThrow(TypeError);
    expect(() => t.hotspotState('+')).toThrow(TypeError);
    expect(() => t.orgUp('')).toThrow(TypeError);
    expect(() => topics('bad#prefix')).toThrow(TypeError);
  });
});

describe('docs/protocol.md and docs/asyncapi.yaml list every topic', () => {
  const root = new URL('../../../', import.meta.url);
  const protocolMd = readFileSync(new URL('docs/protocol.md', root), 'utf8');
  const asyncapi = readFileSync(new URL('docs/asyncapi.yaml', root), 'utf8');
  const tt = topics('PREFIX');
  const documented = [
    tt.entropy(),
    ...HOTSPOT_EVENTS.map((e) => tt.hotspotEvent('ADDRESS', e)),
    tt.hotspotState('ADDRESS'),
    ...HOTSPOT_COMMANDS.map((c) => tt.hotspotCommand('ADDRESS', c)),
    tt.pocResult('BEACONER'),
    tt.rewardManifest(),
    tt.orgUp('ORGID'),
  ];
  it.each(documented)('%s', (topic) => {
    const md = topic.replace('PREFIX', '{prefix}').replace('ADDRESS', '{address}').replace('BEACONER', '{beaconer}').replace('ORGID', '{orgId}');
    expect(protocolMd).toContain('`' + md + '`');
    const yaml = topic.replace('PREFIX', 'hexium').replace('ADDRESS', '{address}').replace('BEACONER', '{beaconer}').replace('ORGID', '{orgId}');
    expect(asyncapi).toContain(`  ${yaml}:\n`);
  });
});
