/**
 * Why onboarding or a challenge was refused: a stable code (docs/api.md "Errors") and the kind of
 * refusal. The domain knows nothing of HTTP; the API maps the kind to a status (`api/api-error.ts`).
 */
export type RefusalKind = 'invalid' | 'unauthenticated' | 'not_found' | 'conflict';

export class HotspotRefusal extends Error {
  override name = 'HotspotRefusal';
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
