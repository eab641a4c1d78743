/**
 * `hotspot-sim gateway`: the hotspot firmware on a real LoRa gateway. Each `--key` (a `hotspot-sim
 * keygen --json` file) is paired in order with one `--udp` address where a Semtech UDP packet forwarder
 * (GWMP v2) connects; the firmware talks to the oracle over MQTT. docs/gateways.md.
 */
import { readFile } from 'node:fs/promises';
import { UsageError, parseFlags, formatTable, type Command } from '@hexium/shared/cli/args';
import { keyPairFromSeed, type KeyPair } from '@hexium/shared/identity/index';
import { runGateways, GatewaySetupError, type GatewaysHandle, type GatewaySpec } from '../gateway/run-gateways.ts';

const help = `Usage: hotspot-sim gateway --key key.json --udp HOST:PORT [--key k2.json --udp HOST:PORT …]
                          --broker URL --oracle URL [--topic-prefix P] [--report-s N]

Run hotspot firmware on real LoRa gateways: each --key is one hotspot (a file made by
"hotspot-sim keygen --json"), paired in order with one --udp address where that gateway's Semtech UDP
packet forwarder (GWMP v2; global_conf.json server_address / serv_port_up / serv_port_down) sends.
The hotspot must be onboarded (asserted location, gain, region) at the oracle first.

  --key FILE          hotspot identity JSON { address, seedHex, … } (repeat for several gateways)
  --udp HOST:PORT     UDP address to listen on, e.g. 0.0.0.0:1680 or [::]:1680 (one per --key)
  --broker URL        oracle MQTT broker, e.g. mqtt://oracle.example:1883 (a fresh signed connect
                      token on every (re)connect)
  --oracle URL        oracle HTTP API, e.g. http://oracle.example:8080 (hotspot detail and params)
  --topic-prefix P    MQTT topic prefix (default hexium)
  --report-s N        print the counters every N seconds (default 60; 0 = only at exit)

Received frames: CRC-failed ones are dropped and counted; Helium beacons become witness reports;
LoRaWAN frames become uplink reports. Beacons go out as txpk imme, downlinks at their RX1/RX2 tmst;
TX_ACK errors (TOO_LATE, COLLISION_PACKET, …) are counted and logged. The forwarder's stat becomes
the hotspot's stats message. Malformed datagrams are counted by reason and dropped.
Logs are JSON lines on stderr. Stop with Ctrl-C (SIGINT) or SIGTERM.`;

/** "0.0.0.0:1680", "[::]:1680", "localhost:1700" → host and port. */
export function parseUdpAddress(raw: string): { host: string; port: number } {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(raw) ?? /^([^:[\]]+):(\d{1,5})$/.exec(raw);
  if (!m) throw new UsageError(`--udp must be HOST:PORT (IPv6 as [ADDR]:PORT), got "${raw}"`);
  const port = Number(m[2]);
  if (port > 65535) throw new UsageError(`--udp port must be 0..65535, got ${port}`);
  return { host: m[1], port };
}

/** Read a `hotspot-sim keygen --json` file; the address must be the seed's. */
export async function readKeyFile(file: string): Promise<KeyPair> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--key ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    throw new UsageError(`--key ${file}: not JSON (make one with "hotspot-sim keygen --json > ${file}")`);
  }
  const o = j as { seedHex?: unknown; address?: unknown };
  if (typeof o.seedHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(o.seedHex)) throw new UsageError(`--key ${file}: "seedHex" must be 64 hex characters`);
  const kp = keyPairFromSeed(new Uint8Array(Buffer.from(o.seedHex, 'hex')));
  if (o.address !== undefined && o.address !== kp.address) throw new UsageError(`--key ${file}: "address" ${String(o.address)} is not the address of its seed (${kp.address})`);
  return kp;
}

function checkUrl(name: string, raw: string | undefined, protocols: string[]): string {
  if (!raw) throw new UsageError(`--${name} is required`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(u.protocol)) throw new UsageError(`--${name} must start with ${protocols.map((p) => p + '//').join(' or ')}, got "${raw}"`);
  return raw;
}

/** A counters table of every bridge (sorted by address). */
export function formatGatewayCounters(h: GatewaysHandle): string {
  const rows = [...h.bridges]
    .sort((a, b) => (a.key.address < b.key.address ? -1 : a.key.address > b.key.address ? 1 : 0))
    .map((b) => {
      const s = b.server.counters;
      const kv = (r: Record<string, number>) => Object.keys(r).sort().map((k) => `${k}=${r[k]}`).join(',') || '-';
      return [b.key.name, b.firmware.state, s.rxpk, b.counters.rxCrcDropped, b.counters.rxBeacons, b.firmware.counters.witnessesSent, b.counters.txBeacons, b.counters.txDownlinks, kv(s.txAck), kv(s.dropped)];
    });
  return formatTable(rows, ['hotspot', 'mqtt', 'rxpk', 'crc-dropped', 'beacons-heard', 'witnesses', 'beacons-sent', 'downlinks', 'tx-ack', 'udp-dropped']);
}

const command: Command = {
  name: 'gateway',
  summary: 'Run hotspot firmware on real LoRa gateways through the Semtech UDP packet forwarder',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      key: { type: 'string', multiple: true },
      udp: { type: 'string', multiple: true },
      broker: { type: 'string' },
      oracle: { type: 'string' },
      'topic-prefix': { type: 'string' },
      'report-s': { type: 'string' },
    });
    const keys = values.key ?? [];
    const udps = values.udp ?? [];
    if (keys.length === 0) throw new UsageError('--key is required (a file made by "hotspot-sim keygen --json")');
    if (udps.length !== keys.length) throw new UsageError(`give one --udp per --key (got ${keys.length} --key and ${udps.length} --udp)`);
    const brokerUrl = checkUrl('broker', values.broker, ['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']);
    const oracleUrl = checkUrl('oracle', values.oracle, ['http:', 'https:']);
    const reportS = values['report-s'] === undefined ? 60 : Number(values['report-s']);
    if (!Number.isFinite(reportS) || reportS < 0) throw new UsageError(`--report-s must be a number ≥ 0, got "${values['report-s']}"`);
    const addrs = udps.map(parseUdpAddress);
    const seen = new Set<string>();
    for (const a of addrs) {
      const k = `${a.host}:${a.port}`;
      if (a.port !== 0 && seen.has(k)) throw new UsageError(`--udp ${k} is given twice`);
      seen.add(k);
    }
    const pairs: GatewaySpec[] = [];
    for (let i = 0; i < keys.length; i++) pairs.push({ key: await readKeyFile(keys[i]), udp: addrs[i] });
    const dup = pairs.find((p, i) => pairs.findIndex((q) => q.key.address === p.key.address) !== i);
    if (dup) throw new UsageError(`hotspot ${dup.key.address} is given twice`);
    const log = (e: Record<string, unknown>) => io.stderr(JSON.stringify({ t: new Date().toISOString(), ...e }) + '\n');
    let handle: GatewaysHandle;
    try {
      handle = await runGateways({ brokerUrl, oracleUrl, gateways: pairs, topicPrefix: values['topic-prefix'], log });
    } catch (e) {
      if (e instanceof GatewaySetupError) {
        io.stderr(`hotspot-sim gateway: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const report = reportS > 0 ? setInterval(() => io.stdout(formatGatewayCounters(handle)), reportS * 1000) : null;
    await new Promise<void>((resolve) => {
      const done = () => {
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    if (report) clearInterval(report);
    log({ ev: 'stopping' });
    await handle.stop();
    io.stdout(formatGatewayCounters(handle));
    return 0;
  },
};

export default command;
