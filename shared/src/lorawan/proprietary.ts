/**
 * Proprietary LoRaWAN frames (MHDR MType 111 = 0xE0, no MIC structure) — how Helium hotspots put PoC
 * beacons on air. A received proprietary frame of 52 bytes (MHDR + the 51-byte beacon payload) is a
 * potential beacon: helium/gateway-rs `src/packet.rs` `is_potential_beacon`, helium/proto
 * `beacon/src/lib.rs` `BEACON_PAYLOAD_SIZE = 51`; ../shared/specs/radio.md §2.6.
 */
import { MHDR } from './frame-types.ts';
import { toBytes, type BytesLike } from './hex.ts';

/** Size of the beacon payload (helium/proto `BEACON_PAYLOAD_SIZE`). */
export const BEACON_PAYLOAD_SIZE = 51;

/** MHDR 0xE0 followed by `payload`. */
export function buildProprietary(payload: BytesLike): Uint8Array {
  const data = toBytes(payload);
  const phy = new Uint8Array(1 + data.length);
  phy[0] = MHDR.Proprietary;
  phy.set(data, 1);
  return phy;
}

/** True for a proprietary frame of exactly 1 + 51 bytes. */
export function isPotentialBeacon(phy: Uint8Array): boolean {
  return phy.length === 1 + BEACON_PAYLOAD_SIZE && phy[0] >>> 5 === 7;
}
