/**
 * `oracle verify`: one PoC round from a self-contained JSON file (docs/harness.md "verify"). Builds the
 * verifier's context from the file — gateway info, deny list, entropy, history, hex scales (or the HIP-17
 * map of the given hotspots) — runs `verifyPoc` and reports every verdict in input order.
 */
import type { Static } from 'typebox';
import { resolveParams, ParamsError, type NetworkParams } from '@hexium/shared/params/index';
import { UsageError } from '@hexium/shared/cli/args';
import { verifyPoc, buildDensityMap, makeDenyList, PocProcessingError, type GatewayInfo, type PocVerdict, type WitnessVerdict } from '../poc/index.ts';
import { cellToHex } from './cells.ts';
import { parseInput } from './input.ts';
import { VerifyInputSchema } from './schemas.ts';

export type VerifyInput = Static<typeof VerifyInputSchema>;

export interface VerifyOutput {
  beacon: { status: 'valid' | 'invalid'; reason: string | null; hexScale: string; rewardUnit: string };
  witnesses: { address: string; receivedAtMs: number; status: 'valid' | 'invalid'; reason: string | null; selected: boolean; hexScale: string; rewardUnit: string }[];
}

/** Network params of a harness file: a profile name or overrides (resolveParams), with regionParams merged in. */
export function harnessParams(params: unknown, regionParams?: NetworkParams['regions']): NetworkParams {
  let base: NetworkParams;
  try {
    base = resolveParams(params as string | Record<string, unknown> | undefined);
  } catch (e) {
    if (e instanceof ParamsError) throw new UsageError(`/params: ${e.message}`);
    throw e;
  }
  return regionParams ? { ...base, regions: { ...base.regions, ...regionParams } } : base;
}

function cell(raw: string, path: string): string {
  try {
    return cellToHex(raw);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

/** Run one round; throws UsageError on input the verifier cannot take (unknown region, duplicate hotspot…). */
export function runVerify(input: VerifyInput): { output: VerifyOutput; verdict: PocVerdict } {
  const params = harnessParams(input.params, input.regionParams);
  const gateways = new Map<string, GatewayInfo>();
  input.hotspots.forEach((h, i) => {
    if (gateways.has(h.address)) throw new UsageError(`/hotspots/${i}/address: ${h.address} is listed twice`);
    gateways.set(h.address, {
      address: h.address,
      location: h.location === null ? null : cell(h.location, `/hotspots/${i}/location`),
      region: h.region,
      gainDbi: h.gainDbi,
      elevationM: h.elevationM ?? 0,
      fullHotspot: h.fullHotspot,
    });
  });
  const entropy = new Map(input.entropy.map((e) => [e.dataHex.toLowerCase(), e]));
  let scales: Map<string, string>;
  if (input.hexScales) {
    scales = new Map(Object.entries(input.hexScales).map(([k, v]) => [cell(k, `/hexScales/${k}`), v]));
  } else {
    const locations = [...gateways.values()].flatMap((g) => (g.location ? [g.location] : []));
    scales = buildDensityMap(locations, params.hip17.resolutions);
  }
  const b = input.beacon;
  let verdict: PocVerdict;
  try {
    verdict = verifyPoc(
      {
        beacon: {
          hotspot: b.address,
          localEntropyHex: b.localEntropyHex.toLowerCase(),
          remoteEntropyHex: b.remoteEntropyHex.toLowerCase(),
          dataHex: b.dataHex.toLowerCase(),
          frequencyHz: b.frequencyHz,
          dataRate: b.dataRate,
          txPowerDbm: b.txPowerDbm,
          channel: b.channel ?? 0,
          tmst: b.tmst ?? 0,
          receivedAtMs: b.receivedAtMs,
        },
        witnesses: input.witnesses.map((w) => ({
          hotspot: w.address,
          dataHex: w.dataHex.toLowerCase(),
          rssiDbm: w.rssiDbm,
          snrDb: w.snrDb ?? 0,
          frequencyHz: w.frequencyHz,
          dataRate: w.dataRate ?? b.dataRate,
          tmst: w.tmst ?? 0,
          receivedAtMs: w.receivedAtMs,
        })),
      },
      {
        params,
        gateway: (a) => gateways.get(a),
        denyList: makeDenyList(input.denyList?.addresses ?? [], input.denyList?.edges ?? []),
        entropy: (hex) => entropy.get(hex),
        history: (a) => input.history?.[a] ?? {},
        hexScale: (loc) => scales.get(loc),
      },
    );
  } catch (e) {
    if (e instanceof PocProcessingError) throw new UsageError(`the verifier cannot process this round: ${e.message}`);
    throw e;
  }
  // One line per input witness, in input order: dropped self witnesses are listed with their reason.
  const byIndex = new Map<number, WitnessVerdict>();
  for (const v of [...verdict.witnesses, ...verdict.dropped]) byIndex.set(v.index, v);
  const output: VerifyOutput = {
    beacon: { status: verdict.beacon.status, reason: verdict.beacon.reason, hexScale: verdict.beacon.hexScale, rewardUnit: verdict.beacon.rewardUnit },
    witnesses: input.witnesses.map((_, i) => {
      const v = byIndex.get(i)!;
      return { address: v.hotspot, receivedAtMs: v.receivedAtMs, status: v.status, reason: v.reason, selected: v.selected, hexScale: v.hexScale, rewardUnit: v.rewardUnit };
    }),
  };
  return { output, verdict };
}

/** Parse, validate and run a verify file's text. */
export function verifyFromText(text: string, what = 'round file'): VerifyOutput {
  return runVerify(parseInput(text, VerifyInputSchema, what)).output;
}
