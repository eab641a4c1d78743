/**
 * Map themes. Colours are roles (what a colour means), never names; the style builder
 * (build-style.ts) and the CSS (styles.css, via the `data-theme` attribute) read the same roles.
 * Metric ramps are sequential (low → high) and stay readable on both backgrounds.
 */
export interface Theme {
  name: 'light' | 'dark';
  sea: string;
  land: string;
  coastline: string;
  /** Low → high ramp for coverage metrics (5 stops). */
  ramp: readonly [string, string, string, string, string];
  hexOutline: string;
  hexHighlight: string;
  hotspotOnline: string;
  hotspotOffline: string;
  pocValid: string;
  pocInvalid: string;
  cluster: string;
  clusterStroke: string;
  selection: string;
  live: string;
  halo: string;
}

export const LIGHT: Theme = {
  name: 'light',
  sea: '#cfe3ef',
  land: '#f6f3ec',
  coastline: '#9fb4c2',
  ramp: ['#fde8b0', '#f9b25a', '#ec6d3a', '#c2303f', '#7a1550'],
  hexOutline: '#ffffff',
  hexHighlight: '#1d4ed8',
  hotspotOnline: '#0f9d58',
  hotspotOffline: '#8a8f98',
  pocValid: '#0f9d58',
  pocInvalid: '#d93025',
  cluster: '#3b5bdb',
  clusterStroke: '#ffffff',
  selection: '#1d4ed8',
  live: '#7c3aed',
  halo: '#ffffff',
};

export const DARK: Theme = {
  name: 'dark',
  sea: '#0d1b26',
  land: '#1c2a35',
  coastline: '#34505f',
  ramp: ['#2d3f8a', '#3f7fbf', '#3fbfa8', '#b8e05a', '#fff27a'],
  hexOutline: '#0d1b26',
  hexHighlight: '#ffffff',
  hotspotOnline: '#34d399',
  hotspotOffline: '#6b7280',
  pocValid: '#34d399',
  pocInvalid: '#f87171',
  cluster: '#60a5fa',
  clusterStroke: '#0d1b26',
  selection: '#fbbf24',
  live: '#c084fc',
  halo: '#0d1b26',
};

export const THEMES = { light: LIGHT, dark: DARK } as const;
export type ThemeName = keyof typeof THEMES;
