/**
 * Crash safety (docs/security-testing.md): `oracle serve` as a child process on a PGlite data directory
 * in a temp dir, killed with SIGKILL (no shutdown code runs) and started again on the same directory.
 * - During ingest: every witness report that got a QoS 1 PUBACK is in the report log after the restart
 *   (docs/protocol.md "Signing": a QoS 1 report is acknowledged only once durable).
 * - During reward catch-up: no epoch is paid twice, epochs are consecutive, and the manifest chain
 *   verifies with `oracle manifest verify`.
 * System tier (`npm run test:system`): it starts real oracle processes (about a minute on a loaded machine).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { openStore } from '../../oracle/src/store/open-store.ts';
import { openFileLog } from '../../oracle/src/store/report-log/file-log.ts';
import { beaconReport, connectToken, hotspotKey, onboardingBody, witnessReport } from '../../oracle/test/helpers/devices.ts';
import { DEMO_PARAMS } from '../../shared/src/params/network-params.ts';
import { REPO_ROOT, spawnServe, type ServeProcess } from './serve-process.ts';

const dirs: string[] = [];
const running: ServeProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'hexium-crash-'));
  dirs.push(d);
  return d;
}

async function serve(dataDir: string, params = 'demo'): Promise<ServeProcess> {
  const p = await spawnServe(['--data-dir', dataDir, '--params', params, '--admin-token', 'admin', '--log-level', 'info']);
  running.push(p);
  return p;
}

/** SIGKILL: the process gets no chance to flush, close or say goodbye. */
async function kill9(p: ServeProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  p.child.kill('SIGKILL');
  await exited;
}

