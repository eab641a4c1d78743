/**
 * CI only (`.ci/run` sets TEST_MQTT_URL and TEST_DATABASE_URL): one harness scenario through an
 * external Mosquitto broker and PostgreSQL. The oracle is then an MQTT client (Mosquitto does no device
 * auth), so the simulator runs live on the wall clock against it; the parameters are compressed further
 * (30 s epochs) so one epoch takes well under a minute. Skipped cleanly when the variables are unset.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { startOracle, type OracleHandle } from '@hexium/oracle/server';
import { observe, type RunLike } from '@hexium/harness/observe';
import { compare } from '@hexium/harness/compare';
import { runScenario } from '@hexium/hotspot-sim';

const MQTT = process.env.TEST_MQTT_URL;
const DB = process.env.TEST_DATABASE_URL;
if (!MQTT || !DB) console.warn('harness-external: TEST_MQTT_URL / TEST_DATABASE_URL not set — skipping the Mosquitto + PostgreSQL run (CI sets them)');

// demo, compressed: epoch 30 s, a beacon window of 10 s, entropy every second. Entropy keeps the demo's
// 15 s lifespan: a beacon counts only if the oracle receives it within the lifespan of the entropy it
// carries, and on a loaded machine entropy → hotspot → signed beacon → oracle took longer than 3 s
// (no beacon was valid in a CI run with 3 s).
const PARAMS = { profile: 'demo', epochLengthS: 30, beaconIntervalS: 10, rewardOffsetS: 3, entropyIntervalMs: 1000, entropyLifespanS: 15, verifierPollMs: 300, reciprocityWindowS: 600 };

describe.skipIf(!MQTT || !DB)('a harness scenario over Mosquitto + PostgreSQL', () => {
  let oracle: OracleHandle | undefined;
  afterAll(async () => oracle?.stop());

  it('deny-listed hotspots are refused and unpaid; honest ones are paid', async () => {
    const prefix = `hexium-ci-${process.pid}`;
    oracle = await startOracle({ host: '127.0.0.1', httpPort: 0, mqttUrl: MQTT!, databaseUrl: DB!, params: PARAMS, topicPrefix: prefix, logLevel: 'warn', dataDir: 'memory://',
      // a PostgreSQL store keeps the address of the key that signs its manifests and refuses another
      // (docs/architecture.md "Several oracle processes"): a fixed key, so a rerun on the same database starts
      oracleKeySeedHex: '77'.repeat(32) });
    const run = (await runScenario(
      {
        name: 'external deny-listed', seed: 77, region: 'EU868', params: PARAMS, area: { bbox: [13.42, 52.5, 13.46, 52.525] }, duration: { epochs: 2 },
        propagation: { preset: 'suburban' }, hotspots: { count: 8, gainDbi: 1.2, elevationM: { uniform: [8, 20] }, statsIntervalS: 0 },
        adversaries: [{ kind: 'deny-listed', count: 2 }],
      },
      // a fleet credential opens the observer connection that collects the PoC results (Mosquitto here
      // accepts any credential; the oracle's own broker would check it)
      { mode: 'live', brokerUrl: MQTT, oracleUrl: oracle.httpUrl, adminToken: oracle.adminToken, topicPrefix: prefix, fleet: { id: 'ci', secret: 'ci' } },
    )) as unknown as RunLike;
    const checks = compare(
      { epochs: '>= 1', groups: { 'deny-listed': { beacons: { valid: 0 }, witnesses: { valid: 0 }, rewards: { total: 0 } }, honest: { beacons: { valid: '>= 1' } } } },
      observe(run),
    );
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });
});
