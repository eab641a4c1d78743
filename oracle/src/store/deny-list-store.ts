/**
 * The deny list in the store: denied hotspot keys and undirected (beaconer, witness) edges, read by the
 * verifier at each tick (beacon check #3, witness checks #3–#4, spec §(b)) and replaced through the
 * admin API (`PUT /api/v1/denylist`).
 */
import { denyEdgeKey, makeDenyList, type DenyList } from '../poc/index.ts';
import type { Sql } from './sql.ts';

export interface DenyListContents {
  tag: string;
  addresses: string[];
  /** Each edge once, its two addresses in sorted order. */
  edges: [string, string][];
}

export async function readDenyList(sql: Sql): Promise<DenyListContents> {
  const keys = await sql.query<{ address: string; tag: string }>('SELECT address, tag FROM deny_list ORDER BY address');
  const edges = await sql.query<{ a: string; b: string }>('SELECT a, b FROM deny_edges ORDER BY a, b');
  return {
    tag: keys.rows[0]?.tag ?? '',
    addresses: keys.rows.map((r) => r.address),
    edges: edges.rows.map((r) => [r.a, r.b]),
  };
}

export async function loadDenyList(sql: Sql): Promise<DenyList> {
  const c = await readDenyList(sql);
  return makeDenyList(c.addresses, c.edges);
}

/** Replace the whole deny list in one transaction (edges stored undirected: sorted pair). */
export async function replaceDenyList(sql: Sql, c: { tag?: string; addresses: string[]; edges: [string, string][] }): Promise<DenyListContents> {
  const edges = new Map<string, [string, string]>();
  for (const [x, y] of c.edges) {
    const pair = (x < y ? [x, y] : [y, x]) as [string, string];
    edges.set(denyEdgeKey(x, y), pair);
  }
  await sql.transaction(async (tx) => {
    await tx.query('DELETE FROM deny_list');
    await tx.query('DELETE FROM deny_edges');
    for (const a of new Set(c.addresses)) await tx.query('INSERT INTO deny_list (address, tag) VALUES ($1, $2)', [a, c.tag ?? '']);
    for (const [a, b] of edges.values()) await tx.query('INSERT INTO deny_edges (a, b) VALUES ($1, $2)', [a, b]);
  });
  return readDenyList(sql);
}
