#!/usr/bin/env node
/**
 * Hexium device helpers in plain JavaScript — only `node:crypto`, no npm package — so any device
 * maker can read, port or copy them (docs/devices.md). Imported by `examples/device.mjs`; also a CLI
 * for shell devices (mosquitto_pub / mosquitto_sub):
 *
 *   node examples/sign.mjs address  <seedHex>                       → Helium base58 address
 *   node examples/sign.mjs token    <seedHex> [timestampMs]         → MQTT password "<ts>.<base64 sig>"
 *   node examples/sign.mjs onboard  <seedHex> <h3Cell|null> [gainDbi] [elevationM] [region]
 *                                                                   → signed onboarding body (JSON)
 *   node examples/sign.mjs sign     <seedHex> < message.json        → the message with "signature"
 *   node examples/sign.mjs beacon   <seedHex> <apiUrl> <region> <gainDbi> < entropy.json
 *                                                                   → signed BeaconReport for that entropy
 *   node examples/sign.mjs witness  <seedHex> <rssiDbm> <snrDb> < beacon-report.json
 *                                                                   → signed WitnessReport of that beacon
 *
 * The rules they implement (docs/protocol.md, docs/api.md):
 * - address: @helium/address b58check of [version 0x00, mainnet+ed25519 0x01, 32-byte public key],
 *   checksum = first 4 bytes of SHA-256(SHA-256(payload));
 * - signature: base64 ed25519 over the RFC 8785 canonical JSON of the message without `signature`;
 * - connect token: password `<timestampMs>.<base64 ed25519 signature of "hexium-connect:<address>:<timestampMs>">`;
 * - beacon: Helium's beacon (helium/proto beacon/src/lib.rs): seed = SHA-256(remote ‖ i64le(remote ts s) ‖
 *   local ‖ i64le(0)), 51 low bytes of ChaCha12 words, frequency by u16le(data[0..2]) mod channel count,
 *   data rate = first spreading of params[0] with maxPacketSize ≥ 51, power = trunc(max EIRP − gain).
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex'); // RFC 8410
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Base58 (Bitcoin alphabet) of bytes. */
export function base58(bytes) {
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

const sha256 = (b) => createHash('sha256').update(b).digest();

/** A device key from a 32-byte seed (hex): { address, publicKey, privateKey }. */
export function keyFromSeedHex(seedHex) {
  if (!/^[0-9a-fA-F]{64}$/.test(seedHex)) throw new Error('seed must be 64 hex characters');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seedHex, 'hex')]), format: 'der', type: 'pkcs8' });
  const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');
  const payload = Buffer.concat([Buffer.from([0x00, 0x01]), publicKey]);
  const address = base58(Buffer.concat([payload, sha256(sha256(payload)).subarray(0, 4)]));
  return { address, publicKey, privateKey };
}

/** A fresh random seed (hex). Prefer `npx hotspot-sim keygen --json`, which also gives the animal name. */
export const newSeedHex = () => randomBytes(32).toString('hex');

/** RFC 8785 canonical JSON for what Hexium messages hold (objects, arrays, strings, finite numbers, booleans, null). */
export function canonicalJson(v) {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError('non-finite number');
    return JSON.stringify(v); // ECMAScript number and string serialization is what RFC 8785 prescribes
  }
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort(); // UTF-16 code unit order
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
}

/** The message with `signature` over its canonical JSON without `signature`. */
export function signMessage(message, key) {
  const { signature: _drop, ...rest } = message;
  return { ...rest, signature: sign(null, Buffer.from(canonicalJson(rest)), key.privateKey).toString('base64') };
}

/** MQTT password for `key` at `timestampMs` (the oracle accepts ±5 min by default, each newer than the last). */
export function connectToken(key, timestampMs = Date.now()) {
  const ts = Math.round(timestampMs);
  return `${ts}.${sign(null, Buffer.from(`hexium-connect:${key.address}:${ts}`), key.privateKey).toString('base64')}`;
}

/** Signed onboarding body for POST /api/v1/hotspots (docs/api.md). `location`: H3 res-12 cell (hex) or null. */
export function onboardingBody(key, { location, gainDbi = 1.2, elevationM = 10, fullHotspot = true, region, fleet, timestampMs = Date.now() }) {
  const body = { v: 1, address: key.address, location, gainDbi, elevationM, fullHotspot, timestampMs };
  if (region) body.region = region;
  if (fleet) body.fleet = fleet;
  return signMessage(body, key);
}

