/**
 * Harness output: the console table, and the report (--report out.json | out.md) with per-hotspot
 * rewards and, for each adversary group, its detection rate — how many of its reports the oracle
 * rejected and with which reasons — and, stated plainly, what Helium's rules did not catch.
 */
import { formatTable } from '@hexium/shared/cli/args';
import type { ScenarioOutcome } from './run-harness.ts';
import type { GroupObservation } from './observe.ts';

export interface AdversaryDetection {
  group: string;
  hotspots: number;
  reports: number;
  rejected: number;
  detectionRate: number;
  rejectedByReason: Record<string, number>;
  acceptedValid: number;
  rewardBones: number;
  verdict: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function adversaryDetection(o: ScenarioOutcome): AdversaryDetection[] {
  if (!o.observation) return [];
  const honest = o.observation.groups.honest;
  return Object.entries(o.observation.groups)
    .filter(([g]) => g !== 'honest' && g !== 'all')
    .map(([group, g]: [string, GroupObservation]) => {
      const reports = g.beacons.total + g.witnesses.total;
      const rejected = g.beacons.invalid + g.witnesses.invalid;
      const byReason: Record<string, number> = { ...g.beacons.reasons };
      for (const [k, v] of Object.entries(g.witnesses.reasons)) byReason[k] = (byReason[k] ?? 0) + v;
      const acceptedValid = g.beacons.valid + g.witnesses.valid;
      const reward = g.rewards.total.sum;
      let verdict: string;
      if (reports === 0) verdict = 'no reports reached the oracle (nothing to judge)';
      else if (acceptedValid === 0 && reward === 0) verdict = `caught: all ${reports} reports rejected, no rewards`;
      else {
        const rel = honest && honest.rewards.total.mean > 0 ? ` (${pct(g.rewards.total.mean / honest.rewards.total.mean)} of an honest hotspot's mean)` : '';
        verdict = `NOT caught: ${acceptedValid} of ${reports} reports accepted as valid; earned ${reward} bones${rel}`;
      }
      return { group, hotspots: g.hotspots, reports, rejected, detectionRate: g.detectionRate, rejectedByReason: byReason, acceptedValid, rewardBones: reward, verdict };
    });
}

/** Console table: one row per check, then a line per scenario. */
export function formatResults(outcomes: ScenarioOutcome[]): string {
  const rows: string[][] = [];
  for (const o of outcomes) {
    if (o.error) rows.push([o.name, 'ERROR', o.error.split('\n').slice(0, 3).join(' / '), '', 'FAIL']);
    for (const c of o.checks) rows.push([o.name, c.what, c.expected, c.actual, c.ok ? 'ok' : 'FAIL']);
  }
  const table = formatTable(rows, ['scenario', 'check', 'expected', 'actual', '']);
  const lines = outcomes.map((o) => `${o.ok ? 'PASS' : 'FAIL'}  ${o.name}  (${o.checks.filter((c) => c.ok).length}/${o.checks.length} checks, ${(o.wallMs / 1000).toFixed(1)} s)`);
  const passed = outcomes.filter((o) => o.ok).length;
  return `${table}\n${lines.join('\n')}\n${passed}/${outcomes.length} scenarios passed\n`;
}

export function jsonReport(outcomes: ScenarioOutcome[]): Record<string, unknown> {
  return {
    passed: outcomes.filter((o) => o.ok).length,
    failed: outcomes.filter((o) => !o.ok).length,
    scenarios: outcomes.map((o) => ({
      file: o.file,
      name: o.name,
      description: o.description,
      seed: o.seed,
      ok: o.ok,
      error: o.error,
      wallMs: Math.round(o.wallMs),
      checks: o.checks,
      manifestHashes: o.observation?.manifestHashes ?? [],
      determinism: o.determinism,
      adversaries: adversaryDetection(o),
      notCaught: o.notCaught,
      groups: o.observation?.groups ?? {},
      rewards: o.rewards,
    })),
  };
}

export function markdownReport(outcomes: ScenarioOutcome[]): string {
  const md: string[] = ['# Hexium oracle harness report', ''];
  md.push(`${outcomes.filter((o) => o.ok).length} of ${outcomes.length} scenarios passed.`, '');
  md.push('| scenario | result | checks | wall time |', '|---|---|---|---|');
  for (const o of outcomes) md.push(`| ${o.name} | ${o.ok ? 'PASS' : 'FAIL'} | ${o.checks.filter((c) => c.ok).length}/${o.checks.length} | ${(o.wallMs / 1000).toFixed(1)} s |`);
  for (const o of outcomes) {
    md.push('', `## ${o.name} — ${o.ok ? 'PASS' : 'FAIL'}`, '', o.description, '');
    if (o.error) md.push('**Error:**', '', '```', o.error, '```', '');
    if (o.checks.length) {
      md.push('| check | expected | actual | |', '|---|---|---|---|');
      for (const c of o.checks) md.push(`| ${c.what} | ${c.expected} | ${c.actual} | ${c.ok ? 'ok' : '**FAIL**'} |`);
      md.push('');
    }
    const adv = adversaryDetection(o);
    if (adv.length) {
      md.push('### Adversaries: detection', '', '| group | hotspots | reports | rejected | detection rate | reasons | rewards (bones) | verdict |', '|---|---|---|---|---|---|---|---|');
      for (const a of adv) {
        const reasons = Object.entries(a.rejectedByReason).map(([k, v]) => `${k} ${v}`).join(', ') || '—';
        md.push(`| ${a.group} | ${a.hotspots} | ${a.reports} | ${a.rejected} | ${pct(a.detectionRate)} | ${reasons} | ${a.rewardBones} | ${a.verdict} |`);
      }
      md.push('');
    }
    if (o.notCaught) md.push(`**What Helium's rules do not catch here:** ${o.notCaught}`, '');
    if (o.determinism) md.push(`Same seed twice: manifest hashes ${o.determinism.identical ? 'identical' : '**differ**'} (${o.determinism.runs[0].join(', ') || 'none'}).`, '');
    if (o.rewards.length) {
      md.push('### Rewards per hotspot (bones)', '', '| hotspot | name | group | beacon | witness | data transfer | total |', '|---|---|---|---|---|---|---|');
      for (const r of o.rewards) md.push(`| ${r.hotspot.slice(0, 12)}… | ${r.name} | ${r.group} | ${r.beaconAmount} | ${r.witnessAmount} | ${r.dcTransferAmount} | ${r.total} |`);
    }
  }
  return md.join('\n') + '\n';
}
