/**
 * What the URL keeps (issue 8: centre, zoom and selection), plus the view options a link should carry.
 * Query parameters: `lng`, `lat`, `z`, `hotspot` (address) or `hex` (H3 cell), `metric`, `theme`,
 * `epoch`, `style` (a user basemap style URL → online vector tiles). Pure: strings in, strings out.
 */
import type { MetricId } from './style/metrics.ts';
import { METRICS } from './style/metrics.ts';

export interface UrlState {
  center?: { lng: number; lat: number };
  zoom?: number;
  hotspot?: string;
  hex?: string;
  metric?: MetricId;
  theme?: 'light' | 'dark';
  epoch?: number;
  style?: string;
}

const finite = (s: string | null): number | undefined => {
  if (s === null || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

export function parseUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const out: UrlState = {};
  const lng = finite(q.get('lng'));
  const lat = finite(q.get('lat'));
  if (lng !== undefined && lat !== undefined && Math.abs(lng) <= 180 && Math.abs(lat) <= 85.06) out.center = { lng, lat };
  const z = finite(q.get('z'));
  if (z !== undefined && z >= 0 && z <= 24) out.zoom = z;
  const hotspot = q.get('hotspot');
  if (hotspot && /^[1-9A-HJ-NP-Za-km-z]{20,60}$/.test(hotspot)) out.hotspot = hotspot;
  const hex = q.get('hex');
  if (hex && /^[0-9a-f]{15}$/.test(hex)) out.hex = hex;
  const metric = q.get('metric');
  if (metric && METRICS.some((m) => m.id === metric)) out.metric = metric as MetricId;
  const theme = q.get('theme');
  if (theme === 'light' || theme === 'dark') out.theme = theme;
  const epoch = finite(q.get('epoch'));
  if (epoch !== undefined && Number.isInteger(epoch) && epoch >= 0) out.epoch = epoch;
  const style = q.get('style');
  if (style && /^https?:\/\//.test(style)) out.style = style;
  return out;
}

/** Coordinates keep 5 decimals (≈ 1 m), zoom 2: enough to restore the view, short enough to share. */
export function formatUrlState(s: UrlState): string {
  const q = new URLSearchParams();
  if (s.center) {
    q.set('lng', s.center.lng.toFixed(5));
    q.set('lat', s.center.lat.toFixed(5));
  }
  if (s.zoom !== undefined) q.set('z', s.zoom.toFixed(2));
  if (s.hotspot) q.set('hotspot', s.hotspot);
  else if (s.hex) q.set('hex', s.hex);
  if (s.metric) q.set('metric', s.metric);
  if (s.theme) q.set('theme', s.theme);
  if (s.epoch !== undefined) q.set('epoch', String(s.epoch));
  if (s.style) q.set('style', s.style);
  const str = q.toString();
  return str ? `?${str}` : '';
}
