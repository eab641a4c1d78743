/**
 * End to end over a real TCP broker: onboarding, device auth, ingest, verifier, rewarder, MQTT results,
 * API and SSE. Runs against the embedded broker always and once against an external broker when
 * TEST_MQTT_URL is set (CI starts Mosquitto). Expected verdicts: see helpers/pipeline-scenario.ts.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Value from 'typebox/value';
import { publicKeyFromAddress } from '@hexium/shared/identity/index';
import { OracleEventSchemas, type OracleEventType } from '@hexium/shared/protocol/index';
import { pino } from 'pino';
import { verifyManifest } from '../src/rewards/index.ts';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { EPOCH0, KEYS, T0, runPipelineScenario, type ScenarioResult } from './helpers/pipeline-scenario.ts';

const modes: { name: string; external: boolean }[] = [{ name: 'embedded', external: false }];
if (process.env.TEST_MQTT_URL) modes.push({ name: 'external', external: true });

/**
 * Demo emission E = 713 470 319 bones (shared/src/params/network-params.ts). No data credits were spent,
 * so the 50 % data-transfer pool is unused and goes 20 % to beacons, 80 % to witnesses (spec §(d)):
 *   beacon pool  = E × (0.06 + 0.5 × 0.2) = 114 155 251.04
 *   witness pool = E × (0.24 + 0.5 × 0.8) = 456 621 004.16
 * Every scale is DEFAULT_TX_SCALE 0.2 (the density map is still empty when the rounds are verified), so
 * shares are proportional to HIP-15 units (N = 4): a beaconer with W ≤ N valid witnesses earns W/N, each
 * selected witness 1 (spec §(c)).
 *   R2: B beacons with 1 witness (A) → B 1/4 beacon unit, A 1 witness unit
 *   R3: C beacons with 2 witnesses (A, B) → C 2/4, A 1, B 1
 *   beacons:   C = floor(114 155 251.04 × 2/3) = floor(76 103 500.69) = 76 103 500; B = floor(38 051 750.35) = 38 051 750
 *   witnesses: A = floor(456 621 004.16 × 2/3) = floor(304 414 002.77) = 304 414 002; B = floor(152 207 001.39) = 152 207 001
 *   operations = floor(0.07 E) = floor(49 942 922.33) = 49 942 922.
 */
const EXPECTED = { cBeacon: '76103500', bBeacon: '38051750', aWitness: '304414002', bWitness: '152207001', operations: '49942922' };

