/** A LoRa frame a radio puts on the air: a hotspot's beacon or downlink, a sensor's join or uplink. */
export interface LoraTx {
  phy: Uint8Array;
  freqHz: number;
  sf: number;
  bandwidthHz: number;
  eirpDbm: number;
  /** Start of the transmission, ms. */
  atMs: number;
}
