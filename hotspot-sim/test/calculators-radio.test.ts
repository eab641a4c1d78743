/**
 * The `airtime` and `link` calculators (issue 4 public contract): JSON keys, values from the Semtech
 * formula and radio.md, exit codes and stderr for bad input. A few cases spawn the real binary; the
 * rest go through the same `runCli` main loop in-process (same parsing, output and exit codes) to keep
 * the file fast on CI's shared cores.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '@hexium/shared/node/run-cli';
import { describe, expect, it } from 'vitest';

// The binary lives in @hexium/harness (it wires the in-process oracle for `run`); spawned by path, not
// imported, so this package still depends on nothing above it.
const bin = fileURLToPath(new URL('../../harness/bin/hotspot-sim.mjs', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawn `node harness/bin/hotspot-sim.mjs …`. */
function spawnRun(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 300_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const table = {
  airtime: () => import('../src/commands/airtime.ts'),
  link: () => import('../src/commands/link.ts'),
};

/** The same commands through runCli in this process. */
async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), readInput: async () => '' };
  const code = await runCli('hotspot-sim', 'test', table, args, io);
  return { code, stdout, stderr };
}

describe('hotspot-sim airtime', () => {
  it('prints one JSON object with the contract keys (US915 beacon SF9/125 52 B = 328.704 ms)', async () => {
    const r = await spawnRun('airtime', '--sf', '9', '--bw', '125', '--cr', '4/5', '--payload', '52', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // (8 + 4.25 + 68)·4.096 ms, see shared/src/radio/airtime.test.ts
    expect(j.timeOnAirMs).toBeCloseTo(328.704, 9);
    expect(j.symbolTimeMs).toBeCloseTo(4.096, 12);
    expect(j.payloadSymbols).toBe(68);
    expect(j.lowDataRateOptimize).toBe(false);
  });

  it('honours --no-crc, --implicit-header, --preamble and --ldro', async () => {
    // SF12/125, 52 B, CRC off, LDRO forced off: num = 416 − 48 + 28 = 396; 396/48 = 8.25 → 9 → 8 + 45 = 53
    // symbols; preamble 10 → (10 + 4.25 + 53)·32.768 = 67.25·32.768 = 2203.648 ms
    const r = await run('airtime', '--sf', '12', '--payload', '52', '--no-crc', '--preamble', '10', '--ldro', 'off', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.timeOnAirMs).toBeCloseTo(2203.648, 9);
    expect(j.lowDataRateOptimize).toBe(false);
    expect(j.payloadSymbols).toBe(53);
    // SF7/125, 10 B, implicit header: (12.25 + 23)·1.024 = 36.096 ms
    const ih = JSON.parse((await run('airtime', '--sf', '7', '--payload', '10', '--implicit-header', '--json')).stdout);
    expect(ih.timeOnAirMs).toBeCloseTo(36.096, 9);
  });

  it('prints a readable table by default and help with --help', async () => {
    const r = await run('airtime', '--sf', '12', '--payload', '52');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/time on air\s+2465\.792 ms/);
    expect(r.stdout).toMatch(/LDRO\s+on/);
    const h = await run('airtime', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--implicit-header');
  });

  it('exits non-zero with a clear message on bad input', async () => {
    const sf = await spawnRun('airtime', '--sf', '13', '--payload', '10');
    expect(sf.code).toBe(2);
    expect(sf.stderr).toMatch(/--sf must be ≤ 12/);
    const cr = await run('airtime', '--sf', '7', '--payload', '10', '--cr', '4/9');
    expect(cr.code).toBe(2);
    expect(cr.stderr).toMatch(/--cr must be one of/);
    const missing = await run('airtime', '--sf', '7');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--payload is required/);
  });
});