/** One ChaCha block (RFC 8439 §2.3 layout, 64-bit counter, zero nonce) with `rounds` rounds, as 16 words. */
function chachaBlock(key, counter, rounds) {
  const k = (i) => key.readUInt32LE(4 * i);
  const input = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, k(0), k(1), k(2), k(3), k(4), k(5), k(6), k(7), counter, 0, 0, 0];
  const x = Uint32Array.from(input);
  const rotl = (v, n) => (v << n) | (v >>> (32 - n));
  const qr = (a, b, c, d) => {
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
  };
  for (let r = 0; r < rounds; r += 2) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  return x.map((w, i) => (w + input[i]) >>> 0);
}

function i64le(n) {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(n));
  return b;
}

/**
 * The Helium beacon for an entropy message ({ dataHex, timestampS, version }) and 4 bytes of local
 * entropy, in a region described by its Helium region params (GET /api/v1/params → regions[region]).
 */
export function buildBeacon(entropy, localEntropyHex, regionParams, gainDbi) {
  const seed = sha256(Buffer.concat([Buffer.from(entropy.dataHex, 'hex'), i64le(entropy.timestampS), Buffer.from(localEntropyHex, 'hex'), i64le(0)]));
  const words = [...chachaBlock(seed, 0, 12), ...chachaBlock(seed, 1, 12), ...chachaBlock(seed, 2, 12), ...chachaBlock(seed, 3, 12)];
  const data = Buffer.from(words.slice(0, 51).map((w) => w & 0xff));
  const p0 = regionParams[0];
  const tag = p0.spreading.find((t) => t.maxPacketSize >= 51);
  const maxEirpTenths = Math.max(...regionParams.map((p) => Math.round(p.maxEirpDbm * 10)));
  return {
    dataHex: data.toString('hex'),
    frequencyHz: regionParams[(data[0] | (data[1] << 8)) % regionParams.length].channelFrequencyHz,
    channel: (data[0] | (data[1] << 8)) % regionParams.length,
    dataRate: `SF${tag.sf}BW${Math.floor(p0.bandwidthHz / 1000)}`,
    txPowerDbm: Math.trunc((maxEirpTenths - Math.round(gainDbi * 10)) / 10),
  };
}

/** Signed BeaconReport (topic hexium/hotspot/<address>/event/beacon). */
export function beaconReport(key, entropy, regionParams, gainDbi, nowMs = Date.now()) {
  const localEntropyHex = randomBytes(4).toString('hex');
  const b = buildBeacon(entropy, localEntropyHex, regionParams, gainDbi);
  return signMessage(
    { v: 1, hotspot: key.address, localEntropyHex, remoteEntropyHex: entropy.dataHex, ...b, tmst: nowMs % 2 ** 32 >>> 0, timestampMs: nowMs },
    key,
  );
}

/** Signed WitnessReport of a beacon report someone else published (topic …/event/witness). */
export function witnessReport(key, beacon, { rssiDbm, snrDb }, nowMs = Date.now()) {
  return signMessage(
    { v: 1, hotspot: key.address, dataHex: beacon.dataHex, rssiDbm, snrDb, frequencyHz: beacon.frequencyHz, dataRate: beacon.dataRate, tmst: nowMs % 2 ** 32 >>> 0, timestampMs: nowMs },
    key,
  );
}

async function readStdinJson() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
}

async function main(argv) {
  const [cmd, seedHex, ...rest] = argv;
  if (!cmd || !seedHex) {
    process.stderr.write('usage: sign.mjs address|token|onboard|sign|beacon|witness <seedHex> [...] (see the file header)\n');
    return 2;
  }
  const key = keyFromSeedHex(seedHex);
  let out;
  switch (cmd) {
    case 'address':
      out = key.address;
      break;
    case 'token':
      out = connectToken(key, rest[0] ? Number(rest[0]) : Date.now());
      break;
    case 'onboard': {
      const [cell, gain = '1.2', elevation = '10', region] = rest;
      out = JSON.stringify(onboardingBody(key, { location: !cell || cell === 'null' ? null : cell, gainDbi: Number(gain), elevationM: Number(elevation), region }));
      break;
    }
    case 'sign':
      out = JSON.stringify(signMessage(await readStdinJson(), key));
      break;
    case 'beacon': {
      const [apiUrl, region, gain = '1.2'] = rest;
      const params = await (await fetch(`${apiUrl}/api/v1/params`)).json();
      if (!params.regions?.[region]) throw new Error(`the oracle has no region params for "${region}"`);
      out = JSON.stringify(beaconReport(key, await readStdinJson(), params.regions[region], Number(gain)));
      break;
    }
    case 'witness': {
      const [rssi = '-90', snr = '5'] = rest;
      out = JSON.stringify(witnessReport(key, await readStdinJson(), { rssiDbm: Number(rssi), snrDb: Number(snr) }));
      break;
    }
    default:
      process.stderr.write(`unknown command "${cmd}"\n`);
      return 2;
  }
  process.stdout.write(out + '\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`sign.mjs: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
