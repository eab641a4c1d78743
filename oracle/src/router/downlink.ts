/**
 * Downlinks back through the best hotspot (DESIGN.md "Data plane"): a ChirpStack v4 `DownlinkFrame`
 * with an RX1 item then an RX2 item (the hotspot sends at most one, in order), each echoing the
 * uplink's `rxInfo.context` and timed relative to the uplink (specs/radio.md §5.1).
 */
import type { DownlinkFrame, UplinkFrame } from '@hexium/shared/protocol/index';
import { PROTOCOL_VERSION } from '@hexium/shared/protocol/index';
import type { Sql } from './sql.ts';
import { hotspotRegion } from '../store/hotspot-store.ts';
import { regionFromFrequency, rx1Window, rx2Window, SUPPORTED_REGIONS, type RadioTx } from './rx-windows.ts';

export interface ReceivedCopy {
  frame: UplinkFrame;
  receivedAtMs: number;
}

/**
 * The copy to answer through: strongest RSSI, then best SNR, then earliest, then address (ties broken
 * deterministically, STYLE.md §4).
 */
export function bestCopy<T extends ReceivedCopy>(copies: T[]): T {
  return [...copies].sort(
    (a, b) =>
      b.frame.rxInfo.rssi - a.frame.rxInfo.rssi ||
      b.frame.rxInfo.snr - a.frame.rxInfo.snr ||
      a.receivedAtMs - b.receivedAtMs ||
      (a.frame.hotspot < b.frame.hotspot ? -1 : a.frame.hotspot > b.frame.hotspot ? 1 : 0),
  )[0];
}

/** The hotspot's asserted region from the hotspots table, else from the uplink frequency. */
export async function regionForCopy(sql: Sql, copy: ReceivedCopy): Promise<string | null> {
  try {
    const asserted = (await hotspotRegion(sql, copy.frame.hotspot))?.toUpperCase().replace('-', '_');
    if (asserted && (SUPPORTED_REGIONS as readonly string[]).includes(asserted)) return asserted;
  } catch {
    // no hotspots table (router used alone): fall back to the frequency
  }
  return regionFromFrequency(copy.frame.txInfo.frequency);
}

function item(phy: Uint8Array, tx: RadioTx, delayS: number, context: string): DownlinkFrame['items'][number] {
  return {
    phyPayload: Buffer.from(phy).toString('base64'),
    txInfo: {
      frequency: tx.frequencyHz,
      power: tx.powerDbm,
      // Downlinks use inverted IQ (radio.md §1.1) and CR 4/5 (all LoRaWAN data rates).
      modulation: { lora: { bandwidth: tx.bandwidthHz, spreadingFactor: tx.sf, codeRate: 'CR_4_5', polarizationInversion: true } },
      timing: { delay: { delay: `${delayS}s` } },
      context,
    },
  };
}

/**
 * Class A downlink for `copy`: RX1 after `delaysS[0]`, RX2 after `delaysS[1]`. Throws RangeError when
 * the uplink's channel or data rate does not belong to `region`.
 */
export function buildDownlinkFrame(
  downlinkId: number,
  copy: ReceivedCopy,
  region: string,
  phy: Uint8Array,
  delaysS: readonly [number, number],
): DownlinkFrame {
  const lora = copy.frame.txInfo.modulation.lora;
  const rx1 = rx1Window(region, copy.frame.txInfo.frequency, lora.spreadingFactor, lora.bandwidth);
  const rx2 = rx2Window(region);
  const context = copy.frame.rxInfo.context;
  return {
    v: PROTOCOL_VERSION,
    downlinkId,
    gatewayId: copy.frame.hotspot,
    items: [item(phy, rx1, delaysS[0], context), item(phy, rx2, delaysS[1], context)],
  };
}

/** {@link buildDownlinkFrame}, or null when the uplink's radio settings do not fit the region. */
export function tryBuildDownlinkFrame(...args: Parameters<typeof buildDownlinkFrame>): DownlinkFrame | null {
  try {
    return buildDownlinkFrame(...args);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
