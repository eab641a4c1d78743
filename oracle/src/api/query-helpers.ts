/** Small parsers shared by the routes. */
import { ApiErrorSchema } from '@hexium/shared/protocol/index';
import { ApiError } from './api-error.ts';

/** The body of every refusal (docs/api.md "Errors"). */
export const ErrorSchema = ApiErrorSchema;

export interface Bbox {
  w: number;
  s: number;
  e: number;
  n: number;
}

/** `w,s,e,n` in degrees, or undefined; 400 BAD_BBOX when malformed. */
export function parseBbox(raw: string | undefined): Bbox | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parts = raw.split(',').map((x) => Number(x));
  if (parts.length !== 4 || parts.some((x) => !Number.isFinite(x))) throw new ApiError(400, 'BAD_BBOX', 'bbox must be "w,s,e,n" in degrees');
  const [w, s, e, n] = parts;
  if (s > n || s < -90 || n > 90 || w < -180 || w > 180 || e < -180 || e > 180) {
    throw new ApiError(400, 'BAD_BBOX', 'bbox must satisfy -180 ≤ w,e ≤ 180 and -90 ≤ s ≤ n ≤ 90');
  }
  return { w, s, e, n };
}

export function inBbox(b: Bbox, lat: number, lng: number): boolean {
  if (lat < b.s || lat > b.n) return false;
  return b.w <= b.e ? lng >= b.w && lng <= b.e : lng >= b.w || lng <= b.e;
}
