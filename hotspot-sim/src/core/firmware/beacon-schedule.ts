/**
 * When a hotspot beacons: Helium gateway-rs `mk_next_beacon_time` (src/beaconer.rs). Time is cut into
 * `interval`-long segments aligned to the Unix epoch (`duration_trunc`); the hotspot beacons at a
 * uniformly random whole second of a segment, and once it has beaconed in the current segment it picks
 * a random second of the next one. `random(n)` must return an integer in [0, n) (gateway-rs
 * `random_duration`: `OsRng.gen_range(0..secs)`); here it comes from the hotspot's seeded RNG.
 */

/** Start of the segment containing `tS` (seconds), epoch aligned. */
export function segmentStartS(tS: number, intervalS: number): number {
  return tS - (((tS % intervalS) + intervalS) % intervalS);
}

/**
 * The next beacon time in whole seconds. `beaconTimeS` is the previously planned (or last) beacon time,
 * or null on first start.
 */
export function nextBeaconTimeS(currentS: number, beaconTimeS: number | null, intervalS: number, random: (n: number) => number, guardS = 0): number {
  // `guardS` leaves the last seconds of a segment out of the draw (0 = gateway-rs exactly).
  const draw = (n: number) => random(Math.max(1, n - guardS));
  const current = Math.floor(currentS);
  const currentSegment = segmentStartS(current, intervalS);
  const nextSegment = currentSegment + intervalS;
  if (beaconTimeS === null) return nextBeaconTimeS(currentS, currentSegment + draw(intervalS), intervalS, random, guardS);
  // beacon time is in the future: use it
  if (beaconTimeS > current) return beaconTimeS;
  // in the current segment: a time in the next segment
  if (segmentStartS(beaconTimeS, intervalS) === currentSegment) return nextSegment + draw(intervalS);
  // in a previous segment: a time in the remainder of this one
  const remainder = nextSegment - current;
  return current + (remainder > guardS ? draw(remainder) : remainder > 0 ? random(remainder) : 0);
}
