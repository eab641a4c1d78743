import type { HotspotRefusal, RefusalKind } from '../hotspots/refusal.ts';

/** An API refusal with a stable code (docs/api.md: errors are 4xx `{ code, message }`). */
export class ApiError extends Error {
  override name = 'ApiError';
  /** Extra response headers (e.g. `retry-after` on 429). */
  headers?: Record<string, string>;
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP status of each kind of domain refusal (docs/api.md "Errors"). */
const REFUSAL_STATUS: Record<RefusalKind, number> = { invalid: 400, unauthenticated: 401, not_found: 404, conflict: 409 };

/** A domain refusal (onboarding, challenges) as the API error it answers with. */
export function apiErrorFromRefusal(r: HotspotRefusal): ApiError {
  return new ApiError(REFUSAL_STATUS[r.kind], r.code, r.message);
}
