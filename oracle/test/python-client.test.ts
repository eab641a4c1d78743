/**
 * A second client, written only from the docs (issue 17): examples/python/hexium_device.py (Python 3, paho-mqtt,
 * PyNaCl) against one in-process oracle (embedded broker over real TCP and WebSocket, PGlite in memory, the
 * real clock, `demo` params). It reproduces the worked examples of docs/protocol.md (`--self-test`), then
 * onboards three hotspots, beacons in turn while the two others witness, and reads its verdicts.
 *
 * Cells and distances are the ones of docs/harness.md "Worked example" (Amsterdam, EU868): A = 8c1969c9b2743ff,
 * B = 8c1969c9865c7ff (1989 m from A), C = 0x8c19695241809ff (3007 m from A). Expected verdicts follow
 * spec poc-and-rewards.md §(a) "Runner" and docs/life-of-a-poc-round.md (HIP-106 reciprocity):
 *   R1  A beacons: A never witnessed → the whole round is `gateway_no_valid_witnesses` (witnesses too);
 *       B and C still get lastWitness (they passed the regular checks), A gets lastBeaconReciprocity.
 *   R2  B beacons: B witnessed in R1 → valid; A beaconed with witnesses in R1 → valid, selected;
 *       C never beaconed with witnesses → `gateway_no_valid_beacons`.
 *   R3  C beacons: C witnessed in R1 → valid; A (R1) and B (R2) have beaconed → both valid, selected.
 * Beacon radio: EU868 SF12 carries 65 ≥ 51 bytes → SF12BW125; power trunc(16.1 − 1.2) = 14 dBm (docs/harness.md).
 */
import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startOracle, type OracleHandle } from '../src/server.ts';

const PYTHON = '/usr/bin/python3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(root, 'examples', 'python', 'hexium_device.py');
const CELLS = { a: '8c1969c9b2743ff', b: '8c1969c9865c7ff', c: '8c19695241809ff' } as const;

function pythonReady(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import paho.mqtt, nacl'], { stdio: 'pipe' });
    return null;
  } catch {
    return `${PYTHON} with paho-mqtt and PyNaCl is missing (apt-get install python3-paho-mqtt python3-nacl)`;
  }
}
const missing = pythonReady();
if (missing) console.warn(`python-client.test.ts skipped: ${missing}`);

interface Witness { hotspot: string; status: string; reason: string | null; selected: boolean; location: string; distanceM: number | null }
interface Round { pocId: string; beaconer: string; source: string; beacon: { status: string; reason: string | null; location: string; frequencyHz: number; dataRate: string; txPowerDbm: number }; witnesses: Witness[] }
interface Summary { hotspots: { address: string; location: string; region: string }[]; rounds: Round[] }

function runPython(args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON, [script, ...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(missing !== null)('a Python client written from the docs', () => {
  let oracle: OracleHandle;
  beforeAll(async () => {
    oracle = await startOracle(
      { dataDir: 'memory://', httpPort: 0, mqttPort: 0, wsPort: 0, params: 'demo', adminToken: 'admin' },
      { logger: pino({ level: 'silent' }) },
    );
  });
  afterAll(() => oracle?.stop());

  it('reproduces every worked example of docs/protocol.md (--self-test)', async () => {
    const r = await runPython(['--self-test'], 300_000);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^0 failure\(s\)$/m);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.code).toBe(0);
  });

  it('--help names the flags', async () => {
    const r = await runPython(['--help'], 120_000);
    expect(r.code).toBe(0);
    for (const flag of ['--api', '--mqtt', '--cells', '--seeds', '--self-test', '--timeout-s']) expect(r.stdout).toContain(flag);
  });

  // Over TCP and over WebSocket (path /mqtt) at once, with separate keys: each run has its own three rounds.
  const transports = [['TCP', () => oracle.mqttUrl], ['WebSocket', () => `${oracle.wsUrl!.replace(/\/$/, '')}/mqtt`]] as const;
  it.each(transports)('onboards, beacons, witnesses and reads the documented verdicts over %s', async (_name, url) => {
    const r = await runPython(
      ['--api', oracle.httpUrl, '--mqtt', url(), '--cells', [CELLS.a, CELLS.b, CELLS.c].join(','), '--rssi', '-100', '--snr', '5', '--timeout-s', '400'],
      1_500_000,
    );
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    const [a, b, c] = s.hotspots.map((h) => h.address);
    expect(s.hotspots.map((h) => [h.location, h.region])).toEqual([[CELLS.a, 'EU868'], [CELLS.b, 'EU868'], [CELLS.c, 'EU868']]);
    expect(s.rounds.map((x) => x.beaconer)).toEqual([a, b, c]);
    // Found on MQTT (`hexium/poc/<beaconer>/result`, matched by recomputing pocId), the API being the fallback.
    expect(s.rounds.some((x) => x.source === 'mqtt')).toBe(true);
    for (const round of s.rounds) {
      expect(round.pocId).toMatch(/^[0-9a-f]{64}$/);
      expect(round.beacon).toMatchObject({ dataRate: 'SF12BW125', txPowerDbm: 14 });
      // EU868: 867.1 + 0.2·k MHz, k = 0..7 (docs/harness.md)
      expect((round.beacon.frequencyHz - 867_100_000) % 200_000).toBe(0);
      expect(round.beacon.frequencyHz).toBeGreaterThanOrEqual(867_100_000);
      expect(round.beacon.frequencyHz).toBeLessThanOrEqual(868_500_000);
    }
    const verdicts = s.rounds.map((x) => ({
      beacon: [x.beacon.status, x.beacon.reason],
      witnesses: Object.fromEntries(x.witnesses.map((w) => [w.hotspot, [w.status, w.reason]])),
    }));
    expect(verdicts).toEqual([
      { beacon: ['invalid', 'gateway_no_valid_witnesses'], witnesses: { [b]: ['invalid', 'gateway_no_valid_witnesses'], [c]: ['invalid', 'gateway_no_valid_witnesses'] } },
      { beacon: ['valid', null], witnesses: { [a]: ['valid', null], [c]: ['invalid', 'gateway_no_valid_beacons'] } },
      { beacon: ['valid', null], witnesses: { [a]: ['valid', null], [b]: ['valid', null] } },
    ]);
    const w = (round: number, who: string) => s.rounds[round].witnesses.find((x) => x.hotspot === who)!;
    expect(w(1, a).selected).toBe(true);
    expect(w(2, a).selected).toBe(true);
    expect(w(2, b).selected).toBe(true);
    // docs/harness.md: A–B 1989 m, A–C 3007 m (cell-centre distances)
    expect(w(1, a).distanceM).toBe(1989);
    expect(w(2, a).distanceM).toBe(3007);
    // B–C is not in the docs; the triangle inequality bounds it: |3007 − 1989| ≤ d ≤ 3007 + 1989
    expect(w(2, b).distanceM).toBeGreaterThanOrEqual(1018);
    expect(w(2, b).distanceM).toBeLessThanOrEqual(4996);
  });
});
