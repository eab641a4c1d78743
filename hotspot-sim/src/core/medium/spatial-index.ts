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

  /** Indices of every point that may lie within range of (lat, lng), ascending. */
  candidates(lat: number, lng: number): number[] {
    const out: number[] = [];
    for (const c of gridDisk(latLngToCell(lat, lng, this.res), this.k)) {
      const b = this.buckets.get(c);
      if (b) for (const i of b) out.push(i);
    }
    return out.sort((a, b) => a - b);
  }
}
