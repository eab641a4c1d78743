/**
 * Distances between asserted cells, as the verifier computes them (oracles iot_verifier/src/poc.rs
 * `calc_cell_distance`, `calc_distance`; spec §(b) witness #12–#14). Cells are H3 hex strings.
 * h3-js matches h3o here (spec "Implementation notes"); any h3 failure is reported as `undefined`
 * so the caller can turn it into the check's own reason.
 *
 * Asserted locations change rarely and the same beaconer–witness pairs meet round after round, so both
 * pair results are memoised (bounded maps; pure functions, so memoising cannot change a result).
 */
import { cellToLatLng, cellToParent, getResolution, greatCircleDistance, gridDistance, isValidCell } from 'h3-js';

const MAX_MEMO_ROWS = 100_000;
type Memo<T> = Map<string, Map<string, T>>;
const gridMemos = new Map<number, Memo<number | undefined>>(); // by parent resolution
const metresMemo: Memo<number | undefined> = new Map();

/** Two-level memo (no key concatenation on the hot path). `a` is usually the beaconer. */
function memo<T>(map: Memo<T>, a: string, b: string, compute: () => T): T {
  let row = map.get(a);
  if (!row) {
    if (map.size >= MAX_MEMO_ROWS) map.clear();
    map.set(a, (row = new Map()));
  }
  if (row.has(b)) return row.get(b) as T;
  const value = compute();
  if (row.size >= 10_000) row.clear();
  row.set(b, value);
  return value;
}

/** What the checks need of one cell, computed once: validity, resolution, centre, parents. */
interface CellInfo {
  valid: boolean;
  res: number;
  centre?: [number, number];
  parents: Map<number, string>;
}
const cellMemo = new Map<string, CellInfo>();

function cellInfo(cell: string): CellInfo {
  let info = cellMemo.get(cell);
  if (!info) {
    const valid = isValidCell(cell);
    info = { valid, res: valid ? getResolution(cell) : -1, parents: new Map() };
    if (cellMemo.size >= MAX_MEMO_ROWS) cellMemo.clear();
    cellMemo.set(cell, info);
  }
  return info;
}

function parentOf(cell: string, info: CellInfo, res: number): string {
  let p = info.parents.get(res);
  if (p === undefined) info.parents.set(res, (p = cellToParent(cell, res)));
  return p;
}

function centreOf(cell: string, info: CellInfo): [number, number] {
  return (info.centre ??= cellToLatLng(cell));
}

/** Forget memoised cells and distances (benchmarks measure the cold path with it). */
export function clearDistanceMemo(): void {
  gridMemos.clear();
  metresMemo.clear();
  cellMemo.clear();
}

function computeParentGridDistance(a: string, b: string, parentRes: number): number | undefined {
  try {
    const ia = cellInfo(a);
    const ib = cellInfo(b);
    if (!ia.valid || !ib.valid || ia.res < parentRes || ib.res < parentRes) return undefined;
    const d = gridDistance(parentOf(a, ia, parentRes), parentOf(b, ib, parentRes));
    return Number.isFinite(d) && d >= 0 ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Grid distance between the parents of `a` and `b` at `parentRes` (POC_CELL_PARENT_RES = 11), or
 * undefined on any H3 error: an invalid cell, a cell coarser than `parentRes` (h3o `parent` gives None),
 * or a grid distance that cannot be computed.
 */
export function cellParentGridDistance(a: string, b: string, parentRes: number): number | undefined {
  let m = gridMemos.get(parentRes);
  if (!m) gridMemos.set(parentRes, (m = new Map()));
  return memo(m, a, b, () => computeParentGridDistance(a, b, parentRes));
}

/** Great-circle metres between the two cell centres, rounded (h3o `distance_m().round() as u32`), or undefined on an invalid cell. */
export function cellCentreDistanceM(a: string, b: string): number | undefined {
  return memo(metresMemo, a, b, () => {
    try {
      const ia = cellInfo(a);
      const ib = cellInfo(b);
      if (!ia.valid || !ib.valid) return undefined;
      return Math.round(greatCircleDistance(centreOf(a, ia), centreOf(b, ib), 'm'));
    } catch {
      return undefined;
    }
  });
}

/**
 * Free-space path loss in dB as Helium's RSSI check computes it (poc.rs `calc_fpsl`): 20·log10(4π·d·f / C)
 * with the verifier's rounded C, in IEEE-754 doubles like the Rust code. The physical free-space loss
 * the simulator uses is shared `freeSpacePathLossDb` (exact c).
 */
export function heliumFsplDb(distanceM: number, freqHz: number, speedOfLightMps: number): number {
  return 20 * Math.log10((4 * Math.PI * distanceM * freqHz) / speedOfLightMps);
}

/** Whole-dBi gain the way poc.rs truncates it: `gain_ddb / 10` in integer arithmetic (toward zero). */
export function wholeGainDb(gainDbi: number): number {
  return Math.trunc(Math.round(gainDbi * 10) / 10);
}

/**
 * Highest RSSI (dBm) free space allows (poc.rs `calc_expected_rssi`):
 * tx_power + trunc(beaconer gain) − FSPL(d, witness freq) + trunc(witness gain).
 */
export function maxRssiDbm(txPowerDbm: number, freqHz: number, distanceM: number, beaconerGainDbi: number, witnessGainDbi: number, speedOfLightMps: number): number {
  return txPowerDbm + wholeGainDb(beaconerGainDbi) - heliumFsplDb(distanceM, freqHz, speedOfLightMps) + wholeGainDb(witnessGainDbi);
}
