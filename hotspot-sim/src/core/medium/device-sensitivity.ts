/**
 * End-device receiver sensitivity for downlinks: the SX1272/73 datasheet table (Rev.2 "RFS_L125/L250/
 * L500"), as radio.md §1.3 recommends for end devices. dBm.
 */
const TABLE: Record<number, Record<number, number>> = {
  125_000: { 6: -121, 7: -124, 8: -127, 9: -130, 10: -133, 11: -135, 12: -137 },
  250_000: { 6: -118, 7: -122, 8: -125, 9: -128, 10: -130, 11: -132, 12: -135 },
  500_000: { 6: -111, 7: -116, 8: -119, 9: -122, 10: -125, 11: -128, 12: -129 },
};

export function deviceSensitivityDbm(sf: number, bandwidthHz: number): number {
  const v = TABLE[bandwidthHz]?.[sf];
  if (v === undefined) throw new RangeError(`no SX1272 sensitivity for SF${sf} at ${bandwidthHz} Hz`);
  return v;
}
