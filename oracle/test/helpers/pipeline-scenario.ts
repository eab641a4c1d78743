/**
 * The end-to-end PoC scenario shared by the embedded- and external-broker suites: three hotspots near
 * Paris (EU868) onboard, connect, take turns beaconing while the other two witness, then the verifier
 * and the rewarder run on a manual clock. Expected verdicts follow spec poc-and-rewards.md §(a) "Runner":
 *   R1  A beacons: A has never witnessed → whole PoC invalid `gateway_no_valid_witnesses` (HIP-106);
 *       B and C still get last_witness, A gets last_beacon_reciprocity (it had witness reports).
 *   R2  B beacons: B witnessed in R1 → valid; A beaconed with witnesses in R1 → valid witness;
 *       C never beaconed → `gateway_no_valid_beacons`.
 *   R3  C beacons: C witnessed in R1 → valid; A (R1) and B (R2) have beaconed → both valid, selected.
 */
import mqtt from 'mqtt';
import type { Entropy, PocResult, RewardManifest } from '@hexium/shared/protocol/index';
import type { OracleHandle } from '../../src/server.ts';
import type { ManualClock } from './manual-clock.ts';
import { beaconReport, connectHotspot, hotspotKey, onboardingBody, witnessReport } from './devices.ts';

/** T0 = 5 880 000 × 300 s: a demo epoch boundary (epochLengthS 300). */
export const T0 = 1_764_000_000_000;
export const EPOCH0 = 5_880_000;

export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const KEYS = { a: hotspotKey('a'), b: hotspotKey('b'), c: hotspotKey('c') };
const SPOTS = { a: [48.8566, 2.3522], b: [48.8566, 2.4], c: [48.88, 2.37] } as const;

export interface ScenarioResult {
  rounds: PocResult[];
  mqttResults: PocResult[];
  /** Beacon payload (`dataHex`) each beaconer published, by address. */
  beaconData: Map<string, string>;
  manifests: RewardManifest[];
}

export async function runPipelineScenario(oracle: OracleHandle, clock: ManualClock, opts: { external: boolean; prefix: string }): Promise<ScenarioResult> {
  const settle = () => oracle.idle();
  for (const [name, key] of Object.entries(KEYS)) {
    const [lat, lng] = SPOTS[name as keyof typeof SPOTS];
    const res = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(key, lat, lng, clock.now()) });
    if (res.statusCode !== 201) throw new Error(`onboarding ${name}: ${res.statusCode} ${res.body}`);
  }
  const clients = {
    a: await connectHotspot(oracle.mqttUrl, KEYS.a, clock.now(), { anonymous: opts.external, prefix: opts.prefix }),
    b: await connectHotspot(oracle.mqttUrl, KEYS.b, clock.now(), { anonymous: opts.external, prefix: opts.prefix }),
    c: await connectHotspot(oracle.mqttUrl, KEYS.c, clock.now(), { anonymous: opts.external, prefix: opts.prefix }),
  };
  const entropies: Entropy[] = [];
  const mqttResults: PocResult[] = [];
  const manifests: RewardManifest[] = [];
  clients.a.on('message', (topic, payload) => {
    const v = JSON.parse(payload.toString());
    if (topic.endsWith('/entropy')) entropies.push(v);
    else if (topic.endsWith('/result')) mqttResults.push(v);
    else if (topic.endsWith('/rewards/manifest')) manifests.push(v);
  });
  await clients.a.subscribeAsync([`${opts.prefix}/entropy`, `${opts.prefix}/poc/+/result`, `${opts.prefix}/rewards/manifest`], { qos: 1 });
  await until(() => entropies.length > 0, 'retained entropy');

  try {
    for (const [name, c] of Object.entries(clients)) {
      const address = KEYS[name as keyof typeof KEYS].address;
      await c.publishAsync(`${opts.prefix}/hotspot/${address}/state/conn`, JSON.stringify({ v: 1, hotspot: address, state: 'ONLINE' }), { qos: 1, retain: true });
    }
    await until(async () => (await settle(), (await oracle.app.inject({ url: '/api/v1/network' })).json().online === 3), 'hotspots online');

    const beaconData = await publishThreeRounds(oracle, clock, clients, entropies[entropies.length - 1], opts.prefix);
    // entropy lifespan (15 s) + a verifier poll (2 s)
    await clock.advance(20_000, settle);
    await until(async () => (await settle(), mqttResults.length >= 3), 'PoC results on MQTT');
    const rounds = (await oracle.app.inject({ url: '/api/v1/rounds' })).json().rounds as PocResult[];
    // epoch EPOCH0 ends at T0 + 300 s and is paid at + rewardOffsetS (20 s)
    await clock.advance(T0 + 321_000 - clock.now(), settle);
    await until(async () => (await settle(), manifests.length >= 1), 'manifest on MQTT');
    return { rounds, mqttResults, manifests, beaconData };
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.endAsync(true)));
  }
}

type Clients = Record<keyof typeof KEYS, Awaited<ReturnType<typeof connectHotspot>>>;

/** R1..R3 one second apart: each beacon, then its two witnesses, each stored before the next step. */
export async function publishThreeRounds(oracle: OracleHandle, clock: ManualClock, clients: Clients, entropy: Entropy, prefix: string): Promise<Map<string, string>> {
  const beaconData = new Map<string, string>();
  const settle = () => oracle.idle();
  const opts = { prefix };
  const before = { b: oracle.counters()['ingested.beacon'] ?? 0, w: oracle.counters()['ingested.witness'] ?? 0 };
    const order: [keyof typeof KEYS, (keyof typeof KEYS)[], string][] = [
      ['a', ['b', 'c'], '01010101'],
      ['b', ['a', 'c'], '02020202'],
      ['c', ['a', 'b'], '03030303'],
    ];
    let published = 0;
    for (const [beaconer, witnesses, local] of order) {
      await clock.advance(1000, settle);
      const beacon = beaconReport(KEYS[beaconer], entropy, oracle.params, local);
      beaconData.set(beacon.hotspot, beacon.dataHex);
      await clients[beaconer].publishAsync(`${opts.prefix}/hotspot/${KEYS[beaconer].address}/event/beacon`, JSON.stringify(beacon), { qos: 1 });
      await until(async () => (await settle(), (oracle.counters()['ingested.beacon'] ?? 0) > before.b + published), 'beacon stored');
      for (const w of witnesses) {
        await clients[w].publishAsync(`${opts.prefix}/hotspot/${KEYS[w].address}/event/witness`, JSON.stringify(witnessReport(KEYS[w], beacon)), { qos: 1 });
      }
      published++;
      await until(async () => (await settle(), (oracle.counters()['ingested.witness'] ?? 0) >= before.w + published * 2), 'witnesses stored');
    }
    return beaconData;
}

export { mqtt };