describe('kill -9 during ingest', () => {
  it('keeps every report that got a PUBACK', async () => {
    const dataDir = await tempDir();
    const key = hotspotKey('crash-ingest');
    const beaconer = hotspotKey('crash-beaconer');
    let oracle = await serve(dataDir);
    for (const k of [key, beaconer]) {
      const r = await fetch(`${oracle.httpUrl}/api/v1/hotspots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(onboardingBody(k, 48.85, 2.35, Date.now())) });
      expect(r.status).toBe(201);
    }
    const client = await mqtt.connectAsync(oracle.mqttUrl, { clientId: key.address, username: key.address, password: connectToken(key, Date.now()), reconnectPeriod: 0 });
    client.on('error', () => undefined);
    // With no reconnect, mqtt.js leaves in-flight publishes pending when the socket dies; ending the
    // client fails them.
    client.on('close', () => client.end(true));
    const entropy = { v: 1 as const, dataHex: '5a'.repeat(32), timestampS: Math.floor(Date.now() / 1000), version: 0 };
    const params = DEMO_PARAMS;
    const acked: string[] = [];
    const topic = `hexium/hotspot/${key.address}/event/witness`;
    // Publish a stream of distinct signed witness reports, 8 in flight, and SIGKILL the oracle once 150
    // are acknowledged: the reports in flight at that moment may be lost, the acknowledged ones may not.
    let i = 0;
    let killed = false;
    const sendOne = async (): Promise<void> => {
      while (!killed) {
        const n = i++;
        const payload = JSON.stringify(witnessReport(key, beaconReport(beaconer, entropy, params, n.toString(16).padStart(8, '0')), -100 - (n % 30)));
        try {
          await client.publishAsync(topic, payload, { qos: 1 });
        } catch {
          return; // the connection died with the oracle
        }
        acked.push(payload); // resolved = PUBACK received, even if read after the kill
        if (acked.length >= 150 && !killed) {
          killed = true;
          await kill9(oracle);
          client.end(true);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, sendOne));
    client.end(true);
    expect(acked.length).toBeGreaterThanOrEqual(150);

    // Start again on the same directory (the log recovers), then stop it cleanly and read the log.
    oracle = await serve(dataDir);
    expect((await fetch(`${oracle.httpUrl}/api/v1/health`)).status).toBe(200);
    await oracle.stop();
    const log = await openFileLog({ dir: path.join(dataDir, 'reports') });
    const stored = new Set((await log.read(0, Number.MAX_SAFE_INTEGER)).map((r) => r.raw));
    await log.close();
    const lost = acked.filter((p) => !stored.has(p));
    expect(lost, `${lost.length} of ${acked.length} acknowledged reports lost`).toEqual([]);
  });
});

describe('kill -9 during reward catch-up', () => {
  it('pays no epoch twice and the manifest chain verifies', async () => {
    const dataDir = await tempDir();
    // 10-second epochs (1 s offset) so the rewarder's first tick comes within seconds.
    const paramsFile = path.join(dataDir, 'params.json');
    await writeFile(paramsFile, JSON.stringify({ profile: 'demo', epochLengthS: 10, rewardOffsetS: 1, beaconIntervalS: 10 }));
    const lenS = 10;
    let oracle = await serve(dataDir, paramsFile);
    await oracle.stop();
    // Make a backlog: move the stored first epoch 3000 epochs back (an oracle that was down 8⅓ hours).
    const backlog = 3000;
    let sql = await openStore({ databaseUrl: null, dataDir });
    const first = Number((await sql.query("SELECT value FROM meta WHERE key = 'first_epoch'")).rows[0].value);
    await sql.query("UPDATE meta SET value = $1 WHERE key = 'first_epoch'", [String(first - backlog)]);
    await sql.close();

    oracle = await serve(dataDir, paramsFile);
    // SIGKILL as soon as the catch-up has written an epoch (it is then still going: checked after the restart).
    const rewarded = () => (oracle.log().match(/"epoch rewarded"/g) ?? []).length;
    const start = Date.now();
    while (rewarded() < 1) {
      if (Date.now() - start > 300_000) throw new Error(`catch-up did not start:\n${oracle.log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await kill9(oracle);

    oracle = await serve(dataDir, paramsFile);
    const due = () => Math.floor((Date.now() / 1000 - 1) / lenS) - 1; // last epoch whose end + offset has passed
    const deadline = Date.now() + 600_000;
    for (;;) {
      const latest = (await (await fetch(`${oracle.httpUrl}/api/v1/epochs?limit=1000`)).json()).epochs as { epoch: number; verified: boolean }[];
      if (latest.length > 0 && latest[0].epoch >= due() - 1) {
        expect(latest.every((e) => e.verified)).toBe(true);
        break;
      }
      if (Date.now() > deadline) throw new Error('catch-up did not finish');
      await new Promise((r) => setTimeout(r, 500));
    }
    // The restarted oracle had catch-up left to do (more epochs than the few that came due meanwhile).
    const afterRestart = rewarded();
    expect(afterRestart, 'the kill interrupted the catch-up').toBeGreaterThan(20);
    await oracle.stop();

    // Every stored epoch, from the store itself.
    sql = await openStore({ databaseUrl: null, dataDir });
    const rows = (await sql.query('SELECT epoch, manifest FROM epochs ORDER BY epoch')).rows as { epoch: number; manifest: unknown }[];
    const paidRows = Number((await sql.query('SELECT count(*)::int AS n FROM (SELECT epoch, hotspot FROM epoch_rewards GROUP BY epoch, hotspot HAVING count(*) > 1) d')).rows[0].n);
    await sql.close();
    const numbers = rows.map((r) => r.epoch);
    expect(new Set(numbers).size, 'an epoch stored twice').toBe(numbers.length);
    expect(paidRows, 'a hotspot paid twice in one epoch').toBe(0);
    expect(numbers[0]).toBe(first - backlog);
    expect(numbers.length).toBeGreaterThan(backlog);
    numbers.forEach((n, k) => expect(n, 'epochs are consecutive').toBe(numbers[0] + k));

    // The whole chain through `oracle manifest verify` (hash, signature, prevHash links, consecutive epochs).
    const file = path.join(dataDir, 'manifests.json');
    await writeFile(file, JSON.stringify(rows.map((r) => r.manifest)));
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'harness/bin/oracle.mjs'), 'manifest', 'verify', file], { cwd: REPO_ROOT, maxBuffer: 64 << 20 });
    const out = JSON.parse(stdout) as { valid: boolean; manifests: number; errors: string[] };
    expect(out).toMatchObject({ valid: true, manifests: numbers.length, errors: [] });
  });
});
