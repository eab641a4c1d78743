/**
 * Count and amount matchers of the harness scenario format (docs/harness-scenarios.md "Matchers"):
 * a JSON number means "exactly"; a string is `>= n`, `> n`, `<= n`, `< n`, `== n`, `!= n` or a closed
 * range `a..b`. Values are compared as JavaScript numbers (token amounts in a demo epoch stay far
 * below 2^53 bones; exact amounts are compared as strings by the callers).
 */
export type Matcher = number | string;

export interface ParsedMatcher {
  text: string;
  test(actual: number): boolean;
}

const OP = /^\s*(>=|<=|==|!=|>|<)?\s*(-?\d+(?:\.\d+)?)\s*$/;
const RANGE = /^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*$/;

export class MatcherError extends Error {
  override name = 'MatcherError';
}

export function parseMatcher(m: Matcher): ParsedMatcher {
  if (typeof m === 'number') {
    if (!Number.isFinite(m)) throw new MatcherError(`matcher must be finite, got ${m}`);
    return { text: String(m), test: (a) => a === m };
  }
  const r = RANGE.exec(m);
  if (r) {
    const [lo, hi] = [Number(r[1]), Number(r[2])];
    if (lo > hi) throw new MatcherError(`empty range "${m}"`);
    return { text: `${lo}..${hi}`, test: (a) => a >= lo && a <= hi };
  }
  const o = OP.exec(m);
  if (!o) throw new MatcherError(`not a matcher: "${m}" (use a number, ">= n", "> n", "<= n", "< n", "== n", "!= n" or "a..b")`);
  const v = Number(o[2]);
  const op = o[1] ?? '==';
  const tests: Record<string, (a: number) => boolean> = {
    '>=': (a) => a >= v,
    '<=': (a) => a <= v,
    '>': (a) => a > v,
    '<': (a) => a < v,
    '==': (a) => a === v,
    '!=': (a) => a !== v,
  };
  return { text: `${op === '==' ? '' : op + ' '}${v}`, test: tests[op] };
}

/** Compare two numbers with a relation operator (relations between groups). */
export function compareOp(op: string, a: number, b: number): boolean {
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '==': return a === b;
    case '!=': return a !== b;
    default: throw new MatcherError(`unknown operator "${op}"`);
  }
}
