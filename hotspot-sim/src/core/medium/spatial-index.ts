/**
 * Spatial index of the gateways on H3 (DESIGN.md "Parts": simulator medium). Gateways are bucketed by
 * their cell at a resolution chosen from the maximum radio range; the candidate receivers of a
 * transmission are the gateways in `gridDisk(cell, k)`, with k large enough that every gateway within
 * range is included (the exact distance is checked afterwards).
 *
 * Coverage argument: a point within R of the transmitter has its cell centre within R + 2·e of the
 * transmitter's cell centre (e = edge length = circumradius); ring k of a hex grid has centres at least
 * 1.5·k·e away. Edge lengths vary over the globe, so e is taken 1.3× the average for the reach and
 * 0.75× for the ring spacing.
 */
import { getHexagonEdgeLengthAvg, gridDisk, latLngToCell } from 'h3-js';

export class SpatialIndex {
  readonly res: number;
  readonly k: number;
  private readonly buckets = new Map<string, number[]>();
  /** Candidate lists by the cell of the transmitter (a few hundred cells over a city). */
  private readonly byOrigin = new Map<string, readonly number[]>();

  constructor(points: { lat: number; lng: number }[], rangeM: number) {
    let res = 0;
    for (let r = 0; r <= 10; r++) {
      if (getHexagonEdgeLengthAvg(r, 'm') >= rangeM / 4) res = r;
    }
    const e = getHexagonEdgeLengthAvg(res, 'm');
    this.res = res;
    this.k = Math.max(1, Math.ceil((rangeM + 2 * 1.3 * e) / (1.5 * 0.75 * e)));
    points.forEach((p, i) => {
      const c = latLngToCell(p.lat, p.lng, res);
      const b = this.buckets.get(c);
      if (b) b.push(i);
      else this.buckets.set(c, [i]);
    });
  }

  /**
   * Indices of every point that may lie within range of (lat, lng), ascending. The list depends only on
   * the cell (lat, lng) falls in, so it is made once per cell and shared: do not change it.
   */
  candidates(lat: number, lng: number): readonly number[] {
    const cell = latLngToCell(lat, lng, this.res);
    let out = this.byOrigin.get(cell);
    if (out === undefined) {
      const list: number[] = [];
      for (const c of gridDisk(cell, this.k)) {
        const b = this.buckets.get(c);
        if (b) for (const i of b) list.push(i);
      }
      out = list.sort((a, b) => a - b);
      this.byOrigin.set(cell, out);
    }
    return out;
  }
}
