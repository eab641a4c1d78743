/**
 * `oracle density`: the HIP-17 scale of every given location (docs/harness.md "density"). `params` is
 * "hip104" (deployed, default), "hip17" (the original chain variables) or a table `{ "<res>": [N, tgt, max] }`.
 */
import type { Static } from 'typebox';
import { HIP104_RESOLUTIONS, HIP17_RESOLUTIONS, type DensityTriple } from '@hexium/shared/params/index';
import { UsageError } from '@hexium/shared/cli/args';
import { isValidCell } from 'h3-js';
import { buildDensityMap } from '../poc/index.ts';
import { cellToHex } from './cells.ts';
import { parseInput } from './input.ts';
import { DensityInputSchema } from './schemas.ts';

export type DensityInput = Static<typeof DensityInputSchema>;
export interface DensityOutput {
  /** Cell as given → scale (decimal string). Cells coarser than res 11 are left out, as in Helium. */
  scales: Record<string, string>;
}

export function runDensity(input: DensityInput): DensityOutput {
  const resolutions: Record<string, DensityTriple> =
    input.params === undefined || input.params === 'hip104' ? HIP104_RESOLUTIONS : input.params === 'hip17' ? HIP17_RESOLUTIONS : input.params;
  const hex = input.locations.map((c, i) => {
    let h: string;
    try {
      h = cellToHex(c);
    } catch (e) {
      throw new UsageError(`/locations/${i}: ${(e as Error).message}`);
    }
    if (!isValidCell(h)) throw new UsageError(`/locations/${i}: "${c}" is not a valid H3 cell`);
    return h;
  });
  const map = buildDensityMap(hex, resolutions);
  const scales: Record<string, string> = {};
  input.locations.forEach((c, i) => {
    const s = map.get(hex[i]);
    if (s !== undefined) scales[c] = s;
  });
  return { scales };
}

export function densityFromText(text: string, what = 'locations file'): DensityOutput {
  return runDensity(parseInput(text, DensityInputSchema, what));
}
