/**
 * A simulated town behind packet forwarders: one {@link PacketForwarder} per hotspot of a materialized
 * scenario, each speaking GWMP v2 to its server (a `hotspot-sim gateway` bridge, or any GWMP server), all
 * fed by one {@link RadioTown}. Used by `hotspot-sim forwarder` and the gateway system test.
 */
import type { ResolvedScenario } from '../core/scenario/load-scenario.ts';
import type { Network } from '../core/scenario/materialize.ts';
import { PacketForwarder } from './packet-forwarder.ts';
import { RadioTown } from './radio-town.ts';

export interface ForwarderTownOptions {
  /** GWMP server of each hotspot, in hotspot order (fewer servers than hotspots: the rest have no radio). */
  servers: { host: string; port: number }[];
  keepaliveMs?: number;
  statIntervalMs?: number;
}

export interface ForwarderTown {
  town: RadioTown;
  forwarders: PacketForwarder[];
  stop(): Promise<void>;
}

/** Gateway EUI of hotspot `index`: a fixed, locally administered prefix and the index (EUI-64). */
export function simulatedGatewayEui(index: number): string {
  return `02ee0000${index.toString(16).padStart(8, '0')}`;
}

export async function startForwarderTown(scenario: ResolvedScenario, net: Network, seed: number, o: ForwarderTownOptions): Promise<ForwarderTown> {
  if (o.servers.length > net.hotspots.length) throw new RangeError(`${o.servers.length} servers for ${net.hotspots.length} hotspots`);
  const town = new RadioTown(scenario, net, seed);
  const forwarders: PacketForwarder[] = [];
  try {
    for (let i = 0; i < o.servers.length; i++) {
      const h = net.hotspots[i];
      const f = new PacketForwarder({
        gatewayEui: simulatedGatewayEui(i),
        server: o.servers[i],
        transmit: (tx) => town.transmitFrom(i, tx),
        keepaliveMs: o.keepaliveMs,
        statIntervalMs: o.statIntervalMs,
        position: { lat: h.lat, lng: h.lng, altM: h.elevationM },
      });
      forwarders.push(f);
      await f.start();
      town.attach(i, f);
    }
  } catch (e) {
    await Promise.allSettled(forwarders.map((f) => f.stop()));
    throw e;
  }
  town.start();
  return {
    town,
    forwarders,
    async stop() {
      town.stop();
      await Promise.allSettled(forwarders.map((f) => f.stop()));
    },
  };
}
