/**
 * Display formatting. Token amounts arrive as integer strings of bones; 1 HNT = 10^8 bones
 * (Helium token decimals, specs/poc-and-rewards.md). Amounts are formatted with BigInt, never through a
 * float, so large payouts keep their digits.
 */
export const BONES_PER_HNT = 100_000_000n;

/** "123456789" bones → "1.2346 HNT"-style string with `digits` decimals, truncated (not rounded). */
export function formatBones(bones: string | bigint, digits = 4): string {
  let b = typeof bones === 'bigint' ? bones : BigInt(bones);
  const neg = b < 0n;
  if (neg) b = -b;
  const whole = b / BONES_PER_HNT;
  const frac = (b % BONES_PER_HNT).toString().padStart(8, '0').slice(0, digits);
  const wholeStr = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${wholeStr}${digits > 0 ? `.${frac}` : ''}`;
}

/** Elapsed time in words: "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(atMs: number | null | undefined, nowMs: number): string {
  if (atMs === null || atMs === undefined) return 'never';
  const s = Math.max(0, Math.round((nowMs - atMs) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-6)}` : address;
}

/** Helium invalid reason names are snake_case (shared/src/protocol INVALID_REASONS): show them as words. */
export function formatReason(reason: string | null): string {
  return reason === null ? 'valid' : reason.replace(/_/g, ' ');
}
