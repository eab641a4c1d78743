/**
 * MQTT publisher thread of bench/oracle-server.bench.ts: one QoS 1 connection to the oracle, its own
 * event loop (so publishing does not share the oracle's), and its own CPU clock.
 *
 * Commands (postMessage):
 *  - `{ cmd: 'load', items: [topic, payload][] }` → `{ loaded }`: reports signed on the main thread;
 *  - `{ cmd: 'sign', keys, count, worker, workers, timestampMs }` → `{ signed, bytes, cpuMs, samples }`: signs
 *    `count` distinct witness reports itself into one buffer (no per-report JS strings kept). Report j has
 *    the sequence number j · workers + worker in the first 8 bytes of `dataHex`, so the oracle's stored
 *    event (`key` = dataHex) gives the planned publish time back without a lookup table;
 *  - `{ cmd: 'go', startAtMs, tickMs, perTick }` → `{ done, published, acked, cpuMs }`: publishes what was
 *    loaded or signed, `perTick` reports every `tickMs` from `startAtMs` (tickMs 0: as fast as the socket
 *    takes them), and replies when every report is PUBACKed. Every ~5 s it posts `{ progress, published, acked }`.
 *
 * CPU time is this thread's own (utime + stime of /proc/thread-self/stat, Linux; proc(5)), read with a
 * synchronous call so it is this thread that reads it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { randomBytes, sign } from 'node:crypto';
import mqtt from 'mqtt';

const { url, clockTicksPerS } = workerData;

/** CPU milliseconds this thread has used (fields 14 utime and 15 stime of proc(5) stat, in clock ticks). */
function threadCpuMs() {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) / clockTicksPerS) * 1000;
  } catch {
    return NaN; // not Linux: the CPU rows are left empty
  }
}

/**
 * RFC 8785 canonical JSON of a flat object whose values are strings (no lone surrogates) and finite
 * numbers: members sorted by key, each key and value in its JSON.stringify form (RFC 8785 §3.2.2, §3.2.3).
 * The bench's main thread checks signatures made over these bytes with @hexium/shared's signingBytes.
 */
function canonicalFlat(m) {
  return '{' + Object.keys(m).sort().map((k) => JSON.stringify(k) + ':' + JSON.stringify(m[k])).join(',') + '}';
}

// a fleet's client id is fleet:<id>[:<suffix>] (docs/protocol.md "Authentication")
const client = mqtt.connect(url, { clientId: `fleet:bench:w${workerData.index}`, username: 'fleet:bench', password: 'bench', reconnectPeriod: 0 });
client.on('connect', () => parentPort.postMessage({ ready: true }));
client.on('error', (err) => parentPort.postMessage({ error: String(err) }));

/** What `go` publishes: either [topic, payload] pairs or one buffer with offsets and topic indexes. */
let loaded = null;

function signReports({ keys, count, worker, workers, timestampMs }) {
  const cpu0 = threadCpuMs();
  const topics = keys.map((k) => `hexium/hotspot/${k.address}/event/witness`);
  // reports packed into 64 MiB chunks: per report only its chunk, start and length are kept
  const chunkOf = new Uint16Array(count);
  const startOf = new Uint32Array(count);
  const lengthOf = new Uint16Array(count);
  const keyIndex = new Uint16Array(count);
  const chunks = [];
  let chunk = Buffer.allocUnsafe(0);
  let at = 0;
  let total = 0;
  const seq = Buffer.alloc(8);
  for (let j = 0; j < count; j++) {
    const ki = j % keys.length;
    const k = keys[ki];
    seq.writeBigUInt64BE(BigInt(j * workers + worker));
    const report = {
      v: 1, hotspot: k.address, dataHex: seq.toString('hex') + randomBytes(43).toString('hex'),
      rssiDbm: -100, snrDb: 4.5, frequencyHz: 867_100_000, dataRate: 'SF12BW125', tmst: j >>> 0, timestampMs,
    };
    const signature = sign(null, Buffer.from(canonicalFlat(report), 'utf8'), k.privateKey).toString('base64');
    const json = JSON.stringify({ ...report, signature });
    const len = Buffer.byteLength(json);
    if (at + len > chunk.length) {
      chunk = Buffer.allocUnsafe(64 << 20);
      chunks.push(chunk);
      at = 0;
    }
    chunk.write(json, at, 'utf8');
    chunkOf[j] = chunks.length - 1;
    startOf[j] = at;
    lengthOf[j] = len;
    keyIndex[j] = ki;
    at += len;
    total += len;
  }
  loaded = {
    count,
    payload: (j) => chunks[chunkOf[j]].subarray(startOf[j], startOf[j] + lengthOf[j]),
    topic: (j) => topics[keyIndex[j]],
  };
  const samples = [0, 1, count - 1].filter((j) => j >= 0 && j < count).map((j) => loaded.payload(j).toString('utf8'));
  return { signed: count, bytes: total, cpuMs: threadCpuMs() - cpu0, samples };
}

async function go({ startAtMs, tickMs, perTick }) {
  const n = loaded.count;
  let acked = 0;
  let published = 0;
  const cpu0 = threadCpuMs();
  let finish;
  const allAcked = new Promise((r) => (finish = r));
  const done = (err) => {
    if (err) parentPort.postMessage({ error: String(err) });
    else if (++acked === n) finish();
  };
  const progress = setInterval(() => parentPort.postMessage({ progress: true, published, acked }), 5000);
  for (let t = 0; published < n; t++) {
    if (tickMs > 0) {
      const wait = startAtMs + t * tickMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const end = Math.min(n, published + perTick);
    for (; published < end; published++) client.publish(loaded.topic(published), loaded.payload(published), { qos: 1 }, done);
    if (tickMs === 0) await new Promise((r) => setImmediate(r));
  }
  if (n > 0) await allAcked;
  clearInterval(progress);
  const cpuMs = threadCpuMs() - cpu0;
  loaded = null;
  parentPort.postMessage({ done: true, published, acked, cpuMs });
}

parentPort.on('message', (m) => {
  if (m.cmd === 'load') {
    const items = m.items;
    loaded = { count: items.length, payload: (j) => items[j][1], topic: (j) => items[j][0] };
    parentPort.postMessage({ loaded: items.length });
  } else if (m.cmd === 'sign') {
    parentPort.postMessage(signReports(m));
  } else if (m.cmd === 'go') {
    void go(m);
  }
});
