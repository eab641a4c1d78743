/**
 * The experiment engine: the radio medium alone (no oracle, no MQTT, no signatures), for LoRa
 * scalability experiments in the manner of LoRaSim and ns-3 lorawan (docs/radio-validation.md).
 *
 * Nodes are struct-of-arrays; each node's link list (gateways whose copy of its packets is above the
 * interference floor, with the received power) is computed once through a uniform grid of gateways.
 * Packets are generated in start-time order from a binary heap of per-node next starts (Poisson
 * arrivals: exponential gaps, the first one too; a node still transmitting when its next arrival comes
 * sends it when the previous one ends) and handed to the overlap sweep (`reception-sweep.ts`).
 * Same file + same seed ⇒ same counts.
 */
import { createRng, type Rng } from '@hexium/shared/random/rng';
import { logDistancePathLossDb } from '@hexium/shared/radio/log-distance';
import type { ResolvedExperiment, NodePick } from '../core/scenario/load-scenario.ts';
import { pointInPolygon, projector } from '../core/scenario/geometry.ts';
import { packetKind, ReceptionSweep, type GatewayCounts, type LossCounts, type PacketKind } from './reception-sweep.ts';

/** Shadowing beyond this many σ is ignored when deciding which links to keep (P < 3.2·10⁻⁵ per link). */
const SHADOWING_CUTOFF_SIGMAS = 4;

export interface ExperimentRun {
  nodes: number;
  seed: number;
  gateways: number;
  simulatedS: number;
  total: LossCounts & { der: number };
  perSf: (LossCounts & { sf: number; der: number })[];
  perGateway: (GatewayCounts & { gateway: number })[];
  /** Links kept (node–gateway pairs above the interference floor). */
  links: number;
  /** Bytes per node held by the engine beyond the node's parameters (heap, times, link list, sweep state). */
  bytesPerNode: number;
}

/** Nodes of one run: positions (m), kind index, lane (channel + bandwidth) index, TX power (the node's parameters). */
export interface NodeSet {
  x: Float64Array;
  y: Float64Array;
  kind: Uint16Array;
  lane: Uint16Array;
  lanes: number;
  txPowerDbm: Float32Array;
  kinds: PacketKind[];
}

function draw(p: NodePick<number>, rng: Rng): number {
  return 'fixed' in p ? p.fixed : p.choice[rng.int(0, p.choice.length - 1)];
}

/** Place `n` nodes and draw their parameters (seeded: same experiment, n and seed ⇒ same nodes). */
export function placeNodes(x: ResolvedExperiment, n: number, seed: number): NodeSet {
  const root = createRng(seed);
  const place = root.fork('placement');
  const params = root.fork('parameters');
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  if (x.placement.kind === 'disc') {
    const r = x.placement.radiusM;
    const gw = x.gateways;
    for (let i = 0; i < n; i++) {
      const [gx, gy] = gw[i % gw.length];
      // uniform in the disc: radius ∝ √u
      const d = r * Math.sqrt(place.next());
      const th = 2 * Math.PI * place.next();
      xs[i] = gx + d * Math.cos(th);
      ys[i] = gy + d * Math.sin(th);
    }
  } else {
    const poly = x.placement.polygon;
    const [w, s, e, no] = poly.bbox;
    const proj = projector((s + no) / 2, (w + e) / 2);
    for (let i = 0; i < n; i++) {
      for (;;) {
        const lng = w + (e - w) * place.next();
        const lat = s + (no - s) * place.next();
        if (!pointInPolygon(lng, lat, poly)) continue;
        [xs[i], ys[i]] = proj.toXY(lat, lng);
        break;
      }
    }
  }
  const kinds: PacketKind[] = [];
  const kindIndex = new Map<string, number>();
  const kind = new Uint16Array(n);
  const lane = new Uint16Array(n);
  const laneIndex = new Map<string, number>();
  const txPowerDbm = new Float32Array(n);
  const css = x.collisions.model === 'capture' ? x.collisions.criticalSectionSymbols : 0;
  for (let i = 0; i < n; i++) {
    const sf = draw(x.sf, params);
    const bw = draw(x.bandwidthHz, params);
    const cr = draw(x.codingRate, params);
    const key = `${sf}/${bw}/${cr}`;
    let k = kindIndex.get(key);
    if (k === undefined) {
      k = kinds.length;
      kinds.push(packetKind(sf, bw, cr, x.payloadBytes, x.preambleSymbols, css, x.noiseFigureDb));
      kindIndex.set(key, k);
    }
    kind[i] = k;
    txPowerDbm[i] = draw(x.txPowerDbm, params);
    const laneKey = `${draw(x.channel, params)}/${bw}`;
    let l = laneIndex.get(laneKey);
    if (l === undefined) {
      l = laneIndex.size;
      laneIndex.set(laneKey, l);
    }
    lane[i] = l;
  }
  return { x: xs, y: ys, kind, lane, lanes: laneIndex.size, txPowerDbm, kinds };
}

