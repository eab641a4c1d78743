/**
 * Distances between asserted cells, as the verifier computes them (oracles iot_verifier/src/poc.rs
 * `calc_cell_distance`, `calc_distance`; spec §(b) witness #12–#14). Cells are H3 hex strings.
 * h3-js matches h3o here (spec "Implementation notes"); any h3 failure is reported as `undefined`
 * so the caller can turn it into the check's own reason.
 *
 * Asserted locations change rarely and the same beaconer–witness pairs meet round after round, so each
 * cell's H3 facts and both pair results are memoised on the cell (bounded maps; pure functions, so
 * memoising cannot change a result).
 */
import { cellToLatLng, cellToParent, getResolution, greatCircleDistance, gridDistance, isValidCell } from 'h3-js';

const MAX_MEMO_ROWS = 100_000;
const MAX_MEMO_PAIRS_PER_CELL = 10_000;
/** Memo value standing for `undefined` (an H3 failure): distances are never negative. */
const FAILED = -1;

/**
 * What the checks need of one cell, computed once: validity, resolution, centre, parents, and the
 * answers for each cell it has been paired with (keyed by the other cell; grid distances also by the
 * parent resolution). One map lookup finds the cell, one more the pair.
 */
interface CellInfo {
  valid: boolean;
  res: number;
  centre?: [number, number];
  parents: Map<number, string>;
  metresTo: Map<string, number>;
  gridTo: Map<number, Map<string, number>>;
}
const cellMemo = new Map<string, CellInfo>();

function cellInfo(cell: string): CellInfo {
  let info = cellMemo.get(cell);
  if (!info) {
    const valid = isValidCell(cell);
    info = { valid, res: valid ? getResolution(cell) : -1, parents: new Map(), metresTo: new Map(), gridTo: new Map() };
    if (cellMemo.size >= MAX_MEMO_ROWS) cellMemo.clear();
    cellMemo.set(cell, info);
  }
  return info;
}

function remember<K>(map: Map<K, number>, key: K, value: number | undefined): number {
  if (map.size >= MAX_MEMO_PAIRS_PER_CELL) map.clear();
  const v = value ?? FAILED;
  map.set(key, v);
  return v;
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
  cellMemo.clear();
}

function computeParentGridDistance(a: string, ia: CellInfo, b: string, parentRes: number): number | undefined {
  try {
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
  const ia = cellInfo(a);
  let row = ia.gridTo.get(parentRes);
  if (!row) ia.gridTo.set(parentRes, (row = new Map()));
  let d = row.get(b);
  if (d === undefined) d = remember(row, b, computeParentGridDistance(a, ia, b, parentRes));
  return d === FAILED ? undefined : d;
}

function computeCentreDistanceM(a: string, ia: CellInfo, b: string): number | undefined {
  try {
    const ib = cellInfo(b);
    if (!ia.valid || !ib.valid) return undefined;
    return Math.round(greatCircleDistance(centreOf(a, ia), centreOf(b, ib), 'm'));
  } catch {
    return undefined;
  }
}

/** Great-circle metres between the two cell centres, rounded (h3o `distance_m().round() as u32`), or undefined on an invalid cell. */
export function cellCentreDistanceM(a: string, b: string): number | undefined {
  const ia = cellInfo(a);
  let m = ia.metresTo.get(b);
  if (m === undefined) m = remember(ia.metresTo, b, computeCentreDistanceM(a, ia, b));
  return m === FAILED ? undefined : m;
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
