/**
 * `npm run bench`: runs every suite in bench/*.bench.ts (or those named on the command line), prints a
 * table and writes bench/results/latest.json. A suite that exports `optIn = { env: 'NAME' }` (one that
 * takes tens of minutes, such as city-100k) is skipped unless it is named on the command line or the
 * environment variable NAME is 1.
 */
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import type { BenchRow, BenchSuite } from './lib.ts';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const rows: BenchRow[] = [];
for (const f of files) {
  const suiteName = f.replace(/\.bench\.ts$/, '');
  if (only.length && !only.includes(suiteName)) continue;
  const mod = (await import(join(here, f))) as { default: BenchSuite; optIn?: { env: string } };
  if (mod.optIn && !only.includes(suiteName) && process.env[mod.optIn.env] !== '1') {
    process.stderr.write(`bench: ${suiteName} skipped (opt-in: name it, or set ${mod.optIn.env}=1)\n`);
    continue;
  }
  process.stderr.write(`bench: ${suiteName} …\n`);
  try {
    rows.push(...(await mod.default()));
  } catch (e) {
    rows.push({ suite: suiteName, name: 'suite failed', value: NaN, unit: String((e as Error).message ?? e), pass: false });
  }
}

const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
const table = [
  ['suite', 'measurement', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'target', 'pass'],
  ...rows.map((r) => [
    r.suite, r.name, fmt(r.value), r.unit, r.baseline?.name ?? '', fmt(r.baseline?.value), r.ratio === undefined ? '' : r.ratio.toFixed(3),
    r.target ?? '', r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
for (const [i, r] of table.entries()) {
  console.log(r.map((c, j) => String(c).padEnd(widths[j])).join('  ').trimEnd());
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
await mkdir(join(here, 'results'), { recursive: true });
const out = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, rows };
await writeFile(join(here, 'results', 'latest.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`\nwrote bench/results/latest.json (${rows.length} rows)`);
