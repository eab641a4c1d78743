/**
 * Register the simulated network with the oracle over its HTTP API (docs/api.md): signed onboarding
 * bodies in bulk (`POST /api/v1/hotspots/bulk`, 1000 per request) and one organization owning every
 * sensor (`POST /api/v1/orgs`, admin token), with a DevAddr range and a DC balance.
 */
import { signMessage } from '@hexium/shared/identity/index';
import type { Network } from '../core/scenario/materialize.ts';

export const SIM_DEVADDR_RANGE = { start: '48000000', end: '48ffffff' };

export async function onboardHotspots(httpUrl: string, net: Network, opts: { region: string; fleet: string | null; nowMs: number }): Promise<{ created: number; updated: number; rejected: number }> {
  const totals = { created: 0, updated: 0, rejected: 0 };
  for (let i = 0; i < net.hotspots.length; i += 1000) {
    const bodies = net.hotspots.slice(i, i + 1000).map((h) =>
      signMessage(
        {
          v: 1,
          address: h.key.address,
          location: h.location,
          gainDbi: h.gainDbi,
          elevationM: h.elevationM,
          fullHotspot: h.fullHotspot,
          region: opts.region,
          ...(opts.fleet ? { fleet: opts.fleet } : {}),
          timestampMs: opts.nowMs,
        },
        h.key,
      ),
    );
    const res = await fetch(`${httpUrl}/api/v1/hotspots/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hotspots: bodies }) });
    if (!res.ok) throw new Error(`bulk onboarding failed: HTTP ${res.status} ${await res.text()}`);
    const out = (await res.json()) as { created: number; updated: number; rejected: { index: number; code: string; message: string }[] };
    totals.created += out.created;
    totals.updated += out.updated;
    totals.rejected += out.rejected.length;
    if (out.rejected.length > 0) throw new Error(`onboarding rejected ${out.rejected.length} hotspots, first: ${out.rejected[0].code} ${out.rejected[0].message}`);
  }
  return totals;
}

export async function createSensorOrg(httpUrl: string, adminToken: string | null, net: Network, orgId: string, dcBalance = 1_000_000_000): Promise<boolean> {
  if (net.sensors.length === 0) return true;
  const devices = net.sensors.map((s) =>
    s.otaa ? { devEui: s.devEui, joinEui: s.joinEui, appKey: s.appKey } : { devAddr: s.devAddr, devEui: s.devEui, nwkSKey: s.nwkSKey, appSKey: s.appSKey },
  );
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (adminToken) headers.authorization = `Bearer ${adminToken}`;
  const first = devices.slice(0, 10_000);
  const res = await fetch(`${httpUrl}/api/v1/orgs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ orgId, name: `Simulated sensors (${orgId})`, dcBalance: String(dcBalance), devAddrRanges: [SIM_DEVADDR_RANGE], devices: first }),
  });
  if (res.status === 409) return true; // already there (re-run against a persistent oracle)
  if (res.status === 404) return false; // no packet router in this oracle
  if (!res.ok) throw new Error(`creating org ${orgId} failed: HTTP ${res.status} ${await res.text()}`);
  for (let i = 10_000; i < devices.length; i += 10_000) {
    const r = await fetch(`${httpUrl}/api/v1/orgs/${orgId}/devices`, { method: 'POST', headers, body: JSON.stringify({ devices: devices.slice(i, i + 10_000) }) });
    if (!r.ok) throw new Error(`adding devices to ${orgId} failed: HTTP ${r.status} ${await r.text()}`);
  }
  return true;
}

/**
 * Put the scenario's `deny-listed` hotspots on the oracle's deny list (`PUT /api/v1/denylist`, admin),
 * merged with what the list already holds. Returns how many were added; 0 when none are deny-listed.
 */
export async function denyListHotspots(httpUrl: string, adminToken: string | null, net: Network): Promise<number> {
  const denied = net.hotspots.filter((h) => h.role.kind === 'deny-listed').map((h) => h.key.address);
  if (denied.length === 0) return 0;
  if (!adminToken) throw new Error('the scenario has deny-listed hotspots: give the oracle admin token (--admin-token)');
  const current = await fetch(`${httpUrl}/api/v1/denylist`);
  if (!current.ok) throw new Error(`reading the deny list failed: HTTP ${current.status}`);
  const list = (await current.json()) as { tag: string; addresses: string[]; edges: [string, string][] };
  const addresses = [...new Set([...list.addresses, ...denied])];
  const res = await fetch(`${httpUrl}/api/v1/denylist`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ tag: list.tag || 'hotspot-sim', addresses, edges: list.edges }),
  });
  if (!res.ok) throw new Error(`updating the deny list failed: HTTP ${res.status} ${await res.text()}`);
  return addresses.length - list.addresses.length;
}
