/**
 * `hotspot-sim forwarder`: a simulated town's radio behind Semtech UDP packet forwarders. The scenario's
 * medium and sensors run on the wall clock; hotspot i's radio is a packet forwarder (GWMP v2) that sends
 * to the i-th `--udp` server — typically a `hotspot-sim gateway` running hotspot i's key.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, parseFlags, numberFlag, formatTable, type Command } from '@hexium/shared/cli/args';
import { onboardHotspots, createSensorOrg } from '../runner/onboard.ts';
import { readScenarioArg } from './scenario-arg.ts';
import { materialize } from '../core/scenario/materialize.ts';
import { startForwarderTown, type ForwarderTown } from '../gateway/forwarder-town.ts';
import { parseUdpAddress } from './gateway.ts';

const help = `Usage: hotspot-sim forwarder <scenario.json> --udp HOST:PORT [--udp HOST:PORT …]
                            [--seed N] [--keepalive-s N] [--stat-s N] [--duration-s N]
                            [--keys-out DIR] [--oracle URL [--admin-token T]]

Run a scenario's simulated radio (medium and sensors, wall clock) with one Semtech UDP packet
forwarder (GWMP v2, the gateway side) per hotspot: the i-th --udp is the server of hotspot i (in
scenario order; "hotspot-sim generate" or the scenario fixes the keys, so run "hotspot-sim gateway"
with the same keys there). Received frames go up as PUSH_DATA rxpk, a stat every --stat-s, PULL_DATA
every --keepalive-s; PULL_RESP txpk are answered with TX_ACK and transmitted into the medium at their
tmst (or at once for imme). Malformed datagrams are counted by reason and dropped.

  --udp HOST:PORT   the GWMP server of the next hotspot (repeat; at most one per hotspot)
  --seed N          override the scenario seed (keys, positions, sensors)
  --keepalive-s N   PULL_DATA period in seconds (default 10, as the packet forwarder)
  --stat-s N        stat period in seconds (default 30, as the packet forwarder)
  --duration-s N    stop after N seconds (default: until Ctrl-C / SIGTERM)
  --keys-out DIR    write the key of each served hotspot to DIR/hotspot-<i>.json (the format of
                    "hotspot-sim keygen --json", for "hotspot-sim gateway --key"); contains secrets
  --oracle URL      onboard the served hotspots there first (signed, at their scenario locations) and
                    create the sensors' organization (needs --admin-token T or env HEXIUM_ADMIN_TOKEN)

Example (two hotspots of my-town.json against a local oracle):
  hotspot-sim forwarder my-town.json --keys-out keys --oracle http://localhost:8080 \
      --udp 127.0.0.1:1680 --udp 127.0.0.1:1681 &
  hotspot-sim gateway --key keys/hotspot-0.json --udp 127.0.0.1:1680 \
      --key keys/hotspot-1.json --udp 127.0.0.1:1681 --broker mqtt://localhost:1883 --oracle http://localhost:8080`;

function countersTable(t: ForwarderTown): string {
  const kv = (r: Record<string, number>) => Object.keys(r).sort().map((k) => `${k}=${r[k]}`).join(',') || '-';
  const rows = t.forwarders.map((f, i) => [i, f.counters.rxpk, f.counters.pushAck, f.counters.pullAck, f.counters.pullResp, kv(f.counters.txAck), kv(f.counters.dropped)]);
  return formatTable(rows, ['hotspot', 'rxpk', 'push-ack', 'pull-ack', 'pull-resp', 'tx-ack', 'udp-dropped']);
}

const command: Command = {
  name: 'forwarder',
  summary: 'Run a simulated town behind Semtech UDP packet forwarders (GWMP v2) for hotspot-sim gateway',
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { udp: { type: 'string', multiple: true }, seed: { type: 'string' }, 'keys-out': { type: 'string' }, oracle: { type: 'string' }, 'admin-token': { type: 'string' }, 'keepalive-s': { type: 'string' }, 'stat-s': { type: 'string' }, 'duration-s': { type: 'string' } },
      true,
    );
    const servers = (values.udp ?? []).map(parseUdpAddress);
    if (servers.length === 0) throw new UsageError('--udp is required (the GWMP server of hotspot 0)');
    if (servers.some((s) => s.port === 0)) throw new UsageError('--udp needs the server\'s real port, not 0');
    const keepaliveS = numberFlag('keepalive-s', values['keepalive-s'], { min: 0.1, default: 10 });
    const statS = numberFlag('stat-s', values['stat-s'], { min: 0.1, default: 30 });
    const durationS = numberFlag('duration-s', values['duration-s'], { min: 0 });
    const scenario = await readScenarioArg(positionals, io);
    const seed = values.seed === undefined ? scenario.seed : numberFlag('seed', values.seed, { integer: true, min: 0 });
    const net = materialize(scenario, seed);
    if (servers.length > net.hotspots.length) throw new UsageError(`${servers.length} --udp for ${net.hotspots.length} hotspots`);
    const served = { ...net, hotspots: net.hotspots.slice(0, servers.length) };
    if (values['keys-out']) {
      const dir = values['keys-out'];
      await mkdir(dir, { recursive: true });
      for (const h of served.hotspots) {
        const k = h.key;
        const json = { address: k.address, name: k.name, publicKeyHex: Buffer.from(k.publicKey).toString('hex'), seedHex: Buffer.from(k.seed).toString('hex') };
        await writeFile(path.join(dir, `hotspot-${h.index}.json`), JSON.stringify(json) + '\n', { mode: 0o600 });
      }
      io.stderr(`forwarder: wrote ${served.hotspots.length} SECRET key files to ${dir}\n`);
    }
    if (values.oracle) {
      const url = values.oracle.replace(/\/$/, '');
      await onboardHotspots(url, served, { region: scenario.region, fleet: null, nowMs: Date.now() });
      const ok = await createSensorOrg(url, values['admin-token'] ?? process.env.HEXIUM_ADMIN_TOKEN ?? null, net, scenario.sensors.org, scenario.sensors.dcBalance);
      io.stderr(`forwarder: onboarded ${served.hotspots.length} hotspots at ${url}${ok ? '' : ' (no packet router: sensors not registered)'}\n`);
    }
    const town = await startForwarderTown(scenario, net, seed, { servers, keepaliveMs: keepaliveS * 1000, statIntervalMs: statS * 1000 });
    for (let i = 0; i < servers.length; i++) io.stderr(`forwarder ${i}: hotspot ${net.hotspots[i].key.address} → udp ${servers[i].host}:${servers[i].port}\n`);
    await new Promise<void>((resolve) => {
      const timer = Number.isNaN(durationS) ? null : setTimeout(done, durationS * 1000);
      function done() {
        if (timer) clearTimeout(timer);
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      }
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await town.stop();
    io.stdout(countersTable(town));
    io.stdout(`town: ${JSON.stringify(town.town.stats)}\n`);
    return 0;
  },
};

export default command;
