/**
 * Radio suite: time on air, and a full link evaluation as the simulator's RF medium does it for each
 * (transmitter, receiver) pair — mean path loss of a preset, per-link shadowing lookup, link budget,
 * decode decision. Each rate sits next to a baseline measured in the same run: a bare loop doing the
 * same number of Math.log10 calls (4 per link evaluation: FSPL floor, log-distance, two noise floors)
 * or the same ceil/division arithmetic as the airtime formula.
 * Target (issue 4): ≥ 1,000,000 link evaluations/s on one core.
 */
import { canDecode, linkBudget, linkShadowDb, meanPathLossDb, PROPAGATION_PRESETS, timeOnAir } from '../shared/src/radio/index.ts';
import { rate, row, type BenchRow } from './lib.ts';

let sink = 0;

export default async function radioBench(): Promise<BenchRow[]> {
  // Time on air: vary SF and payload so nothing is constant-folded.
  const toa = rate((i) => {
    sink += timeOnAir({ sf: 7 + (i % 6), bandwidthHz: 125_000, codingRate: 1, payloadBytes: 10 + (i & 63) }).timeOnAirMs;
  });
  const toaBaseline = rate((i) => {
    const sf = 7 + (i % 6);
    const n = 8 + Math.max(Math.ceil((8 * (10 + (i & 63)) - 4 * sf + 44) / (4 * sf)) * 5, 0);
    sink += ((12.25 + n) * 2 ** sf * 1000) / 125_000;
  });

  // Link evaluation over 1000 links (node ids k and k + 1) with precomputed distances.
  const links = Array.from({ length: 1000 }, (_, k) => ({ a: k, b: k + 1, distanceM: 200 + k * 7 }));
  const preset = PROPAGATION_PRESETS.urban;
  const link = rate((i) => {
    const l = links[i % 1000];
    const pathLossDb = meanPathLossDb(preset, l.distanceM, 868_100_000);
    const b = linkBudget({ txPowerDbm: 14, txGainDbi: 2, rxGainDbi: 3, pathLossDb, shadowingDb: linkShadowDb(1, l.a, l.b, preset.sigmaDb) });
    if (canDecode({ rssiDbm: b.rssiDbm, snrDb: b.snrDb, sf: 7 + (i % 6) })) sink++;
  });
  const logBaseline = rate((i) => {
    const d = links[i % 1000].distanceM;
    sink += Math.log10(d * 868_100_000) + Math.log10(d) + Math.log10(125_000 + (i & 1)) + Math.log10(125_000 + (i & 2));
  });

  if (sink === 42.4242) console.log('unlikely'); // keep `sink` observable
  return [
    row('radio', 'time on air', toa, 'ops/s', { baseline: { name: 'same arithmetic inline', value: toaBaseline } }),
    row('radio', 'link evaluation (path loss + shadowing + budget + decode)', link, 'ops/s', {
      baseline: { name: '4× Math.log10 loop', value: logBaseline },
      target: '≥ 1000000 ops/s',
      pass: ({ value }) => value >= 1_000_000,
    }),
  ];
}
