/**
 * The MQTT topic tree, built and parsed in one place. Everything lives under one configurable prefix
 * (default `hexium`). See docs/protocol.md for direction, QoS, retain and payload of each topic.
 *
 *   {prefix}/entropy                              oracle → all      Entropy            retained
 *   {prefix}/hotspot/{address}/event/beacon       hotspot → oracle  BeaconReport
 *   {prefix}/hotspot/{address}/event/witness      hotspot → oracle  WitnessReport
 *   {prefix}/hotspot/{address}/event/up           hotspot → oracle  UplinkFrame (ChirpStack v4 style)
 *   {prefix}/hotspot/{address}/event/ack          hotspot → oracle  DownlinkTxAck
 *   {prefix}/hotspot/{address}/event/stats        hotspot → oracle  HotspotStats
 *   {prefix}/hotspot/{address}/state/conn         hotspot → oracle  HotspotState       retained, last will
 *   {prefix}/hotspot/{address}/command/down       oracle → hotspot  DownlinkFrame
 *   {prefix}/hotspot/{address}/command/challenge  oracle → hotspot  ChallengeCommand
 *   {prefix}/poc/{beaconer}/result                oracle → all      PocResult
 *   {prefix}/rewards/manifest                     oracle → all      RewardManifest     retained (latest)
 *   {prefix}/org/{orgId}/up                       oracle → org      AppUplink
 */

export const DEFAULT_TOPIC_PREFIX = 'hexium';

export type HotspotEvent = 'beacon' | 'witness' | 'up' | 'ack' | 'stats';
export type HotspotCommand = 'down' | 'challenge';

export const HOTSPOT_EVENTS: readonly HotspotEvent[] = ['beacon', 'witness', 'up', 'ack', 'stats'];
export const HOTSPOT_COMMANDS: readonly HotspotCommand[] = ['down', 'challenge'];

export type ParsedTopic =
  | { kind: 'entropy' }
  | { kind: 'hotspot-event'; address: string; event: HotspotEvent }
  | { kind: 'hotspot-state'; address: string }
  | { kind: 'hotspot-command'; address: string; command: HotspotCommand }
  | { kind: 'poc-result'; beaconer: string }
  | { kind: 'reward-manifest' }
  | { kind: 'org-up'; orgId: string };

const SEGMENT = /^[A-Za-z0-9_.:-]+$/;

function checkSegment(name: string, value: string): string {
  if (!SEGMENT.test(value)) throw new TypeError(`invalid ${name} for a topic segment: "${value}"`);
  return value;
}

/** Topic builder bound to a prefix. */
export function topics(prefix: string = DEFAULT_TOPIC_PREFIX) {
  const p = prefix.split('/').map((s) => checkSegment('prefix', s)).join('/');
  return {
    prefix: p,
    entropy: () => `${p}/entropy`,
    hotspotEvent: (address: string, event: HotspotEvent) => `${p}/hotspot/${checkSegment('address', address)}/event/${event}`,
    hotspotState: (address: string) => `${p}/hotspot/${checkSegment('address', address)}/state/conn`,
    hotspotCommand: (address: string, command: HotspotCommand) => `${p}/hotspot/${checkSegment('address', address)}/command/${command}`,
    pocResult: (beaconer: string) => `${p}/poc/${checkSegment('beaconer', beaconer)}/result`,
    rewardManifest: () => `${p}/rewards/manifest`,
    orgUp: (orgId: string) => `${p}/org/${checkSegment('orgId', orgId)}/up`,
    /** Subscriptions the oracle's ingest uses (shared-subscription group applied by the caller). */
    allHotspotEvents: () => `${p}/hotspot/+/event/+`,
    allHotspotStates: () => `${p}/hotspot/+/state/conn`,
    /** What one hotspot subscribes to. */
    hotspotCommands: (address: string) => `${p}/hotspot/${checkSegment('address', address)}/command/+`,
    allPocResults: () => `${p}/poc/+/result`,
    /** Parse a concrete topic (no wildcards); null when it is not one of ours. */
    parse: (topic: string): ParsedTopic | null => parseTopic(p, topic),
  };
}

export type Topics = ReturnType<typeof topics>;

/** Parse `topic` under `prefix`; null when it does not belong to the tree. */
export function parseTopic(prefix: string, topic: string): ParsedTopic | null {
  if (!topic.startsWith(prefix + '/')) return null;
  const parts = topic.slice(prefix.length + 1).split('/');
  if (parts.some((s) => !SEGMENT.test(s))) return null;
  if (parts.length === 1 && parts[0] === 'entropy') return { kind: 'entropy' };
  if (parts.length === 2 && parts[0] === 'rewards' && parts[1] === 'manifest') return { kind: 'reward-manifest' };
  if (parts.length === 3 && parts[0] === 'poc' && parts[2] === 'result') return { kind: 'poc-result', beaconer: parts[1] };
  if (parts.length === 3 && parts[0] === 'org' && parts[2] === 'up') return { kind: 'org-up', orgId: parts[1] };
  if (parts.length === 4 && parts[0] === 'hotspot') {
    const [, address, group, leaf] = parts;
    if (group === 'event' && (HOTSPOT_EVENTS as readonly string[]).includes(leaf)) {
      return { kind: 'hotspot-event', address, event: leaf as HotspotEvent };
    }
    if (group === 'state' && leaf === 'conn') return { kind: 'hotspot-state', address };
    if (group === 'command' && (HOTSPOT_COMMANDS as readonly string[]).includes(leaf)) {
      return { kind: 'hotspot-command', address, command: leaf as HotspotCommand };
    }
  }
  return null;
}