/** Links of every node (CSR): gateways whose copy is at or above `floorDbm`, with its power. */
export function buildLinks(x: ResolvedExperiment, nodes: NodeSet, floorDbm: number, seed: number) {
  const n = nodes.x.length;
  const { d0M, pl0Db, gamma, sigmaDb } = x.pathLoss;
  const shadow = createRng(seed).fork('shadowing');
  let maxTx = -Infinity;
  for (let i = 0; i < n; i++) if (nodes.txPowerDbm[i] > maxTx) maxTx = nodes.txPowerDbm[i];
  const budget = maxTx + x.nodeGainDbi + x.gatewayGainDbi - floorDbm + SHADOWING_CUTOFF_SIGMAS * sigmaDb;
  // PL(d) = budget ⇒ d = d0·10^((budget − PL0)/(10γ)); below d0 the loss is PL0 (the model's domain starts at d0)
  let reach = d0M * 10 ** ((budget - pl0Db) / (10 * gamma));
  if (budget < pl0Db) reach = 0;
  const gws = x.gateways;
  // uniform grid of gateways with cells one reach wide: a node's candidates are in its 3×3 cells
  const cell = Number.isFinite(reach) && reach > 0 ? reach : Infinity;
  const grid = new Map<number, number[]>();
  const cellKey = (cx: number, cy: number) => (cx + 2 ** 20) * 2 ** 21 + (cy + 2 ** 20);
  const cellOf = (v: number) => (cell === Infinity ? 0 : Math.floor(v / cell));
  gws.forEach(([gx, gy], g) => {
    const k = cellKey(cellOf(gx), cellOf(gy));
    const list = grid.get(k);
    if (list) list.push(g);
    else grid.set(k, [g]);
  });
  const off = new Uint32Array(n + 1);
  let gwArr = new Int32Array(Math.max(16, n));
  let rssiArr = new Float32Array(Math.max(16, n));
  let m = 0;
  const cand: number[] = [];
  const reach2 = reach * reach;
  for (let i = 0; i < n; i++) {
    off[i] = m;
    const px = nodes.x[i], py = nodes.y[i];
    cand.length = 0;
    if (reach > 0) {
      const cx = cellOf(px), cy = cellOf(py);
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
        if (cell === Infinity && (dx !== 0 || dy !== 0)) continue;
        const list = grid.get(cellKey(cx + dx, cy + dy));
        if (list) for (const g of list) cand.push(g);
      }
      if (cell !== Infinity) cand.sort((a, b) => a - b);
    }
    const eirp = nodes.txPowerDbm[i] + x.nodeGainDbi + x.gatewayGainDbi;
    for (const g of cand) {
      const ddx = gws[g][0] - px, ddy = gws[g][1] - py;
      const d2 = ddx * ddx + ddy * ddy;
      if (d2 > reach2) continue;
      const d = Math.max(Math.sqrt(d2), d0M);
      const xs = sigmaDb > 0 ? shadow.normal(0, sigmaDb) : 0;
      const rssi = eirp - logDistancePathLossDb(d, { d0M, pl0Db, exponent: gamma }) - xs;
      if (rssi < floorDbm) continue;
      if (m === gwArr.length) {
        const a = new Int32Array(m * 2), b = new Float32Array(m * 2);
        a.set(gwArr); b.set(rssiArr);
        gwArr = a; rssiArr = b;
      }
      gwArr[m] = g;
      rssiArr[m] = rssi;
      m++;
    }
  }
  off[n] = m;
  return { off, gw: gwArr.subarray(0, m), rssi: rssiArr.subarray(0, m), bytes: off.byteLength + m * 8 };
}

