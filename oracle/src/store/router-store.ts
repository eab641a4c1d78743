/**
 * The packet router's state (tables in oracle/src/store/migrations/100-router.sql): organizations and
 * their DC balances and burns, DevAddr ranges, OTAA devices, sessions with their frame counters, used
 * DevNonces, bought packets and the hotspots' DC shares. The packet router (`router/`: join server, data
 * uplinks, its admin routes) and the rewarder (DC shares per epoch, through the router port) call it; no
 * other module touches these tables. Counters and balances are read `FOR UPDATE` inside the caller's
 * transaction, so several oracle processes on one PostgreSQL never double-spend or reuse a counter.
 * Hex ids are stored lower-case.
 */
import type { SqlQuery } from './sql.ts';
import { lastPaidEndS } from './epoch-store.ts';

export interface DevAddrRange {
  start: string;
  end: string;
}
export interface OtaaDevice {
  devEui: string;
  joinEui: string;
  appKey: string;
}
export interface AbpSession {
  devAddr: string;
  devEui?: string | null;
  nwkSKey: string;
  appSKey: string;
  /** Next expected uplink frame counter (32 bits). */
  fCntUp?: number;
}
export type DeviceInput = OtaaDevice | AbpSession;

export interface OrgSummary {
  orgId: string;
  name: string;
  dcBalance: string;
  devAddrRanges: DevAddrRange[];
  devices: { devEui: string | null; joinEui: string | null; devAddr: string | null; activation: 'otaa' | 'abp' }[];
}

export const hex32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
export const isOtaa = (d: DeviceInput): d is OtaaDevice => 'appKey' in d;

/** The organization of the lowest stored range overlapping [start, end], or null. */
export async function overlappingRange(q: SqlQuery, start: number, end: number): Promise<string | null> {
  const r = await q.query<{ org_id: string }>('SELECT org_id FROM router_devaddr_ranges WHERE start_addr <= $2 AND end_addr >= $1 ORDER BY start_addr LIMIT 1', [start, end]);
  return r.rows[0]?.org_id ?? null;
}

export async function insertDevice(q: SqlQuery, orgId: string, d: DeviceInput, nowMs: number): Promise<void> {
  if (isOtaa(d)) {
    await q.query(
      `INSERT INTO router_devices (dev_eui, join_eui, app_key, org_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (dev_eui) DO UPDATE SET join_eui = EXCLUDED.join_eui, app_key = EXCLUDED.app_key, org_id = EXCLUDED.org_id`,
      [d.devEui.toLowerCase(), d.joinEui.toLowerCase(), d.appKey.toLowerCase(), orgId],
    );
    return;
  }
  await q.query(
    `INSERT INTO router_sessions (dev_addr, org_id, dev_eui, nwk_s_key, app_s_key, f_cnt_up, f_cnt_down, created_at_ms)
     VALUES ($1, $2, $3, $4, $5, $6, 0, $7)
     ON CONFLICT (dev_addr) DO UPDATE SET org_id = EXCLUDED.org_id, dev_eui = EXCLUDED.dev_eui, nwk_s_key = EXCLUDED.nwk_s_key,
       app_s_key = EXCLUDED.app_s_key, f_cnt_up = EXCLUDED.f_cnt_up, f_cnt_down = 0, created_at_ms = EXCLUDED.created_at_ms`,
    [d.devAddr.toLowerCase(), orgId, d.devEui?.toLowerCase() ?? null, d.nwkSKey.toLowerCase(), d.appSKey.toLowerCase(), d.fCntUp ?? 0, nowMs],
  );
}

