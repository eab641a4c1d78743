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
