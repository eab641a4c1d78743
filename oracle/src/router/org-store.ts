/**
 * SQL for organizations, DevAddr ranges, devices and sessions (tables in
 * oracle/src/store/migrations/100-router.sql). Hex ids are stored lower-case.
 */
import type { SqlQuery } from './sql.ts';

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

/** Ranges of other organizations overlapping [start, end]. */
export async function overlappingRange(q: SqlQuery, start: number, end: number): Promise<string | null> {
  const r = await q.query<{ org_id: string }>('SELECT org_id FROM router_devaddr_ranges WHERE start_addr <= $2 AND end_addr >= $1 LIMIT 1', [start, end]);
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
