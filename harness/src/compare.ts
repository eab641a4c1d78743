/**
 * Compare a scenario's expectations with what the oracle concluded (observe.ts): one check per
 * expectation, each with the expected and actual text, so the table and the report say exactly what
 * differed.
 */
import type { Expect, GroupExpect } from './scenario-file.ts';
import { parseMatcher, compareOp, type Matcher } from './matchers.ts';
import type { GroupObservation, Observation, RewardStats } from './observe.ts';

export interface Check {
  what: string;
  expected: string;
  actual: string;
  ok: boolean;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));

function matchCheck(what: string, m: Matcher, actual: number): Check {
  const p = parseMatcher(m);
  return { what, expected: p.text, actual: fmt(actual), ok: p.test(actual) };
}

function reasonChecks(prefix: string, expected: Record<string, Matcher> | undefined, actual: Record<string, number>): Check[] {
  return Object.entries(expected ?? {}).map(([reason, m]) => matchCheck(`${prefix} ${reason}`, m, actual[reason] ?? 0));
}

function groupChecks(g: string, e: GroupExpect, o: GroupObservation | undefined): Check[] {
  if (!o) return [{ what: `group ${g}`, expected: 'present in the network', actual: 'no such group', ok: false }];
  const out: Check[] = [];
  if (e.hotspots !== undefined) out.push(matchCheck(`${g}: hotspots`, e.hotspots, o.hotspots));
  for (const part of ['beacons', 'witnesses'] as const) {
    const v = e[part];
    if (!v) continue;
    const t = o[part];
    for (const k of ['total', 'valid', 'invalid'] as const) if (v[k] !== undefined) out.push(matchCheck(`${g}: ${part} ${k}`, v[k], t[k]));
    out.push(...reasonChecks(`${g}: ${part} invalid`, v.reasons, t.reasons));
    if (v.onlyReasons) {
      const extra = Object.keys(t.reasons).filter((r) => !v.onlyReasons!.includes(r));
      out.push({ what: `${g}: ${part} reasons ⊆`, expected: v.onlyReasons.join(', ') || '(none)', actual: Object.keys(t.reasons).sort().join(', ') || '(none)', ok: extra.length === 0 });
    }
  }
  if (e.detectionRate !== undefined) out.push(matchCheck(`${g}: detection rate`, e.detectionRate, o.detectionRate));
  for (const [k, m] of Object.entries(e.rewards ?? {})) {
    const actual = k === 'earning' ? o.rewards.earning : (o.rewards[k as 'total'] as RewardStats).sum;
    out.push(matchCheck(`${g}: rewards ${k}`, m as Matcher, actual));
  }
  if (e.hexScale) {
    if (o.finalHexScales === null || o.allHexScales === null) {
      out.push({ what: `${g}: hex scale`, expected: e.hexScale.final ?? Object.keys(e.hexScale.finalCounts ?? {}).concat(e.hexScale.allowed ?? []).join('|'), actual: 'not exposed by the run (needs RunResult.rounds)', ok: false });
    } else {
      if (e.hexScale.final !== undefined) {
        out.push({ what: `${g}: final hex scale`, expected: e.hexScale.final, actual: o.finalHexScales.join(', ') || '(none)', ok: o.finalHexScales.length > 0 && o.finalHexScales.every((s) => s === e.hexScale!.final) });
      }
      for (const [scale, m] of Object.entries(e.hexScale.finalCounts ?? {})) out.push(matchCheck(`${g}: hotspots ending at hex scale ${scale}`, m, o.finalHexScaleCounts?.[scale] ?? 0));
      if (e.hexScale.allowed) {
        const bad = o.allHexScales.filter((s) => !e.hexScale!.allowed!.includes(s));
        out.push({ what: `${g}: hex scales ⊆`, expected: e.hexScale.allowed.join(', '), actual: o.allHexScales.join(', ') || '(none)', ok: bad.length === 0 });
      }
    }
  }
  return out;
}

/** Resolve "<group>.<metric>" to a number (see ExpectSchema.relations). */
export function metric(o: Observation, path: string): number {
  const num = Number(path);
  if (path.trim() !== '' && Number.isFinite(num)) return num;
  const [g, ...rest] = path.split('.');
  const go = o.groups[g];
  if (!go) throw new Error(`no group "${g}" in this run (groups: ${Object.keys(o.groups).join(', ')})`);
  const [a, b, c] = rest;
  if (a === 'detectionRate' && !b) return go.detectionRate;
  if (a === 'hotspots' && !b) return go.hotspots;
  if ((a === 'beacons' || a === 'witnesses') && (b === 'valid' || b === 'invalid' || b === 'total') && !c) return go[a][b];
  if (a === 'rewards' && b === 'earning' && !c) return go.rewards.earning;
  if (a === 'rewards' && (b === 'total' || b === 'beacon' || b === 'witness' || b === 'dcTransfer')) {
    const s = go.rewards[b];
    const k = (c ?? 'sum') as keyof RewardStats;
    if (!(k in s)) throw new Error(`unknown statistic "${c}" in "${path}" (sum, min, max, mean)`);
    return s[k];
  }
  throw new Error(`unknown metric "${path}"`);
}

const RELATION = /^\s*(\S+)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$/;

export function compare(e: Expect, o: Observation): Check[] {
  const out: Check[] = [];
  if (e.epochs !== undefined) out.push(matchCheck('reward epochs (manifests)', e.epochs, o.epochs));
  if (e.rounds !== undefined) out.push(matchCheck('PoC rounds verified', e.rounds, o.rounds));
  out.push(...reasonChecks('all witnesses invalid', e.invalidWitnessReasons, o.invalidWitnessReasons));
  out.push(...reasonChecks('all beacons invalid', e.invalidBeaconReasons, o.invalidBeaconReasons));
  if (e.dcSpent !== undefined) out.push(matchCheck('DC spent', e.dcSpent, o.dcSpent));
  if (e.uplinks !== undefined) out.push(matchCheck('uplinks sent', e.uplinks, o.uplinks));
  if (e.uplinksDelivered !== undefined) out.push(matchCheck('uplinks heard', e.uplinksDelivered, o.uplinksDelivered));
  for (const [g, ge] of Object.entries(e.groups ?? {})) out.push(...groupChecks(g, ge, o.groups[g]));
  for (const rel of e.relations ?? []) {
    const m = RELATION.exec(rel);
    if (!m) {
      out.push({ what: rel, expected: 'a relation "<group>.<metric> <op> <group>.<metric>|<number>"', actual: 'unparseable', ok: false });
      continue;
    }
    try {
      const [l, r] = [metric(o, m[1]), metric(o, m[3])];
      out.push({ what: rel, expected: 'true', actual: `${fmt(l)} ${m[2]} ${fmt(r)}`, ok: compareOp(m[2], l, r) });
    } catch (err) {
      out.push({ what: rel, expected: 'true', actual: (err as Error).message, ok: false });
    }
  }
  return out;
}
