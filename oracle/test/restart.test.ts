/**
 * Restart in the middle (issue 6): reports stored before a stop are verified after the restart, the
 * epoch is paid once across restarts, and recomputing it from the store gives the same manifest hash.
 * PGlite on disk, one data directory for the three oracle lifetimes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { topics } from '@hexium/shared/protocol/index';
import { startOracle, type OracleHandle } from '../src/server.ts';
import { openFileLog } from '../src/store/report-log/file-log.ts';
import { createRewarder } from '../src/workers/rewarder.ts';
import { createMetrics } from '../src/metrics.ts';
import { OracleEvents } from '../src/events/oracle-events.ts';
import { ManualClock } from './helpers/manual-clock.ts';
import { connectHotspot, onboardingBody } from './helpers/devices.ts';
import { EPOCH0, KEYS, T0, publishThreeRounds, until } from './helpers/pipeline-scenario.ts';

const logger = pino({ level: 'silent' });
const clock = new ManualClock(T0 + 500);
let dir: string;
let oracle: OracleHandle | undefined;
const start = async () => (oracle = await startOracle({ dataDir: dir, httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', entropySeed: 'restart' }, { clock, logger }));
const count = async (sql: string) => (await oracle!.sql.query(sql)).rows[0].n as number;

afterAll(async () => {
  await oracle?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('restart in the middle', () => {
  it('loses no stored report, pays the epoch once and recomputes the same hash', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hexium-restart-'));
    await start();
    const spots = { a: [48.8566, 2.3522], b: [48.8566, 2.4], c: [48.88, 2.37] } as const;
    for (const n of ['a', 'b', 'c'] as const) {
      await oracle!.app.inject({ method: 'POST', url: '/api/v1/hotspots', payload: onboardingBody(KEYS[n], spots[n][0], spots[n][1], clock.now()) });
    }
    const clients = {
      a: await connectHotspot(oracle!.mqttUrl, KEYS.a, clock.now()),
      b: await connectHotspot(oracle!.mqttUrl, KEYS.b, clock.now()),
      c: await connectHotspot(oracle!.mqttUrl, KEYS.c, clock.now()),
    };
    const { rows } = await oracle!.sql.query('SELECT data_hex, timestamp_s, version FROM entropy ORDER BY timestamp_s DESC LIMIT 1');
    await publishThreeRounds(oracle!, clock, clients, { v: 1, dataHex: rows[0].data_hex, timestampS: rows[0].timestamp_s, version: rows[0].version }, 'hexium');
    await Promise.all(Object.values(clients).map((c) => c.endAsync(true)));
    // 1. stop with 3 beacons and 6 witnesses in the report log, none verified yet (entropy still alive)
    await oracle!.idle();
    expect(await count('SELECT count(*)::int AS n FROM rounds')).toBe(0);
    await oracle!.stop();
    const log = await openFileLog({ dir: path.join(dir, 'reports') });
    const logged = await log.read(0, Number.MAX_SAFE_INTEGER);
    await log.close();
    expect(logged.filter((r) => r.kind === 'beacon')).toHaveLength(3);
    expect(logged.filter((r) => r.kind === 'witness')).toHaveLength(6);

    // 2. restart: the stored reports are verified, the epoch is paid
    await start();
    await clock.advance(20_000, () => oracle!.idle());
    expect(await count('SELECT count(*)::int AS n FROM rounds')).toBe(3);
    expect(await count("SELECT count(*)::int AS n FROM round_participants WHERE role = 'witness'")).toBe(6);
    await clock.advance(T0 + 321_000 - clock.now(), () => oracle!.idle());
    const paid = (await oracle!.app.inject({ url: '/api/v1/epochs' })).json().epochs;
    expect(paid).toHaveLength(1);
    const hash = paid[0].hash;
    await oracle!.stop();

    // 3. restart after the payment, past the next epoch's payment time: EPOCH0 is not paid again
    await start();
    await until(async () => (await oracle!.idle(), true), 'idle');
    await clock.advance(T0 + 621_000 - clock.now(), () => oracle!.idle());
    const again = await oracle!.sql.query('SELECT epoch, hash FROM epochs ORDER BY epoch');
    expect(again.rows.map((r) => r.epoch)).toEqual([EPOCH0, EPOCH0 + 1]);
    expect(again.rows[0].hash).toBe(hash);

    // 4. recomputing EPOCH0 from the store with the stored oracle key gives the same hash
    const { seedHex } = JSON.parse(await readFile(path.join(dir, 'oracle-key.json'), 'utf8'));
    const rewarder = createRewarder({
      sql: oracle!.sql, clock, params: oracle!.params, topics: topics('hexium'), bus: () => { throw new Error('no bus'); },
      events: new OracleEvents(), metrics: createMetrics(), logger, oracleKey: keyPairFromSeed(Buffer.from(seedHex, 'hex')),
      dcShares: async () => new Map(),
    });
    expect((await rewarder.computeManifest(EPOCH0, null)).hash).toBe(hash);
  });
});