export async function listOrgs(q: SqlQuery, orgId?: string): Promise<OrgSummary[]> {
  const where = orgId === undefined ? '' : 'WHERE org_id = $1';
  const args = orgId === undefined ? [] : [orgId];
  const orgs = await q.query<{ org_id: string; name: string; dc: string }>(`SELECT org_id, name, dc_balance::text AS dc FROM router_orgs ${where} ORDER BY org_id`, args);
  const ranges = await q.query<{ org_id: string; s: number; e: number }>(`SELECT org_id, start_addr AS s, end_addr AS e FROM router_devaddr_ranges ${where} ORDER BY start_addr`, args);
  const otaa = await q.query<{ org_id: string; dev_eui: string; join_eui: string }>(`SELECT org_id, dev_eui, join_eui FROM router_devices ${where} ORDER BY dev_eui`, args);
  const sessions = await q.query<{ org_id: string; dev_addr: string; dev_eui: string | null }>(`SELECT org_id, dev_addr, dev_eui FROM router_sessions ${where} ORDER BY dev_addr`, args);
  return orgs.rows.map((o) => {
    const joined = new Map(sessions.rows.filter((s) => s.org_id === o.org_id && s.dev_eui).map((s) => [s.dev_eui!, s.dev_addr]));
    const otaaEuis = new Set(otaa.rows.filter((d) => d.org_id === o.org_id).map((d) => d.dev_eui));
    return {
      orgId: o.org_id,
      name: o.name,
      dcBalance: o.dc,
      devAddrRanges: ranges.rows.filter((r) => r.org_id === o.org_id).map((r) => ({ start: hex32(Number(r.s)), end: hex32(Number(r.e)) })),
      devices: [
        ...otaa.rows
          .filter((d) => d.org_id === o.org_id)
          .map((d) => ({ devEui: d.dev_eui, joinEui: d.join_eui, devAddr: joined.get(d.dev_eui) ?? null, activation: 'otaa' as const })),
        ...sessions.rows
          .filter((s) => s.org_id === o.org_id && !(s.dev_eui && otaaEuis.has(s.dev_eui)))
          .map((s) => ({ devEui: s.dev_eui, joinEui: null, devAddr: s.dev_addr, activation: 'abp' as const })),
      ],
    };
  });
}

/** Whether the organization exists. */
export async function orgExists(q: SqlQuery, orgId: string): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM router_orgs WHERE org_id = $1', [orgId]);
  return r.rows.length > 0;
}

/** A new organization with its DevAddr ranges (`[start, end]` as 32-bit numbers); the caller checked overlaps. */
export async function insertOrg(q: SqlQuery, o: { orgId: string; name: string; dcBalance: string; nowMs: number; ranges: readonly [number, number][] }): Promise<void> {
  await q.query('INSERT INTO router_orgs (org_id, name, dc_balance, created_at_ms) VALUES ($1, $2, $3, $4)', [o.orgId, o.name, o.dcBalance, o.nowMs]);
  for (const [s, e] of o.ranges) await q.query('INSERT INTO router_devaddr_ranges (org_id, start_addr, end_addr) VALUES ($1, $2, $3)', [o.orgId, s, e]);
}

/** An organization's DevAddr ranges as `[start, end]`, by start. */
export async function orgRanges(q: SqlQuery, orgId: string): Promise<[number, number][]> {
  const r = await q.query<{ s: number; e: number }>('SELECT start_addr AS s, end_addr AS e FROM router_devaddr_ranges WHERE org_id = $1 ORDER BY start_addr', [orgId]);
  return r.rows.map((x) => [Number(x.s), Number(x.e)]);
}

/**
 * Add `dcAdded` to the balance unless the result would pass `maxDc`, and record the burn, in the caller's
 * transaction. Returns the new balance, or null when the organization is unknown or the cap was hit.
 */
export async function creditDc(q: SqlQuery, b: { orgId: string; dcAdded: bigint; maxDc: bigint; hntBones: string; hntPrice: number | string; nowMs: number }): Promise<string | null> {
  const u = await q.query<{ dc: string }>('UPDATE router_orgs SET dc_balance = dc_balance + $2 WHERE org_id = $1 AND dc_balance + $2 <= $3 RETURNING dc_balance::text AS dc', [b.orgId, b.dcAdded.toString(), b.maxDc.toString()]);
  if (u.rows.length === 0) return null;
  await q.query('INSERT INTO router_dc_burns (org_id, hnt_bones, hnt_price, dc_added, at_ms) VALUES ($1, $2, $3, $4, $5)', [
    b.orgId, b.hntBones, b.hntPrice, b.dcAdded.toString(), b.nowMs,
  ]);
  return u.rows[0].dc;
}

/** An OTAA device's organization and keys, or null. */
export async function findOtaaDevice(q: SqlQuery, devEui: string): Promise<{ orgId: string; joinEui: string; appKey: string } | null> {
  const r = await q.query<{ org_id: string; join_eui: string; app_key: string }>('SELECT org_id, join_eui, app_key FROM router_devices WHERE dev_eui = $1', [devEui]);
  const d = r.rows[0];
  return d ? { orgId: d.org_id, joinEui: d.join_eui, appKey: d.app_key } : null;
}

/** Remember a JoinRequest's DevNonce; false when the device used it before (a replay). */
export async function claimDevNonce(q: SqlQuery, devEui: string, devNonce: number): Promise<boolean> {
  const fresh = await q.query('INSERT INTO router_dev_nonces (dev_eui, dev_nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING dev_eui', [devEui, devNonce]);
  return fresh.rows.length > 0;
}

