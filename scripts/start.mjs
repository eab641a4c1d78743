#!/usr/bin/env node
/**
 * `npm start`: the whole network on one machine.
 *   1. builds the map (map-ui/dist) when it is missing or older than its sources,
 *   2. starts `oracle serve` (embedded MQTT broker, PGlite in --data-dir, demo parameters),
 *   3. generates (once) and runs a simulated network live against it with `hotspot-sim run`,
 *   4. prints the URLs; Ctrl-C stops the simulator, then the oracle. Starting again resumes from --data-dir.
 *
 * Flags (after `npm start --`) and their environment variables:
 *   --http-port N    HEXIUM_HTTP_PORT   default 8080 (the map and API)
 *   --mqtt-port N    HEXIUM_MQTT_PORT   default 1883
 *   --ws-port N      HEXIUM_WS_PORT     default 8083
 *   --data-dir DIR   HEXIUM_DATA_DIR    default ./data
 *   --hotspots N     HEXIUM_HOTSPOTS    default 300
 *   --sensors N      HEXIUM_SENSORS     default 1000
 *   --sensor-interval S  HEXIUM_SENSOR_INTERVAL  default 900 (mean seconds between a sensor's uplinks)
 *   --area A         HEXIUM_AREA        default san-francisco (a hotspot-sim area preset or w,s,e,n)
 *   --scenario FILE  HEXIUM_SCENARIO    run this scenario instead of generating one
 *   --params P       HEXIUM_PARAMS      default demo
 *   --no-sim                            start only the oracle and the map
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;

let flags;
try {
  ({ values: flags } = parseArgs({
    args: process.argv.slice(2),
    options: {
      'http-port': { type: 'string', default: env.HEXIUM_HTTP_PORT ?? '8080' },
      'mqtt-port': { type: 'string', default: env.HEXIUM_MQTT_PORT ?? '1883' },
      'ws-port': { type: 'string', default: env.HEXIUM_WS_PORT ?? '8083' },
      'data-dir': { type: 'string', default: env.HEXIUM_DATA_DIR ?? './data' },
      hotspots: { type: 'string', default: env.HEXIUM_HOTSPOTS ?? '300' },
      sensors: { type: 'string', default: env.HEXIUM_SENSORS ?? '1000' },
      'sensor-interval': { type: 'string', default: env.HEXIUM_SENSOR_INTERVAL ?? '900' },
      area: { type: 'string', default: env.HEXIUM_AREA ?? 'san-francisco' },
      scenario: { type: 'string', default: env.HEXIUM_SCENARIO },
      params: { type: 'string', default: env.HEXIUM_PARAMS ?? 'demo' },
      'no-sim': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (e) {
  console.error(`npm start: ${e.message}\n(see "npm start -- --help")`);
  process.exit(2);
}
if (flags.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^#!.*\n\/\*\*\n?/, '').replace(/^ \* ?/gm, ''));
  process.exit(0);
}
if (!(Number(flags['sensor-interval']) > 0)) {
  console.error(`npm start: --sensor-interval must be a number of seconds > 0, got "${flags['sensor-interval']}"`);
  process.exit(2);
}
for (const k of ['http-port', 'mqtt-port', 'ws-port', 'hotspots', 'sensors']) {
  const n = Number(flags[k]);
  if (!Number.isInteger(n) || n < 0 || (k.endsWith('port') && (n === 0 || n > 65535))) {
    console.error(`npm start: --${k} must be ${k.endsWith('port') ? 'a port 1–65535' : 'a whole number ≥ 0'}, got "${flags[k]}"`);
    process.exit(2);
  }
}

const dataDir = resolve(flags['data-dir']);
mkdirSync(dataDir, { recursive: true });
const node = process.execPath;
const oracleBin = join(root, 'harness/bin/oracle.mjs');
const simBin = join(root, 'harness/bin/hotspot-sim.mjs');

// 1. The map: build when missing or stale.
function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}
const mapDist = join(root, 'map-ui/dist/index.html');
const mapSrcTime = Math.max(newestMtime(join(root, 'map-ui/src')), statSync(join(root, 'map-ui/index.html')).mtimeMs);
if (!existsSync(mapDist) || statSync(mapDist).mtimeMs < mapSrcTime) {
  console.log('building the map (map-ui/dist) …');
  const r = spawnSync('npm', ['run', 'build', '-w', 'map-ui'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error('npm start: the map build failed');
    process.exit(1);
  }
}

// 2. Secrets kept in the data dir so a restart resumes with the same credentials.
function secret(file) {
  const p = join(dataDir, file);
  if (!existsSync(p)) writeFileSync(p, randomBytes(24).toString('hex') + '\n', { mode: 0o600 });
  return readFileSync(p, 'utf8').trim();
}
const adminToken = env.HEXIUM_ADMIN_TOKEN ?? secret('admin-token');
const fleetSecret = secret('fleet-secret');

// 3. The scenario: generated once per (hotspots, sensors, sensor interval, area), with a handful of adversaries.
//    Sensors send every 15 min on average, as real LoRaWAN sensors do (hotspot-sim generate
//    --sensor-interval): the demo parameters compress proof-of-coverage time, not the sensors.
let scenarioPath = flags.scenario ? resolve(flags.scenario) : null;
if (!scenarioPath && !flags['no-sim']) {
  scenarioPath = join(dataDir, `scenario-${flags.area.replace(/[^A-Za-z0-9.-]/g, '_')}-${flags.hotspots}-${flags.sensors}-${flags['sensor-interval']}s.json`);
  if (!existsSync(scenarioPath)) {
    const r = spawnSync(node, [simBin, 'generate', '--hotspots', flags.hotspots, '--sensors', flags.sensors, '--area', flags.area, '--seed', '1', '--params', flags.params, '--sensor-interval', flags['sensor-interval'], '--name', 'npm start demo'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`npm start: hotspot-sim generate failed:\n${r.stderr}`);
      process.exit(1);
    }
    const scenario = JSON.parse(r.stdout);
    const n = Number(flags.hotspots);
    if (n >= 50) {
      scenario.adversaries = [
        { kind: 'location-spoofer', count: 2 },
        { kind: 'rssi-inflater', count: 2 },
        { kind: 'colluding-ring', count: 3 },
        { kind: 'offline', count: 2, pattern: 'flaky' },
        { kind: 'silent', count: 1 },
        { kind: 'data-only', count: 1 },
      ];
    }
    scenario.duration = { seconds: 10 * 365 * 86400 }; // live: runs until Ctrl-C
    writeFileSync(scenarioPath, JSON.stringify(scenario, null, 2) + '\n');
  }
}

// 4. Start the oracle, wait for health, then the simulator.
const children = [];
let stopping = false;
/**
 * A young generation of 64 MiB per semi-space instead of V8's 16: a report lives from its arrival until
 * it is verified and durable (tens of milliseconds), long enough to survive a 16 MiB scavenge and be
 * copied; with more room it dies young (docs/architecture.md "Sustained load: memory and garbage collection").
 */
