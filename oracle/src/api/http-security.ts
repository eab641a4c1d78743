/**
 * HTTP defences shared by the routes (docs/security.md "HTTP API"): constant-time token checks, the
 * `Host` allow-list against DNS rebinding, the default security headers, and a small fixed-window rate
 * limiter for challenges.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.ts';

/**
 * True when `presented` equals `expected`. Both are hashed to SHA-256 first so the comparison runs on
 * two equal-length digests with `crypto.timingSafeEqual`: neither the bytes nor the length of the secret
 * leak through the response time.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The bearer token of an `authorization: Bearer <token>` header, else undefined. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string' || !h.startsWith('Bearer ')) return undefined;
  return h.slice('Bearer '.length);
}

/** Throws 401 UNAUTHORIZED unless the request carries the admin token. */
export function requireAdmin(req: FastifyRequest, adminToken: string): void {
  if (!tokenMatches(bearerToken(req), adminToken)) throw new ApiError(401, 'UNAUTHORIZED', 'admin route: send authorization: Bearer <adminToken>');
}

/**
 * Body limit of the admin routes that take large lists (organizations with 10 000 devices, the deny
 * list): their token is checked in `onRequest`, before the body is read, so only the operator can send
 * this much. Every other route has the 1 MiB default (app.ts BODY_LIMIT_BYTES).
 */
export const ADMIN_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** Names always accepted in `Host` (RFC 6761 §6.3 localhost, the IPv4 and IPv6 loopback addresses). */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host names accepted in the `Host` header: the loopback names, the configured listen host when it
 * is a name or a specific address, and the configured extra names (comma separated; `*` = any).
 * Returns null when any host is accepted.
 */
export function allowedHostSet(listenHost: string, extra: string): Set<string> | null {
  const names = extra.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes('*')) return null;
  const set = new Set([...LOOPBACK_HOSTS, ...names]);
  const h = listenHost.trim().toLowerCase();
  if (h !== '' && h !== '0.0.0.0' && h !== '::') set.add(h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
  return set;
}

/** The host name of a `Host` header value without its port (`[::1]:8080` → `[::1]`, `a.b:80` → `a.b`). */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const v = header.trim().toLowerCase();
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    return end < 0 ? null : v.slice(0, end + 1);
  }
  const i = v.lastIndexOf(':');
  return i < 0 ? v : v.slice(0, i);
}

/**
 * Content-Security-Policy of `/docs` (Swagger UI): its own scripts and styles only, no framing. Swagger
 * UI sets inline styles on elements (`style="…"`), so `style-src` allows 'unsafe-inline'; scripts stay
 * 'self' only. `frame-ancestors 'none'` is the CSP form of `X-Frame-Options: DENY` (CSP Level 2 §7.7).
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** The headers sent on every response (OWASP Secure Headers Project: the recommended values). */
export function setSecurityHeaders(reply: FastifyReply, csp: string): void {
  reply.header('content-security-policy', csp);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
}

/**
 * Fixed-window counter per key: at most `limit` hits per `windowMs`. `hit` returns 0 when allowed, else
 * the ms until the window of that key ends (the Retry-After). Keys whose window has ended are dropped
 * when the map grows past `maxKeys`, so a flood of distinct keys cannot grow memory without bound.
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  hit(key: string, nowMs: number): number {
    let w = this.windows.get(key);
    if (!w || nowMs - w.startMs >= this.windowMs || nowMs < w.startMs) {
      if (!w && this.windows.size >= this.maxKeys) this.sweep(nowMs);
      w = { startMs: nowMs, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.limit) return Math.max(1, w.startMs + this.windowMs - nowMs);
    w.count++;
    return 0;
  }

  /** Undo the last hit of `key` (the request was refused for another reason before it did anything). */
  release(key: string): void {
    const w = this.windows.get(key);
    if (w && w.count > 0) w.count--;
  }

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.startMs >= this.windowMs || nowMs < w.startMs) this.windows.delete(k);
    // still full: the oldest windows go first (Map keeps insertion order)
    for (const k of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(k);
    }
  }
}