/** The device's next JoinNonce: a per-device counter (LoRaWAN 1.0.4 §6.2.3; 1.0.2 allowed any unused nonce), 24 bits. */
export async function nextJoinNonce(q: SqlQuery, devEui: string): Promise<number> {
  const n = await q.query<{ join_nonce: number }>(
    'UPDATE router_devices SET join_nonce = (join_nonce + 1) % 16777216 WHERE dev_eui = $1 RETURNING join_nonce',
    [devEui],
  );
  return Number(n.rows[0].join_nonce);
}

/** A join replaces the device's session: drop the old one. */
export async function deleteSessionsOf(q: SqlQuery, devEui: string): Promise<void> {
  await q.query('DELETE FROM router_sessions WHERE dev_eui = $1', [devEui]);
}

/** Lowest DevAddr of the organization's ranges not held by one of its sessions, or null when all are. */
export async function allocateDevAddr(q: SqlQuery, orgId: string): Promise<string | null> {
  const ranges = await q.query<{ s: number; e: number }>('SELECT start_addr AS s, end_addr AS e FROM router_devaddr_ranges WHERE org_id = $1 ORDER BY start_addr', [orgId]);
  const used = new Set((await q.query<{ dev_addr: string }>('SELECT dev_addr FROM router_sessions WHERE org_id = $1', [orgId])).rows.map((r) => r.dev_addr));
  for (const r of ranges.rows) {
    for (let a = Number(r.s); a <= Number(r.e) && a <= Number(r.s) + used.size; a++) {
      if (!used.has(hex32(a))) return hex32(a);
    }
  }
  return null;
}

/** The session a join created (frame counters from 0). */
export async function insertJoinedSession(q: SqlQuery, s: { devAddr: string; orgId: string; devEui: string; nwkSKey: string; appSKey: string; nowMs: number }): Promise<void> {
  await q.query(
    `INSERT INTO router_sessions (dev_addr, org_id, dev_eui, nwk_s_key, app_s_key, f_cnt_up, f_cnt_down, created_at_ms)
     VALUES ($1, $2, $3, $4, $5, 0, 0, $6)`,
    [s.devAddr, s.orgId, s.devEui, s.nwkSKey, s.appSKey, s.nowMs],
  );
}

export interface SessionRow {
  devAddr: string;
  orgId: string;
  devEui: string | null;
  nwkSKey: string;
  appSKey: string;
  /** Next expected uplink frame counter. */
  fCntUp: number;
  fCntDown: number;
}

/** The sessions of these DevAddrs, locked for the caller's transaction (in DevAddr order: no deadlock between processes). */
export async function lockSessions(q: SqlQuery, devAddrs: readonly string[]): Promise<SessionRow[]> {
  const rows = await q.query<{ dev_addr: string; org_id: string; dev_eui: string | null; nwk_s_key: string; app_s_key: string; f_cnt_up: number; f_cnt_down: number }>(
    'SELECT dev_addr, org_id, dev_eui, nwk_s_key, app_s_key, f_cnt_up, f_cnt_down FROM router_sessions WHERE dev_addr = ANY($1::text[]) ORDER BY dev_addr FOR UPDATE',
    [devAddrs],
  );
  return rows.rows.map((s) => ({ devAddr: s.dev_addr, orgId: s.org_id, devEui: s.dev_eui, nwkSKey: s.nwk_s_key, appSKey: s.app_s_key, fCntUp: Number(s.f_cnt_up), fCntDown: Number(s.f_cnt_down) }));
}

/** These organizations' DC balances, locked for the caller's transaction (in id order). */
export async function lockBalances(q: SqlQuery, orgIds: readonly string[]): Promise<Map<string, bigint>> {
  const bal = await q.query<{ org_id: string; dc: string }>('SELECT org_id, dc_balance::text AS dc FROM router_orgs WHERE org_id = ANY($1::text[]) ORDER BY org_id FOR UPDATE', [orgIds]);
  return new Map(bal.rows.map((b) => [b.org_id, BigInt(b.dc)]));
}

/** One bought packet (`router_packets`). */
export interface BoughtPacket {
  packetHash: string;
  orgId: string;
  devAddr: string;
  fCnt: number;
  payloadSize: number;
  dcCharged: number;
  receivedAtMs: number;
}

/** One hotspot's DC share of a bought packet (`router_dc_shares`). */
export interface DcShare {
  hotspot: string;
  dcs: number;
  receivedAtMs: number;
  packetHash: string;
}