const NODE_FLAGS = ['--max-semi-space-size=64'];
function start(name, args, extraEnv = {}) {
  const child = spawn(node, [...NODE_FLAGS, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, ...extraEnv } });
  children.push({ name, child });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`npm start: ${name} exited (${signal ?? code}); stopping everything`);
      stop(code || 1);
    }
  });
  return child;
}
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const { child } of [...children].reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await new Promise((r) => {
        const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 15_000);
        child.once('exit', () => { clearTimeout(t); r(); });
      });
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const httpUrl = `http://127.0.0.1:${flags['http-port']}`;
start('oracle', [oracleBin, 'serve', '--params', flags.params, '--data-dir', dataDir, '--http-port', flags['http-port'], '--mqtt-port', flags['mqtt-port'], '--ws-port', flags['ws-port']], {
  HEXIUM_ADMIN_TOKEN: adminToken,
  HEXIUM_FLEETS: `sim:${fleetSecret}`,
  // the detailed basemap's one-time build starts with the oracle, in the background (docs/map.md "Basemap")
  HEXIUM_BASEMAP_BUILD: env.HEXIUM_BASEMAP_BUILD ?? 'start',
});
// generous: the first start on a machine makes the database template, and a loaded machine is slow
const deadline = Date.now() + 600_000;
for (;;) {
  try {
    const res = await fetch(`${httpUrl}/api/v1/health`);
    if (res.ok) break;
  } catch {
    // not listening yet
  }
  if (stopping) await new Promise(() => {});
  if (Date.now() > deadline) {
    console.error('npm start: the oracle did not become healthy within 600 s');
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}

if (scenarioPath) {
  start('simulator', [simBin, 'run', scenarioPath, '--mode', 'live', '--broker', `mqtt://127.0.0.1:${flags['mqtt-port']}`, '--oracle', httpUrl, '--fleet', `sim:${fleetSecret}`, '--admin-token', adminToken]);
}
console.log(`
  Hexium is running
    map         ${httpUrl}/
    API         ${httpUrl}/api/v1/health   (OpenAPI: ${httpUrl}/docs)
    live events ${httpUrl}/api/v1/events
    MQTT        mqtt://127.0.0.1:${flags['mqtt-port']}   (WebSocket ws://127.0.0.1:${flags['ws-port']}/mqtt)
    data        ${dataDir}${scenarioPath ? `\n    scenario    ${scenarioPath}` : ''}
  Ctrl-C stops everything.
`);
