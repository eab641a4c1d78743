/** An API refusal with a stable code (docs/api.md: errors are 4xx `{ code, message }`). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
