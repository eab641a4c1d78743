/**
 * Deny list: a set of keys plus a set of undirected (beaconer, witness) edges. Helium's `denylist`
 * crate checks keys (`check_key`) and edges in either direction (spec §(b) beacon #3, witness #3–#4).
 */
import type { DenyList } from './types.ts';

/** Key of an undirected edge: the two addresses sorted and joined by a comma. */
export function denyEdgeKey(a: string, b: string): string {
  return a < b ? `${a},${b}` : `${b},${a}`;
}

/** Build a deny list from addresses and edge pairs (each pair in any order). */
export function makeDenyList(addresses: Iterable<string> = [], edges: Iterable<readonly [string, string]> = []): DenyList {
  const edgeKeys = new Set<string>();
  for (const [a, b] of edges) edgeKeys.add(denyEdgeKey(a, b));
  return { addresses: new Set(addresses), edges: edgeKeys };
}

/** True when the (beaconer, witness) pair is a denied edge, in either direction. */
export function isDeniedEdge(denyList: DenyList, a: string, b: string): boolean {
  return denyList.edges.has(denyEdgeKey(a, b));
}
