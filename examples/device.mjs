#!/usr/bin/env node
/**
 * A stand-alone Hexium device in plain JavaScript (docs/devices.md): depends only on the `mqtt` npm
 * package, node:crypto and the helpers beside it in `sign.mjs` (which use node:crypto only).
 *
 * It plays two real hotspots side by side — a beaconer and a witness — so one run shows a complete PoC
 * round through the oracle:
 *   1. onboard both (signed POST /api/v1/hotspots),
 *   2. connect each over MQTT with its address as username and a fresh signed connect token as password,
 *   3. subscribe to entropy (retained) and to the beaconer's PoC results,
 *   4. the beaconer publishes a signed beacon report built from the current entropy,
 *   5. the witness publishes a signed witness report of that beacon,
 *   6. wait for the oracle's verdict on hexium/poc/<beaconer>/result and print it.
 * Steps 4–6 run twice, roles swapped first (HIP-106 reciprocity, see the end of the file).
 *
 *   node examples/device.mjs --api http://127.0.0.1:8080 --mqtt mqtt://127.0.0.1:1883 \
 *        [--seed HEX] [--witness-seed HEX] [--location CELL] [--witness-location CELL] \
 *        [--rssi -95] [--snr 4] [--prefix hexium] [--timeout-s 60] [--no-wait]
 *
 * Seeds default to fresh random keys (make lasting ones with `npx hotspot-sim keygen --json`). Default
 * locations are two res-12 cells in Berlin (EU868) about 1.2 km apart.
 */
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { beaconReport, connectToken, keyFromSeedHex, newSeedHex, onboardingBody, witnessReport } from './sign.mjs';

const { values: o } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://127.0.0.1:8080' },
    mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    seed: { type: 'string' },
    'witness-seed': { type: 'string' },
    location: { type: 'string', default: '8c1f1d48945d9ff' }, // Berlin Mitte, 52.5200 N 13.4050 E
    'witness-location': { type: 'string', default: '8c1f1d489206dff' }, // 52.524 N 13.421 E, 1.16 km away
    rssi: { type: 'string', default: '-95' },
    snr: { type: 'string', default: '4' },
    gain: { type: 'string', default: '1.2' },
    prefix: { type: 'string', default: 'hexium' },
    'timeout-s': { type: 'string', default: '60' },
    'no-wait': { type: 'boolean', default: false },
  },
});

const log = (...a) => console.log(new Date().toISOString(), ...a);
const beaconer = keyFromSeedHex(o.seed ?? newSeedHex());
const witness = keyFromSeedHex(o['witness-seed'] ?? newSeedHex());
const gainDbi = Number(o.gain);

async function onboard(key, location) {
  const res = await fetch(`${o.api}/api/v1/hotspots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(onboardingBody(key, { location, gainDbi, elevationM: 10 })),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`onboarding ${key.address} refused: HTTP ${res.status} ${body.code}: ${body.message}`);
  log(`onboarded ${key.address} (${body.hotspot.name}) at ${location} in ${body.hotspot.region}`);
  return body.hotspot;
}

/** Connect as a hotspot: username = address, password = signed token; OFFLINE as retained last will. */
async function connect(key) {
  const state = `${o.prefix}/hotspot/${key.address}/state/conn`;
  const client = await mqtt.connectAsync(o.mqtt, {
    clientId: key.address,
    username: key.address,
    password: connectToken(key),
    reconnectPeriod: 0,
    will: { topic: state, payload: JSON.stringify({ v: 1, hotspot: key.address, state: 'OFFLINE' }), qos: 1, retain: true },
  });
  await client.publishAsync(state, JSON.stringify({ v: 1, hotspot: key.address, state: 'ONLINE', atMs: Date.now() }), { qos: 1, retain: true });
  await client.subscribeAsync(`${o.prefix}/hotspot/${key.address}/command/+`, { qos: 1 });
  log(`connected ${key.address}`);
  return client;
}

const hotspot = await onboard(beaconer, o.location);
await onboard(witness, o['witness-location']);
const params = await (await fetch(`${o.api}/api/v1/params`)).json();
const regionParams = params.regions[hotspot.region];

const bc = await connect(beaconer);
const wc = await connect(witness);
const results = new Map(); // beaconer → resolve of its next PoC result
let entropy = null;
bc.on('message', (topic, payload) => {
  if (topic === `${o.prefix}/entropy`) entropy = JSON.parse(payload.toString());
  const m = /\/poc\/([^/]+)\/result$/.exec(topic);
  if (m && results.has(m[1])) results.get(m[1])(JSON.parse(payload.toString()));
});
// Entropy is retained: the current one arrives at once, later ones as they are minted.
await bc.subscribeAsync([`${o.prefix}/entropy`, `${o.prefix}/poc/+/result`], { qos: 1 });
while (!entropy) await new Promise((r) => setTimeout(r, 50));

/** One PoC round: `b` beacons with the current entropy, `w` reports that it heard it. */
async function round(b, bClient, w, wClient) {
  const verdict = new Promise((resolve) => results.set(b.address, resolve));
  const beacon = beaconReport(b, entropy, regionParams, gainDbi);
  await bClient.publishAsync(`${o.prefix}/hotspot/${b.address}/event/beacon`, JSON.stringify(beacon), { qos: 1 });
  log(`${b.address.slice(0, 8)}… beacons: entropy ${entropy.dataHex.slice(0, 8)}…, ${beacon.frequencyHz} Hz ${beacon.dataRate} ${beacon.txPowerDbm} dBm`);
  const seen = witnessReport(w, beacon, { rssiDbm: Number(o.rssi), snrDb: Number(o.snr) });
  await wClient.publishAsync(`${o.prefix}/hotspot/${w.address}/event/witness`, JSON.stringify(seen), { qos: 1 });
  log(`${w.address.slice(0, 8)}… witnesses it at ${seen.rssiDbm} dBm`);
  if (o['no-wait']) return null;
  log(`waiting for the verdict (entropy lifespan ${params.entropyLifespanS} s + verifier poll)…`);
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), Number(o['timeout-s']) * 1000).unref());
  const r = await Promise.race([verdict, timeout]);
  if (!r) throw new Error('no PoC result before the timeout');
  log(`beacon ${r.beacon.status}${r.beacon.reason ? ` (${r.beacon.reason})` : ''}`);
  for (const x of r.witnesses) log(`witness ${x.hotspot.slice(0, 8)}…: ${x.status}${x.reason ? ` (${x.reason})` : ''}${x.selected ? ', selected' : ''}`);
  return r;
}

// HIP-106 reciprocity: a witness counts only if the beaconer has witnessed and the witness has beaconed
// within the reciprocity window. Two fresh hotspots therefore swap roles once first (that round is
// invalid: gateway_no_valid_witnesses), then the real round is valid.
let code = 0;
try {
  await round(witness, wc, beaconer, bc);
  const r = await round(beaconer, bc, witness, wc);
  if (r) console.log(JSON.stringify(r));
} catch (e) {
  log(e.message);
  code = 1;
}
await Promise.all([bc.endAsync(), wc.endAsync()]);
process.exitCode = code;
