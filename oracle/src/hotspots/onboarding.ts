/**
 * Onboarding (docs/api.md "Onboarding body"): add or re-assert a hotspot. The body is signed by the
 * hotspot's own key; its timestamp must be fresh (±authSkewMs) and newer than the last accepted one
 * (a replayed body cannot move a hotspot back). The region follows from the location
 * (`regionForLocation`), or is given and validated against it.
 */
import Type, { type Static } from 'typebox';
import { cellToLatLng, getResolution, isValidCell } from 'h3-js';
import { animalName, isValidAddress, publicKeyFromAddress, signingBytes, verifyMessage } from '@hexium/shared/identity/index';
import type { Clock } from '@hexium/shared/clock';
import type { NetworkParams } from '@hexium/shared/params/index';
import type { Sql } from '../store/sql.ts';
import type { HotspotDirectory, HotspotRecord } from '../store/hotspot-directory.ts';
import { upsertOnboardings, type OnboardingRow, type OnboardingStored } from '../store/hotspot-store.ts';
import { regionOfLocation } from './region-lookup.ts';
import { HotspotRefusal } from './refusal.ts';

export const OnboardingBodySchema = Type.Object(
  {
    v: Type.Literal(1),
    address: Type.String({ minLength: 1, maxLength: 80 }),
    // Any string up to 32 characters: the H3 checks (lowercase hex, valid cell, resolution 12) are
    // onboardHotspot's, so a malformed cell is INVALID_LOCATION (docs/api.md), not a schema BAD_REQUEST.
    location: Type.Union([Type.String({ maxLength: 32, description: 'H3 cell at resolution 12, 15 lowercase hex digits' }), Type.Null()]),
    gainDbi: Type.Number({ minimum: -10, maximum: 30 }),
    elevationM: Type.Number({ minimum: -500, maximum: 10_000 }),
    fullHotspot: Type.Boolean(),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    fleet: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
    timestampMs: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    signature: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type OnboardingBody = Static<typeof OnboardingBodySchema>;

/** The resolution a hotspot asserts (Helium asserts res-12 cells; docs/api.md "Onboarding body"). */
export const ASSERT_RESOLUTION = 12;

/** An asserted location: a valid H3 cell at resolution 12, written as 15 lowercase hex digits. */
export function checkLocation(location: string): void {
  if (!/^[0-9a-f]{15}$/.test(location) || !isValidCell(location)) {
    throw new HotspotRefusal('invalid', 'INVALID_LOCATION', `not an H3 cell (15 lowercase hex digits): ${JSON.stringify(location)}`);
  }
  const res = getResolution(location);
  if (res !== ASSERT_RESOLUTION) {
    throw new HotspotRefusal('invalid', 'INVALID_LOCATION', `location ${location} is an H3 cell at resolution ${res}; it must be at resolution ${ASSERT_RESOLUTION}`);
  }
}

export interface OnboardingDeps {
  sql: Sql;
  directory: HotspotDirectory;
  clock: Clock;
  params: NetworkParams;
  authSkewMs: number;
  /** ed25519 check off the main thread (the ingest SignaturePool); else checked inline. */
  verifySignature?(job: { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }): Promise<boolean>;
}

async function signatureOk(body: OnboardingBody, d: OnboardingDeps): Promise<boolean> {
  const message = body as unknown as Record<string, unknown>;
  if (!d.verifySignature) return verifyMessage(message, body.address);
  return d.verifySignature({ publicKey: publicKeyFromAddress(body.address), message: signingBytes(message), signature: Buffer.from(body.signature, 'base64') });
}

/** Every check of one onboarding body, signature included; the row to store. Throws HotspotRefusal. */
async function checkOnboarding(body: OnboardingBody, d: OnboardingDeps): Promise<OnboardingRow> {
  if (!isValidAddress(body.address)) throw new HotspotRefusal('invalid', 'INVALID_ADDRESS', `not a Helium ed25519 address: ${body.address}`);
  if (!(await signatureOk(body, d))) {
    throw new HotspotRefusal('unauthenticated', 'BAD_SIGNATURE', 'signature does not verify with the hotspot key');
  }
  const now = d.clock.now();
  if (Math.abs(now - body.timestampMs) > d.authSkewMs) {
    throw new HotspotRefusal('invalid', 'STALE_TIMESTAMP', `timestampMs is ${body.timestampMs - now} ms from the oracle clock (limit ±${d.authSkewMs})`);
  }
  if (body.location !== null) checkLocation(body.location);
  if (body.region !== undefined && !d.params.regions[body.region]) {
    throw new HotspotRefusal('invalid', 'UNKNOWN_REGION', `unknown region "${body.region}" (known: ${Object.keys(d.params.regions).join(', ')})`);
  }
  let region: string | null = body.region ?? null;
  if (body.location !== null) {
    const derived = regionOfLocation(body.location);
    if (derived && region && derived !== region) {
      throw new HotspotRefusal('invalid', 'REGION_MISMATCH', `location ${body.location} lies in ${derived}, not ${region}`);
    }
    region = region ?? derived;
    if (!region) throw new HotspotRefusal('invalid', 'REGION_REQUIRED', `no region known for location ${body.location}: give "region"`);
  }
  const [lat, lng] = body.location ? cellToLatLng(body.location) : [null, null];
  return {
    address: body.address, name: animalName(body.address), location: body.location, lat, lng, region, gainDbi: body.gainDbi,
    elevationM: body.elevationM, fullHotspot: body.fullHotspot, fleet: body.fleet ?? null, nowMs: now, timestampMs: body.timestampMs,
  };
}

/** What was stored for one body: the refusal for a replayed timestamp, else the hotspot as it now is. */
function stored(s: OnboardingStored, d: OnboardingDeps): { created: boolean; hotspot: HotspotRecord } {
  if (s.replayed) {
    throw new HotspotRefusal('conflict', 'REPLAYED_TIMESTAMP', 'timestampMs is not newer than the last accepted onboarding of this hotspot');
  }
  const result = { created: s.created, hotspot: s.hotspot };
  const cached = d.directory.get(result.hotspot.address);
  if (cached) result.hotspot.online = cached.online;
  d.directory.set(result.hotspot);
  return result;
}

/** Validate and store one onboarding body. Throws HotspotRefusal for every refusal. */
export async function onboardHotspot(body: OnboardingBody, d: OnboardingDeps): Promise<{ created: boolean; hotspot: HotspotRecord }> {
  const row = await checkOnboarding(body, d);
  return stored((await upsertOnboardings(d.sql, [row]))[0], d);
}

export type BulkOutcome = { ok: true; created: boolean; hotspot: HotspotRecord } | { ok: false; refusal: HotspotRefusal };

/**
 * Validate and store many onboarding bodies (bulk onboarding): every body is checked at once (the
 * signatures on the pool's threads), then those that pass are stored in one transaction, in their
 * order, each as {@link onboardHotspot} would have. The outcome at index i is body i's. Errors other
 * than refusals (the store failing) are thrown, and then none of the bodies is stored.
 */
export async function onboardHotspots(bodies: readonly OnboardingBody[], d: OnboardingDeps): Promise<BulkOutcome[]> {
  const checked = await Promise.all(bodies.map((b) => checkOnboarding(b, d).catch((e: unknown) => {
    if (e instanceof HotspotRefusal) return e;
    throw e;
  })));
  const rows = checked.filter((c): c is OnboardingRow => !(c instanceof HotspotRefusal));
  const saved = await upsertOnboardings(d.sql, rows);
  let next = 0;
  return checked.map((c): BulkOutcome => {
    if (c instanceof HotspotRefusal) return { ok: false, refusal: c };
    try {
      return { ok: true, ...stored(saved[next++], d) };
    } catch (e) {
      if (e instanceof HotspotRefusal) return { ok: false, refusal: e };
      throw e;
    }
  });
}