describe('hotspot-sim link', () => {
  it('reproduces the radio.md §3.4 vector (Hata urban 915 MHz 3 km, 20 dBm, 2 + 3 dBi)', async () => {
    const r = await spawnRun('link', '--model', 'hata-urban', '--freq', '915', '--distance', '3', '--tx-power', '20', '--tx-gain', '2', '--rx-gain', '3', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pathLossDb).toBeCloseTo(143.4, 2);
    expect(j.rssiDbm).toBeCloseTo(-118.4, 2);
    expect(j.snrDb).toBeCloseTo(-1.37, 2);
    expect(j.noiseFloorDbm).toBeCloseTo(-117.03, 2);
    // S = −117.0309 + SNRreq: −124.53 … −137.03
    expect(Object.keys(j.sensitivityDbm)).toEqual(['7', '8', '9', '10', '11', '12']);
    expect(j.sensitivityDbm['7']).toBeCloseTo(-124.5309, 4);
    expect(j.sensitivityDbm['12']).toBeCloseTo(-137.0309, 4);
    expect(j.decodableSf).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('takes log-distance parameters from flags and negative values with "="', async () => {
    // LoRaSim parameters at 2 km: 127.41 + 20.8·log10(2000/40) = 127.41 + 20.8·1.698970 = 127.41 + 35.33858
    //   = 162.74858 dB; RSSI = 14 − 2 − 162.74858 = −150.74858 dBm: below every sensitivity → no SF
    const r = await run('link', '--model', 'log-distance', '--freq', '868', '--distance', '2', '--d0', '40', '--pl0', '127.41', '--exponent', '2.08', '--tx-power', '14', '--tx-gain=-2', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pathLossDb).toBeCloseTo(162.7486, 3);
    expect(j.rssiDbm).toBeCloseTo(-150.7486, 3);
    expect(j.decodableSf).toEqual([]);
  });

  it('runs the named presets: fspl, log-distance-urban, lorasim, oulu', async () => {
    // fspl 868.1 MHz 1 km = 91.22 dB; ns-3 urban 1 km = 120.5 dB; LoRaSim 40 m = 127.41 dB; Oulu 1 km = 128.95 dB
    const pl = async (model: string, km: string, mhz = '868.1') => JSON.parse((await run('link', '--model', model, '--freq', mhz, '--distance', km, '--json')).stdout).pathLossDb;
    const [fspl, urban, lorasim, oulu] = await Promise.all([pl('fspl', '1'), pl('log-distance-urban', '1'), pl('lorasim', '0.04'), pl('oulu', '1')]);
    expect(fspl).toBeCloseTo(91.22, 2);
    expect(urban).toBeCloseTo(120.5, 9);
    expect(lorasim).toBeCloseTo(127.41, 9);
    expect(oulu).toBeCloseTo(128.95, 9);
  });

  it('refuses Hata outside its validity range unless --force', async () => {
    const r = await spawnRun('link', '--model', 'hata-suburban', '--freq', '915', '--distance', '0.5', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/outside its validity range.*distance 0\.5 km.*--force/s);
    // Forced: 115.9867 − 2·(log10(915/28))² − 5.4 = 115.9867 − 4.5860 − 5.4 = 106.0007 dB
    const f = await run('link', '--model', 'hata-suburban', '--freq', '915', '--distance', '0.5', '--force', '--json');
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout).pathLossDb).toBeCloseTo(106.0007, 3);
  });

  it('exits non-zero on an unknown model, a missing flag or a negative number without "="', async () => {
    const [model, missing, neg, table] = await Promise.all([
      run('link', '--model', 'swamp', '--freq', '915', '--distance', '1'),
      run('link', '--model', 'fspl', '--freq', '915'),
      run('link', '--model', 'fspl', '--freq', '915', '--distance', '1', '--tx-gain', '-2'),
      run('link', '--model', 'hata-open', '--freq', '915', '--distance', '10'),
    ]);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/unknown --model "swamp"/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--distance is required/);
    expect(neg.code).toBe(2);
    expect(neg.stderr).toMatch(/--tx-gain=-XYZ/);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SF12\s+-137\.03/);
  });
});