/**
 * What a batch of data uplinks bought, in the caller's transaction (the one that locked the rows): the
 * new balances and frame counters, the packets and the hotspots' DC shares — one statement each. A
 * packet or share already stored (the same hash) is kept once. A DC share for an epoch already paid (the
 * rewarder waits for the router's horizon, so only a fault gets here) moves to the next unpaid epoch
 * (start ≤ received_at_ms < end: the last paid end), counted through `onLate`, never lost.
 */
export async function recordPurchases(
  q: SqlQuery,
  p: { balances: ReadonlyMap<string, bigint>; counters: ReadonlyMap<string, { fCntUp: number; fCntDown: number }>; packets: readonly BoughtPacket[]; shares: readonly DcShare[] },
  onLate?: (shares: number) => void,
): Promise<void> {
  if (p.balances.size === 0) return;
  const ids = [...p.balances.keys()];
  await q.query(
    'UPDATE router_orgs o SET dc_balance = v.bal FROM (SELECT unnest($1::text[]) AS id, unnest($2::int8[]) AS bal) v WHERE o.org_id = v.id',
    [ids, ids.map((id) => p.balances.get(id)!.toString())],
  );
  const as = [...p.counters.keys()];
  await q.query(
    `UPDATE router_sessions s SET f_cnt_up = v.up, f_cnt_down = v.down
     FROM (SELECT unnest($1::text[]) AS a, unnest($2::int8[]) AS up, unnest($3::int8[]) AS down) v WHERE s.dev_addr = v.a`,
    [as, as.map((a) => p.counters.get(a)!.fCntUp), as.map((a) => p.counters.get(a)!.fCntDown)],
  );
  const pk = p.packets;
  await q.query(
    `INSERT INTO router_packets (packet_hash, org_id, dev_addr, f_cnt, payload_size, dc_charged, received_at_ms)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int4[], $6::int8[], $7::int8[]) ON CONFLICT (packet_hash) DO NOTHING`,
    [pk.map((x) => x.packetHash), pk.map((x) => x.orgId), pk.map((x) => x.devAddr), pk.map((x) => x.fCnt), pk.map((x) => x.payloadSize), pk.map((x) => x.dcCharged), pk.map((x) => x.receivedAtMs)],
  );
  let sh = p.shares;
  const paidEndS = await lastPaidEndS(q);
  if (paidEndS !== null) {
    const paidEndMs = paidEndS * 1000;
    const late = sh.filter((x) => x.receivedAtMs < paidEndMs).length;
    if (late > 0) {
      sh = sh.map((x) => (x.receivedAtMs < paidEndMs ? { ...x, receivedAtMs: paidEndMs } : x));
      onLate?.(late);
    }
  }
  await q.query(
    `INSERT INTO router_dc_shares (hotspot, dcs, received_at_ms, packet_hash)
     SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::text[]) ON CONFLICT (packet_hash, hotspot) DO NOTHING`,
    [sh.map((x) => x.hotspot), sh.map((x) => x.dcs), sh.map((x) => x.receivedAtMs), sh.map((x) => x.packetHash)],
  );
}

/** DC earned per hotspot for uplinks received in [startMs, endMs), by hotspot (the rewarder's data-transfer shares). */
export async function dcSharesBetween(q: SqlQuery, startMs: number, endMs: number): Promise<Map<string, bigint>> {
  const r = await q.query<{ hotspot: string; dcs: string }>(
    'SELECT hotspot, SUM(dcs)::text AS dcs FROM router_dc_shares WHERE received_at_ms >= $1 AND received_at_ms < $2 GROUP BY hotspot ORDER BY hotspot',
    [startMs, endMs],
  );
  return new Map(r.rows.map((x) => [x.hotspot, BigInt(x.dcs)]));
}

/** DC charged for every packet ever bought. */
export async function dcSpentTotal(q: SqlQuery): Promise<bigint> {
  const r = await q.query<{ dc: string }>('SELECT COALESCE(SUM(dc_charged), 0)::text AS dc FROM router_packets');
  return BigInt(r.rows[0].dc);
}

/**
 * The router owner's horizon, shared with the other oracle processes (`meta.router_settled_ms`): every
 * DC share of an uplink copy received before it is stored. Null when no owner recorded one.
 */
export async function readRouterSettledMs(q: SqlQuery): Promise<number | null> {
  const { rows } = await q.query<{ value: string }>("SELECT value FROM meta WHERE key = 'router_settled_ms'");
  return rows.length ? Number(rows[0].value) : null;
}

/** Record the router owner's horizon (each lease check). */
export async function writeRouterSettledMs(q: SqlQuery, ms: number): Promise<void> {
  await q.query(
    "INSERT INTO meta (key, value) VALUES ('router_settled_ms', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
    [String(ms)],
  );
}
