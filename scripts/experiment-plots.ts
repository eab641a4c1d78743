/**
 * `npm run experiment-plots`: rerun the experiments of docs/radio-validation.md and rewrite their
 * figures (docs/img/experiment-*.svg) and numbers (docs/img/experiment-*.csv). Deterministic: the same
 * files and seeds give the same bytes.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseExperiment } from '../hotspot-sim/src/core/scenario/load-scenario.ts';
import { runSweep, sweepCsv, sweepSeries } from '../hotspot-sim/src/experiment/sweep.ts';
import { plotSvg, type PlotSeries } from '../hotspot-sim/src/experiment/plot-svg.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const RUNS = 5;

const figures: { file: string; out: string; title: string; label: string }[] = [
  { file: 'lorasim.json', out: 'experiment-lorasim', title: 'LoRaSim set-up: one gateway, SF12, 6 dB capture', label: 'capture (6 dB, 3-symbol critical section)' },
  { file: 'aloha.json', out: 'experiment-aloha', title: 'Pure ALOHA: destructive collisions, SF7', label: 'destructive collisions' },
  { file: 'multi-gateway.json', out: 'experiment-multi-gateway', title: 'Four gateways, SF7–12, 8 channels, σ = 4 dB', label: 'capture + SF isolation' },
];

await mkdir(root('docs/img'), { recursive: true });
for (const f of figures) {
  const x = parseExperiment(await readFile(root(`hotspot-sim/experiments/${f.file}`), 'utf8'));
  const t0 = performance.now();
  const points = runSweep(x, RUNS);
  const seconds = (performance.now() - t0) / 1000;
  let series: PlotSeries[] = sweepSeries(x, points, `${f.label}, mean ± 1 sd of ${RUNS} runs`);
  if (f.file === 'lorasim.json') {
    // the same set-up with destructive collisions: what capture buys
    const d = { ...x, collisions: { model: 'destructive' as const } };
    const dp = runSweep(d, RUNS);
    series = [series[0], { ...sweepSeries(d, dp, `destructive, mean ± 1 sd of ${RUNS} runs`)[0] }, ...series.slice(1)];
  }
  await writeFile(root(`docs/img/${f.out}.svg`), plotSvg({ title: f.title, xLabel: 'Number of nodes', yLabel: 'Data extraction rate (DER)', series }));
  await writeFile(root(`docs/img/${f.out}.csv`), sweepCsv(points));
  const sent = points.reduce((a, p) => a + p.sent.mean * p.runs, 0);
  console.log(`${f.out}: ${points.length} points × ${RUNS} runs, ${Math.round(sent).toLocaleString('en-US')} packets in ${seconds.toFixed(1)} s`);
}
