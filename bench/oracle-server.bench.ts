/**
 * Oracle server (issue 6 "Tests and benchmarks"):
 *  1. signed witness reports ingested per second over MQTT QoS 1 (schema at the broker, signature in the
 *     worker pool, stored in PGlite) versus raw ed25519 verification on one core of the same machine
 *     (target ≥ 80 % of that limit);
 *  2. p99 publish-to-stored latency at an offered 5 000 reports/s;
 *  3. latency of GET /api/v1/coverage?res=8 with 10 000 hotspots.
 * The MQTT publisher runs in a worker thread so it does not share the oracle's event loop.
 */
import { Worker } from 'node:worker_threads';
import { createHash, randomBytes, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { latLngToCell } from 'h3-js';
import { keyPairFromSeed, publicKeyObject, signingBytes, signMessage, animalName } from '@hexium/shared/identity/index';
import { startOracle, type OracleHandle } from '../oracle/src/server.ts';
import { median, row, type BenchRow } from './lib.ts';

const SUITE = 'oracle-server';
const HOTSPOTS = 200;
const THROUGHPUT_REPORTS = 20_000;
const LATENCY_RATE = 5_000;
const LATENCY_SECONDS = 3;
const COVERAGE_HOTSPOTS = 10_000;

const keys = Array.from({ length: HOTSPOTS }, (_, i) => keyPairFromSeed(createHash('sha256').update(`bench-hotspot-${i}`).digest()));

function witnesses(n: number, stampMs: (i: number) => number) {
  return Array.from({ length: n }, (_, i) => {
    const k = keys[i % HOTSPOTS];
    return signMessage(
      { v: 1 as const, hotspot: k.address, dataHex: randomBytes(51).toString('hex'), rssiDbm: -100, snrDb: 4.5, frequencyHz: 867_100_000, dataRate: 'SF12BW125', tmst: i >>> 0, timestampMs: stampMs(i) },
      k,
    );
  });
}

const publisherSource = `
const { parentPort, workerData } = require('node:worker_threads');
const mqtt = require(workerData.mqttPath);
// a fleet's client id is fleet:<id>[:<suffix>] (docs/protocol.md "Authentication")
const client = mqtt.connect(workerData.url, { clientId: 'fleet:bench:w' + require('node:worker_threads').threadId, username: 'fleet:bench', password: 'bench', reconnectPeriod: 0 });
client.on('connect', () => parentPort.postMessage({ ready: true }));
parentPort.on('message', async ({ items, startAtMs, perTickMs, perTick }) => {
  let acked = 0;
  const done = () => { if (++acked === items.length) parentPort.postMessage({ acked }); };
  for (let i = 0; i < items.length; i += perTick) {
    if (perTickMs > 0) {
      const due = startAtMs + (i / perTick) * perTickMs;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    for (const [topic, payload] of items.slice(i, i + perTick)) client.publish(topic, payload, { qos: 1 }, done);
    if (perTickMs === 0) await new Promise((r) => setImmediate(r));
  }
});
`;

async function publisher(oracle: OracleHandle) {
  const mqttPath = createRequire(import.meta.url).resolve('mqtt');
  const w = new Worker(publisherSource, { eval: true, workerData: { url: oracle.mqttUrl, mqttPath } });
  await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  return w;
}

async function onboard(oracle: OracleHandle) {
  const now = Date.now();
  const bodies = keys.map((k, i) =>
    signMessage({ v: 1, address: k.address, location: latLngToCell(48.8 + i * 0.001, 2.3, 12), gainDbi: 1.2, elevationM: 5, fullHotspot: true, region: 'EU868', fleet: 'bench', timestampMs: now }, k),
  );
  const r = await oracle.app.inject({ method: 'POST', url: '/api/v1/hotspots/bulk', payload: { hotspots: bodies } });
  if (r.json().created !== HOTSPOTS) throw new Error(`bulk onboarding: ${r.body}`);
}

async function waitFor(cond: () => boolean) {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // raw ed25519 verification of the same kind of message on one core (bytes precomputed)
  const sample = witnesses(2000, () => 0).map((m) => ({ bytes: signingBytes(m), sig: Buffer.from(m.signature, 'base64'), key: publicKeyObject(m.hotspot) }));
  const rawRates: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    for (const s of sample) if (!verify(null, s.bytes, s.key, s.sig)) throw new Error('bad sample');
    rawRates.push(sample.length / ((performance.now() - t) / 1000));
  }
  const raw = median(rawRates);

  const oracle = await startOracle(
    { dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', fleets: { bench: 'bench' } },
    { logger: pino({ level: 'silent' }) },
  );
  try {
    await onboard(oracle);
    const w = await publisher(oracle);
    const topic = (a: string) => `hexium/hotspot/${a}/event/witness`;

    // 1. throughput: publish everything at once, time until the last report is stored
    const batch = witnesses(THROUGHPUT_REPORTS, () => 0).map((m) => [topic(m.hotspot), JSON.stringify(m)]);
    const stored0 = oracle.counters()['ingested.witness'] ?? 0;
    const t0 = performance.now();
    w.postMessage({ items: batch, startAtMs: 0, perTickMs: 0, perTick: 500 });
    await waitFor(() => (oracle.counters()['ingested.witness'] ?? 0) - stored0 >= THROUGHPUT_REPORTS);
    const ingestRate = THROUGHPUT_REPORTS / ((performance.now() - t0) / 1000);
    await new Promise((r) => w.once('message', r));
    rows.push(
      row(SUITE, 'signed reports ingested over MQTT QoS 1', ingestRate, 'reports/s', {
        baseline: { name: 'raw ed25519 verify, 1 core', value: raw },
        target: 'ratio ≥ 0.8',
        pass: ({ ratio }) => (ratio ?? 0) >= 0.8,
      }),
    );

    // 2. latency at an offered 5 000 reports/s (50 reports every 10 ms)
    const n = LATENCY_RATE * LATENCY_SECONDS;
    const startAtMs = Date.now() + 300;
    const perTick = 50;
    const perTickMs = (perTick / LATENCY_RATE) * 1000;
    const planned = new Map<string, number>();
    const paced = witnesses(n, () => 0);
    paced.forEach((m, i) => planned.set(m.dataHex, startAtMs + Math.floor(i / perTick) * perTickMs));
    const latencies: number[] = [];
    const off = oracle.events.on((e) => {
      if (e.type !== 'witness') return;
      const at = planned.get((e.data as { key: string }).key);
      if (at !== undefined) latencies.push(Date.now() - at);
    });
    w.postMessage({ items: paced.map((m) => [topic(m.hotspot), JSON.stringify(m)]), startAtMs, perTickMs, perTick });
    await new Promise((r) => w.once('message', r));
    await waitFor(() => latencies.length >= n);
    off();
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)];
    rows.push(row(SUITE, `p99 publish-to-stored at ${LATENCY_RATE} reports/s`, p99, 'ms', { target: '≤ 250 ms', pass: ({ value }) => value <= 250 }));
    rows.push(row(SUITE, `p50 publish-to-stored at ${LATENCY_RATE} reports/s`, latencies[Math.floor(latencies.length / 2)], 'ms'));
    await w.terminate();

    // 3. coverage with 10 000 hotspots (rows written straight to the store; aggregates filled in)
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let i = 0; i < COVERAGE_HOTSPOTS; i++) {
      const address = `bench${i}`;
      const cell = latLngToCell(40 + (i % 100) * 0.05, -3 + Math.floor(i / 100) * 0.05, 12);
      const o = values.length;
      values.push(address, animalName(keys[i % HOTSPOTS].address), cell, i % 50, -90 - (i % 30), (0.2 + (i % 8) / 10).toFixed(1));
      tuples.push(`($${o + 1},$${o + 2},$${o + 3},1.2,5,true,0,0,0,$${o + 4},$${o + 5},$${o + 6})`);
      if (tuples.length === 1000) {
        await oracle.sql.query(
          `INSERT INTO hotspots (address, name, location, gain_dbi, elevation_m, full_hotspot, onboarded_at_ms, updated_at_ms, onboard_timestamp_ms, valid_witnesses, best_rssi_dbm, hex_scale) VALUES ${tuples.join(',')}`,
          values,
        );
        tuples.length = 0;
        values.length = 0;
      }
    }
    const cold0 = performance.now();
    await oracle.app.inject({ url: '/api/v1/coverage?res=8&bbox=-4,39,3,46' });
    const cold = performance.now() - cold0;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const r = await oracle.app.inject({ url: '/api/v1/coverage?res=8&bbox=-4,39,3,46' });
      if (r.statusCode !== 200) throw new Error(r.body);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    rows.push(row(SUITE, `GET /api/v1/coverage res 8, ${COVERAGE_HOTSPOTS} hotspots, cold (aggregates rebuilt)`, cold, 'ms', { target: '≤ 1000 ms', pass: ({ value }) => value <= 1000 }));
    rows.push(row(SUITE, `GET /api/v1/coverage res 8, ${COVERAGE_HOTSPOTS} hotspots, warm median of 30`, median(times), 'ms', { target: '≤ 100 ms', pass: ({ value }) => value <= 100 }));
  } finally {
    await oracle.stop();
  }
  return rows;
}
