/**
 * The map's HTTP client for the oracle API (docs/api.md). Same origin by default (the oracle serves the
 * map at `/`; the Vite dev server proxies /api), so the CSP's `connect-src 'self'` holds.
 */
import type {
  ChallengeAccepted, CoverageResponse, EpochDetail, EpochSummary, HotspotCollection, HotspotDetail, NetworkSummary, PocResult,
} from './types.ts';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class ApiClient {
  constructor(readonly base = '/api/v1') {}

  private async request<T>(path: string, init?: RequestInit & { signal?: AbortSignal }): Promise<T> {
    const res = await fetch(this.base + path, { headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) }, ...init });
    if (!res.ok) {
      let code = `HTTP_${res.status}`;
      let message = res.statusText;
      try {
        const body = (await res.json()) as { code?: string; message?: string };
        code = body.code ?? code;
        message = body.message ?? message;
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, code, message);
    }
    return (await res.json()) as T;
  }

  network(): Promise<NetworkSummary> {
    return this.request('/network');
  }

  hotspots(): Promise<HotspotCollection> {
    return this.request('/hotspots');
  }

  hotspot(address: string): Promise<HotspotDetail> {
    return this.request(`/hotspots/${encodeURIComponent(address)}`);
  }

  coverage(res: number, bbox: readonly [number, number, number, number], signal?: AbortSignal): Promise<CoverageResponse> {
    const b = bbox.map((v) => v.toFixed(5)).join(',');
    return this.request(`/coverage?res=${res}&bbox=${b}`, { signal });
  }

  rounds(query: { hotspot?: string; limit?: number } = {}): Promise<{ rounds: PocResult[] }> {
    const q = new URLSearchParams();
    if (query.hotspot) q.set('hotspot', query.hotspot);
    if (query.limit) q.set('limit', String(query.limit));
    const s = q.toString();
    return this.request(`/rounds${s ? `?${s}` : ''}`);
  }

  epochs(): Promise<{ epochs: EpochSummary[] }> {
    return this.request('/epochs');
  }

  epoch(n: number): Promise<EpochDetail> {
    return this.request(`/epochs/${n}`);
  }

  manifestUrl(n: number): string {
    return `${this.base}/epochs/${n}/manifest`;
  }

  async manifestVerified(n: number): Promise<boolean | null> {
    const res = await fetch(this.manifestUrl(n), { method: 'GET' });
    if (!res.ok) return null;
    const h = res.headers.get('x-hexium-manifest-verified');
    return h === null ? null : h === 'true';
  }

  challenge(hotspot: string): Promise<ChallengeAccepted> {
    return this.request('/challenges', { method: 'POST', body: JSON.stringify({ hotspot }) });
  }

  eventsUrl(): string {
    return `${this.base}/events`;
  }
}