/** Run one experiment point: `n` nodes, seed `seed`. */
export function runExperiment(x: ResolvedExperiment, n: number, seed: number): ExperimentRun {
  const nodes = placeNodes(x, n, seed);
  const sweep = new ReceptionSweep(nodes.kinds, x.gateways.length, x.demodulators, x.collisions, nodes.lanes);
  const links = buildLinks(x, nodes, ReceptionSweep.floorDbm(nodes.kinds, x.collisions), seed);
  const traffic = createRng(seed).fork('traffic');
  const meanMs = x.intervalS * 1000;
  const endMs = 'seconds' in x.duration ? x.duration.seconds * 1000 : Infinity;
  const perNode = 'packetsPerNode' in x.duration ? x.duration.packetsPerNode : Infinity;
  // per-node traffic state: next arrival and packets left; a binary min-heap of (next start, node id)
  // with the keys stored inline so a comparison touches no other array
  const arrival = new Float64Array(n);
  const left = new Int32Array(n).fill(perNode === Infinity ? 0x7fffffff : perNode);
  const heapKey = new Float64Array(n);
  const heapId = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    arrival[i] = -meanMs * Math.log(1 - traffic.next());
    heapKey[i] = arrival[i];
    heapId[i] = i;
  }
  let size = n;
  // ties broken by node id, so the order never depends on the heap's history
  const siftDown = (pos: number, key: number, id: number) => {
    for (;;) {
      let c = 2 * pos + 1;
      if (c >= size) break;
      const r = c + 1;
      if (r < size && (heapKey[r] < heapKey[c] || (heapKey[r] === heapKey[c] && heapId[r] < heapId[c]))) c = r;
      if (heapKey[c] > key || (heapKey[c] === key && heapId[c] > id)) break;
      heapKey[pos] = heapKey[c];
      heapId[pos] = heapId[c];
      pos = c;
    }
    heapKey[pos] = key;
    heapId[pos] = id;
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i, heapKey[i], heapId[i]);
  const { off, gw, rssi } = links;
  const kind = nodes.kind, lane = nodes.lane, kinds = nodes.kinds;
  let lastEnd = 0;
  while (size > 0) {
    const id = heapId[0];
    const t = heapKey[0];
    if (t >= endMs) break;
    const k = kind[id];
    const end = t + kinds[k].airtimeMs;
    if (end > lastEnd) lastEnd = end;
    sweep.packet(k, lane[id], t, gw, rssi, off[id], off[id + 1]);
    if (--left[id] === 0) {
      size--;
      if (size > 0) siftDown(0, heapKey[size], heapId[size]);
    } else {
      const a = arrival[id] - meanMs * Math.log(1 - traffic.next());
      arrival[id] = a;
      // a node still on the air sends its next packet when this one ends
      siftDown(0, a > end ? a : end, id);
    }
  }
  sweep.flush();
  const der = (c: LossCounts) => (c.sent === 0 ? 0 : c.received / c.sent);
  const perSf = sweep.perSf.map((c, sf) => ({ sf, ...c, der: der(c) })).filter((c) => c.sent > 0);
  const engineBytes = arrival.byteLength + left.byteLength + heapKey.byteLength + heapId.byteLength + links.bytes + sweep.bytes();
  return {
    nodes: n,
    seed,
    gateways: x.gateways.length,
    simulatedS: (endMs === Infinity ? lastEnd : endMs) / 1000,
    total: { ...sweep.total, der: der(sweep.total) },
    perSf,
    perGateway: sweep.perGateway.map((c, gateway) => ({ gateway, ...c })),
    links: gw.length,
    bytesPerNode: engineBytes / n,
  };
}