describe.each(modes)('PoC pipeline ($name broker)', ({ external }) => {
  const clock = new ManualClock(T0 + 500);
  const prefix = `t${process.pid}${external ? 'x' : 'e'}`;
  let oracle: OracleHandle;
  let result: ScenarioResult;
  const sse: string[] = [];
  let abort: AbortController;

  beforeAll(async () => {
    oracle = await startOracle(
      {
        dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', topicPrefix: prefix, entropySeed: 'pipeline',
        mqttUrl: external ? process.env.TEST_MQTT_URL! : null, oracleKeySeedHex: '11'.repeat(32),
      },
      { clock, logger: pino({ level: 'silent' }) },
    );
    abort = new AbortController();
    const res = await fetch(`${oracle.httpUrl}/api/v1/events`, { signal: abort.signal });
    const reader = res.body!.getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          sse.push(Buffer.from(value).toString());
        }
      } catch {
        /* aborted */
      }
    })();
    result = await runPipelineScenario(oracle, clock, { external, prefix });
  });

  afterAll(async () => {
    abort?.abort();
    await oracle?.stop();
  });

  it('verifies the three rounds with the verdicts the runner rules give', () => {
    const byBeaconer = new Map(result.rounds.map((r) => [r.beaconer, r]));
    const r1 = byBeaconer.get(KEYS.a.address)!;
    expect(r1.beacon).toMatchObject({ status: 'invalid', reason: 'gateway_no_valid_witnesses' });
    expect(r1.witnesses.map((w) => w.reason)).toEqual(['gateway_no_valid_witnesses', 'gateway_no_valid_witnesses']);
    const r2 = byBeaconer.get(KEYS.b.address)!;
    expect(r2.beacon.status).toBe('valid');
    const w2 = new Map(r2.witnesses.map((w) => [w.hotspot, w]));
    expect(w2.get(KEYS.a.address)).toMatchObject({ status: 'valid', selected: true });
    expect(w2.get(KEYS.c.address)).toMatchObject({ status: 'invalid', reason: 'gateway_no_valid_beacons', selected: false });
    const r3 = byBeaconer.get(KEYS.c.address)!;
    expect(r3.beacon.status).toBe('valid');
    expect(r3.witnesses.map((w) => [w.status, w.selected])).toEqual([['valid', true], ['valid', true]]);
  });

  it('publishes every PocResult on MQTT', () => {
    expect(result.mqttResults.map((r) => r.pocId).sort()).toEqual(result.rounds.map((r) => r.pocId).sort());
  });

  it('carries the beacon payload in every PocResult, on MQTT and in the API, and the pocId is built from it', () => {
    expect(result.beaconData.size).toBe(3);
    for (const r of [...result.rounds, ...result.mqttResults]) {
      const data = result.beaconData.get(r.beaconer);
      expect(r.dataHex).toBe(data);
      // docs/protocol.md PocResult: pocId = SHA-256(beacon data ‖ u64_be(receivedAtMs) ‖ beaconer public key)
      const ms = Buffer.alloc(8);
      ms.writeBigUInt64BE(BigInt(r.receivedAtMs));
      const pub = publicKeyFromAddress(r.beaconer);
      expect(r.pocId).toBe(createHash('sha256').update(Buffer.from(data!, 'hex')).update(ms).update(pub).digest('hex'));
    }
  });

  it('pays the epoch with a verifiable manifest and the hand-computed amounts', async () => {
    expect(result.manifests).toHaveLength(1);
    const m = result.manifests[0];
    expect(m.epoch).toBe(EPOCH0);
    expect(verifyManifest(m)).toEqual({ valid: true, errors: [] });
    const by = new Map(m.rewards.map((r) => [r.hotspot, r]));
    expect(by.get(KEYS.c.address)!.beaconAmount).toBe(EXPECTED.cBeacon);
    expect(by.get(KEYS.b.address)!.beaconAmount).toBe(EXPECTED.bBeacon);
    expect(by.get(KEYS.a.address)!.beaconAmount).toBe('0');
    expect(by.get(KEYS.a.address)!.witnessAmount).toBe(EXPECTED.aWitness);
    expect(by.get(KEYS.b.address)!.witnessAmount).toBe(EXPECTED.bWitness);
    expect(m.operations).toBe(EXPECTED.operations);
    const epochs = (await oracle.app.inject({ url: '/api/v1/epochs' })).json().epochs;
    expect(epochs).toMatchObject([{ epoch: EPOCH0, hash: m.hash, verified: true, hotspots: 3 }]);
    const dl = await oracle.app.inject({ url: `/api/v1/epochs/${EPOCH0}/manifest` });
    expect(dl.headers['x-hexium-manifest-verified']).toBe('true');
    expect(dl.json().hash).toBe(m.hash);
    const detail = (await oracle.app.inject({ url: `/api/v1/hotspots/${KEYS.c.address}` })).json();
    expect(detail.rewards[0]).toMatchObject({ epoch: EPOCH0, beaconAmount: EXPECTED.cBeacon });
    expect(detail.recentRounds.length).toBe(3);
  });

  it('streams beacons, witnesses, verdicts and rewards over SSE', () => {
    const text = sse.join('');
    expect(text.match(/^event: beacon$/gm)).toHaveLength(3);
    expect(text.match(/^event: witness$/gm)).toHaveLength(6);
    expect(text.match(/^event: poc$/gm)).toHaveLength(3);
    expect(text.match(/^event: reward$/gm)).toHaveLength(1);
    // every message's data has its type's shared schema (shared/src/protocol/events.ts)
    const messages = [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((m) => ({ type: m[1] as OracleEventType, data: JSON.parse(m[2]) as unknown }));
    expect(messages.length).toBeGreaterThanOrEqual(13);
    expect(messages.filter((m) => !Value.Check(OracleEventSchemas[m.type], m.data))).toEqual([]);
  });

  it('answers a challenge with a beacon whose round carries the challenge id', async () => {
    if (external) return; // the challenge command path is covered with the embedded broker
    const { connectHotspot, beaconReport, witnessReport } = await import('./helpers/devices.ts');
    const a = await connectHotspot(oracle.mqttUrl, KEYS.a, clock.now(), { prefix });
    const b = await connectHotspot(oracle.mqttUrl, KEYS.b, clock.now(), { prefix });
    try {
      const commands: any[] = [];
      let entropy: any;
      a.on('message', (t, p) => (t.endsWith('/entropy') ? (entropy = JSON.parse(p.toString())) : commands.push(JSON.parse(p.toString()))));
      await a.subscribeAsync([`${prefix}/hotspot/${KEYS.a.address}/command/+`, `${prefix}/entropy`], { qos: 1 });
      await a.publishAsync(`${prefix}/hotspot/${KEYS.a.address}/state/conn`, JSON.stringify({ v: 1, hotspot: KEYS.a.address, state: 'ONLINE' }), { qos: 1 });
      await oracle.idle();
      const res = await oracle.app.inject({ method: 'POST', url: '/api/v1/challenges', payload: { hotspot: KEYS.a.address } });
      expect(res.statusCode).toBe(202);
      const { challengeId } = res.json();
      const { until } = await import('./helpers/pipeline-scenario.ts');
      await until(() => commands.length > 0 && entropy !== undefined, 'challenge command');
      expect(commands[0]).toMatchObject({ v: 1, challengeId, hotspot: KEYS.a.address });
      const beacon = beaconReport(KEYS.a, entropy, oracle.params, '0a0b0c0d');
      await a.publishAsync(`${prefix}/hotspot/${KEYS.a.address}/event/beacon`, JSON.stringify(beacon), { qos: 1 });
      await b.publishAsync(`${prefix}/hotspot/${KEYS.b.address}/event/witness`, JSON.stringify(witnessReport(KEYS.b, beacon)), { qos: 1 });
      await oracle.idle();
      await clock.advance(20_000, () => oracle.idle());
      const rounds = (await oracle.app.inject({ url: `/api/v1/rounds?hotspot=${KEYS.a.address}&limit=1` })).json().rounds;
      expect(rounds[0].challengeId).toBe(challengeId);
      expect(rounds[0].beacon.status).toBe('valid');
    } finally {
      await a.endAsync(true);
      await b.endAsync(true);
    }
  });
});
