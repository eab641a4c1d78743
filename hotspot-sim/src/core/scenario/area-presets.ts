/**
 * Named areas of a few real places (bounding boxes read off OpenStreetMap), each with the region and
 * propagation preset that suit it (radio.md §3.4: dense city → urban, suburb → suburban, farmland → rural).
 */
export interface AreaPreset {
  name: string;
  description: string;
  /** [west, south, east, north], degrees. */
  bbox: [number, number, number, number];
  region: string;
  propagation: string;
}

export const AREA_PRESETS: Readonly<Record<string, AreaPreset>> = Object.freeze({
  'berlin-mitte': { name: 'berlin-mitte', description: 'Berlin Mitte, dense European city centre', bbox: [13.365, 52.505, 13.43, 52.54], region: 'EU868', propagation: 'urban' },
  'san-francisco': { name: 'san-francisco', description: 'San Francisco, dense US city', bbox: [-122.515, 37.708, -122.357, 37.81], region: 'US915', propagation: 'urban' },
  'manhattan': { name: 'manhattan', description: 'Lower and Midtown Manhattan, very dense', bbox: [-74.02, 40.70, -73.94, 40.79], region: 'US915', propagation: 'urban-dense' },
  'palo-alto': { name: 'palo-alto', description: 'Palo Alto, US suburb', bbox: [-122.19, 37.39, -122.09, 37.46], region: 'US915', propagation: 'suburban' },
  'berlin-zehlendorf': { name: 'berlin-zehlendorf', description: 'Berlin Zehlendorf, European suburb', bbox: [13.2, 52.41, 13.3, 52.46], region: 'EU868', propagation: 'suburban' },
  'iowa-farmland': { name: 'iowa-farmland', description: 'Farmland north of Ames, Iowa', bbox: [-93.75, 42.05, -93.45, 42.25], region: 'US915', propagation: 'rural' },
  'greater-berlin': { name: 'greater-berlin', description: 'Berlin city state, for large fleets', bbox: [13.09, 52.34, 13.76, 52.67], region: 'EU868', propagation: 'urban' },
  'california-bay-area': { name: 'california-bay-area', description: 'San Francisco Bay Area, for very large fleets', bbox: [-122.55, 37.2, -121.75, 38.0], region: 'US915', propagation: 'suburban' },
});

export const AREA_PRESET_NAMES = Object.keys(AREA_PRESETS);
