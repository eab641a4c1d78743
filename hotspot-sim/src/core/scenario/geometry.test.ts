import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bearing, destination, distance } from '@turf/turf';
import { areaPolygon, greatCircleM, offsetLatLng, pointInPolygon, projector } from './geometry.ts';

// The local equirectangular projection stays hand-written (the medium projects every node once and then
// works in metres); these properties hold it to Turf's great-circle geometry over scenario-sized areas.
// Error budget: the projection scales x by cos(lat0) instead of cos(lat); over ±0.1° of latitude
// (±11 km) at |lat0| ≤ 70° the scale differs by at most sin(70°)/cos(70°)·0.1·π/180 = 0.48 %, so 0.5 %
// (plus 1 mm) bounds the difference in distance.
const lat0 = fc.double({ min: -70, max: 70, noNaN: true });
const lng0 = fc.double({ min: -179, max: 179, noNaN: true });
const near = fc.double({ min: -0.1, max: 0.1, noNaN: true });

describe('projector (local equirectangular, metres)', () => {
  it('gives distances within 0.5 % of Turf great-circle distances within ±0.1° of its origin', () => {
    fc.assert(
      fc.property(lat0, lng0, near, near, near, near, (la, ln, a, b, c, d) => {
        const p = projector(la, ln);
        const [x1, y1] = p.toXY(la + a, ln + b);
        const [x2, y2] = p.toXY(la + c, ln + d);
        const planar = Math.hypot(x2 - x1, y2 - y1);
        const sphere = distance([ln + b, la + a], [ln + d, la + c], { units: 'meters' });
        expect(Math.abs(planar - sphere)).toBeLessThanOrEqual(0.005 * sphere + 0.001);
      }),
    );
  });

  it('toLatLng undoes toXY', () => {
    fc.assert(
      fc.property(lat0, lng0, near, near, (la, ln, a, b) => {
        const p = projector(la, ln);
        const [lat, lng] = p.toLatLng(...p.toXY(la + a, ln + b));
        expect(lat).toBeCloseTo(la + a, 9);
        expect(lng).toBeCloseTo(ln + b, 9);
      }),
    );
  });
});

describe('offsetLatLng', () => {
  it('lands within 0.5 % (plus 1 mm) of Turf destination for steps up to 10 km', () => {
    fc.assert(
      fc.property(lat0, lng0, fc.double({ min: 0, max: 10_000, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (la, ln, d, th) => {
        const [lat, lng] = offsetLatLng(la, ln, d, th);
        const expected = destination([ln, la], d, (th * 180) / Math.PI, { units: 'meters' }).geometry.coordinates;
        expect(Math.abs(distance([ln, la], [lng, lat], { units: 'meters' }) - d)).toBeLessThanOrEqual(0.005 * d + 0.001);
        expect(distance(expected, [lng, lat], { units: 'meters' })).toBeLessThanOrEqual(0.005 * d + 0.001);
        if (d > 1) expect(Math.abs(((bearing([ln, la], [lng, lat]) - (th * 180) / Math.PI + 540) % 360) - 180)).toBeLessThan(0.5);
      }),
    );
  });
});

describe('areas', () => {
  // A 2°×2° square with a 1°×1° hole in its middle.
  const area = areaPolygon({
    type: 'Polygon',
    coordinates: [
      [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]],
      [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]],
    ],
  });

  it('counts a point in the ring but not in the hole as inside, and a point in the hole or beyond as outside', () => {
    expect(pointInPolygon(0.25, 0.25, area)).toBe(true);
    expect(pointInPolygon(1.75, 1, area)).toBe(true);
    expect(pointInPolygon(1, 1, area)).toBe(false); // hole
    expect(pointInPolygon(2.5, 1, area)).toBe(false);
    expect(area.bbox).toEqual([0, 0, 2, 2]);
  });

  it('refuses an open ring and a hole with too few positions', () => {
    expect(() => areaPolygon({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] })).toThrow(/closed/);
    expect(() => areaPolygon({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.1, 0.1], [0.1, 0.1]]] })).toThrow(RangeError);
  });

  it('measures one degree of a meridian as 111 195 m (π·6 371 008.8 / 180)', () => {
    // π × 6 371 008.8 m / 180 = 111 195.08 m
    expect(greatCircleM(0, 0, 1, 0)).toBeCloseTo(111_195.08, 1);
  });
});
