/**
 * Cayenne Low Power Payload (LPP) for the simulated sensors: each item is channel(1) ‖ type(1) ‖ value
 * (big-endian). Type ids, sizes and resolutions from the Cayenne LPP specification (myDevices
 * "Cayenne Docs → LoRaWAN → Cayenne LPP", IPSO object id − 3200):
 *
 *   digital input        0   1 byte  unsigned, 1
 *   analog input         2   2 bytes signed,   0.01      (used for battery volts)
 *   temperature        103   2 bytes signed,   0.1 °C
 *   relative humidity  104   1 byte  unsigned, 0.5 %
 *   barometric pressure 115  2 bytes unsigned, 0.1 hPa
 */

export type LppType = 'digitalInput' | 'analogInput' | 'temperature' | 'humidity' | 'barometricPressure';

export interface LppItem {
  /** 0..255, identifies the sensor on the device. */
  channel: number;
  type: LppType;
  /** In the type's unit: °C, %RH, hPa, V (analog input), 0/1 (digital input). */
  value: number;
}

interface LppDef {
  id: number;
  size: 1 | 2;
  signed: boolean;
  /** value = raw × resolution */
  resolution: number;
}

export const LPP_TYPES: Record<LppType, LppDef> = {
  digitalInput: { id: 0, size: 1, signed: false, resolution: 1 },
  analogInput: { id: 2, size: 2, signed: true, resolution: 0.01 },
  temperature: { id: 103, size: 2, signed: true, resolution: 0.1 },
  humidity: { id: 104, size: 1, signed: false, resolution: 0.5 },
  barometricPressure: { id: 115, size: 2, signed: false, resolution: 0.1 },
};

const BY_ID = new Map<number, [LppType, LppDef]>(Object.entries(LPP_TYPES).map(([k, d]) => [d.id, [k as LppType, d]]));

export class LppError extends Error {
  override name = 'LppError';
}

/** Encode items in order. Values are rounded to the type's resolution; out-of-range values throw. */
export function encodeLpp(items: readonly LppItem[]): Uint8Array {
  const out: number[] = [];
  for (const it of items) {
    const def = LPP_TYPES[it.type];
    if (!def) throw new LppError(`unknown LPP type "${String(it.type)}"`);
    if (!Number.isInteger(it.channel) || it.channel < 0 || it.channel > 255) throw new LppError(`LPP channel must be 0..255, got ${it.channel}`);
    if (!Number.isFinite(it.value)) throw new LppError(`LPP ${it.type} value must be finite, got ${it.value}`);
    const raw = Math.round(it.value / def.resolution);
    const bits = 8 * def.size;
    const min = def.signed ? -(2 ** (bits - 1)) : 0;
    const max = def.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    if (raw < min || raw > max) throw new LppError(`LPP ${it.type} value ${it.value} is out of range`);
    const u = raw < 0 ? raw + 2 ** bits : raw;
    out.push(it.channel, def.id);
    if (def.size === 2) out.push((u >>> 8) & 0xff, u & 0xff);
    else out.push(u & 0xff);
  }
  return new Uint8Array(out);
}

/** Decode an LPP payload; throws LppError on an unknown type or a truncated item. */
export function decodeLpp(bytes: Uint8Array): LppItem[] {
  const items: LppItem[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (i + 2 > bytes.length) throw new LppError(`truncated LPP item at byte ${i}`);
    const channel = bytes[i];
    const entry = BY_ID.get(bytes[i + 1]);
    if (!entry) throw new LppError(`unsupported LPP type id ${bytes[i + 1]} at byte ${i + 1}`);
    const [type, def] = entry;
    if (i + 2 + def.size > bytes.length) throw new LppError(`truncated LPP ${type} at byte ${i}`);
    let raw = def.size === 2 ? (bytes[i + 2] << 8) | bytes[i + 3] : bytes[i + 2];
    if (def.signed && raw >= 2 ** (8 * def.size - 1)) raw -= 2 ** (8 * def.size);
    // Round away the binary-float noise of raw × resolution (e.g. 272 × 0.1) to the type's decimals.
    const decimals = def.resolution === 1 ? 0 : def.resolution === 0.5 ? 1 : Math.round(-Math.log10(def.resolution));
    items.push({ channel, type, value: Number((raw * def.resolution).toFixed(decimals)) });
    i += 2 + def.size;
  }
  return items;
}
