/**
 * Data credits per packet (oracles iot_packet_verifier/src/verifier.rs; spec §(d) "DC per packet"):
 * 24 bytes per DC, minimum 1 DC — DC = ceil(max(bytes, 24) / 24). HIP-86 (2 DC per 24 B) was closed.
 */
import type { NetworkParams } from '@hexium/shared/params/index';

export function dcForPayload(bytes: number, params: NetworkParams): number {
  if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`payload size must be a non-negative integer, got ${bytes}`);
  const per = params.bytesPerDc; // verifier.rs: BYTES_PER_DC = 24
  return Math.ceil(Math.max(bytes, per) / per);
}
