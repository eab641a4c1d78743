/**
 * GWMP v2: the Semtech UDP packet forwarder protocol (Semtech `packet_forwarder` PROTOCOL.TXT, protocol
 * version 2; ../shared/specs/radio.md §5.1b). Pure encode and strict decode, shared by the gateway bridge
 * (server side, `hotspot-sim gateway`) and the test packet forwarder (gateway side).
 *
 * Every datagram starts `[0] version = 2, [1..2] token, [3] identifier`:
 *
 * | id | name      | direction        | rest                                                   |
 * |----|-----------|------------------|--------------------------------------------------------|
 * | 0  | PUSH_DATA | gateway → server | [4..11] gateway EUI, [12..] JSON {rxpk?: [...], stat?}  |
 * | 1  | PUSH_ACK  | server → gateway | nothing                                                |
 * | 2  | PULL_DATA | gateway → server | [4..11] gateway EUI                                    |
 * | 3  | PULL_RESP | server → gateway | [4..] JSON {txpk: {...}}                               |
 * | 4  | PULL_ACK  | server → gateway | nothing                                                |
 * | 5  | TX_ACK    | gateway → server | [4..11] gateway EUI, [12..] optional JSON {txpk_ack}   |
 *
 * The token is the two bytes [1] (high) and [2] (low) as one number 0..65535 (the forwarder writes
 * `token_h`, `token_l` in that order). Invalid input is a result ({@link GwmpDecodeError}), never a throw.
 */

export const GWMP_VERSION = 2;

export const GWMP_IDENTIFIERS = { PUSH_DATA: 0x00, PUSH_ACK: 0x01, PULL_DATA: 0x02, PULL_RESP: 0x03, PULL_ACK: 0x04, TX_ACK: 0x05 } as const;
export type GwmpType = keyof typeof GWMP_IDENTIFIERS;
const TYPE_OF_ID: readonly GwmpType[] = ['PUSH_DATA', 'PUSH_ACK', 'PULL_DATA', 'PULL_RESP', 'PULL_ACK', 'TX_ACK'];

/** TX_ACK `txpk_ack.error` values (PROTOCOL.TXT §6: "NONE" means the packet was programmed for emission). */
export const TX_ACK_ERRORS = ['NONE', 'TOO_LATE', 'TOO_EARLY', 'COLLISION_PACKET', 'COLLISION_BEACON', 'TX_FREQ', 'TX_POWER', 'GPS_UNLOCKED'] as const;
export type TxAckError = (typeof TX_ACK_ERRORS)[number];

/** One received packet (PROTOCOL.TXT §4 `rxpk`). */
export interface Rxpk {
  /** UTC time of the reception, ISO 8601 (optional: only with a GPS or a synchronised clock). */
  time?: string;
  /** Concentrator counter at the "RX finished" event, µs, unsigned 32 bit (wraps). */
  tmst: number;
  chan?: number;
  rfch?: number;
  /** CRC status: 1 OK, −1 failed, 0 no CRC. */
  stat: 1 | -1 | 0;
  /** Centre frequency, MHz. */
  freq: number;
  modu: 'LORA' | 'FSK';
  /** LoRa data rate "SF7BW125"; FSK: bits per second (number). */
  datr: string | number;
  /** LoRa coding rate "4/5". */
  codr?: string;
  rssi: number;
  /** LoRa SNR, dB. */
  lsnr?: number;
  size: number;
  /** PHY payload, base64. */
  data: string;
}

/** Gateway status (PROTOCOL.TXT §4 `stat`). */
export interface Stat {
  time?: string;
  lati?: number;
  long?: number;
  alti?: number;
  rxnb?: number;
  rxok?: number;
  rxfw?: number;
  ackr?: number;
  dwnb?: number;
  txnb?: number;
}

/** One packet to send (PROTOCOL.TXT §6 `txpk`). */
export interface Txpk {
  /** Send immediately (tmst ignored). */
  imme?: boolean;
  /** Send when the concentrator counter reaches this value, µs. */
  tmst?: number;
  /** Centre frequency, MHz. */
  freq: number;
  rfch: number;
  /** TX output power, dBm (conducted). */
  powe?: number;
  modu: 'LORA' | 'FSK';
  datr: string | number;
  codr?: string;
  /** Invert the IQ polarity (LoRaWAN downlinks: true). */
  ipol?: boolean;
  /** Preamble length, symbols. */
  prea?: number;
  size: number;
  data: string;
  /** Disable the physical-layer CRC. */
  ncrc?: boolean;
}

export interface PushDataPayload {
  rxpk?: Rxpk[];
  stat?: Stat;
}

export interface TxAckPayload {
  txpk_ack: { error?: TxAckError; warn?: string; value?: number };
}

export type GwmpPacket =
  | { type: 'PUSH_DATA'; token: number; gatewayEui: string; payload: PushDataPayload }
  | { type: 'PUSH_ACK'; token: number }
  | { type: 'PULL_DATA'; token: number; gatewayEui: string }
  | { type: 'PULL_RESP'; token: number; payload: { txpk: Txpk } }
  | { type: 'PULL_ACK'; token: number }
  | { type: 'TX_ACK'; token: number; gatewayEui: string; payload: TxAckPayload | null };

/** Why a datagram was refused; the counters of both sides are keyed by these. */
export type GwmpDropReason = 'truncated' | 'wrong-version' | 'unknown-identifier' | 'bad-json' | 'bad-payload';
export const GWMP_DROP_REASONS: readonly GwmpDropReason[] = ['bad-json', 'bad-payload', 'truncated', 'unknown-identifier', 'wrong-version'];

export interface GwmpDecodeError {
  reason: GwmpDropReason;
  message: string;
}

export type GwmpDecodeResult = { ok: true; packet: GwmpPacket } | { ok: false; error: GwmpDecodeError };

const HEADER_BYTES = 4;
const EUI_BYTES = 8;

// --- encode -----------------------------------------------------------------------------------------

/** Fixed key orders (PROTOCOL.TXT field order), so the same packet always gives the same bytes. */
const RXPK_KEYS = ['time', 'tmst', 'chan', 'rfch', 'stat', 'freq', 'modu', 'datr', 'codr', 'rssi', 'lsnr', 'size', 'data'] as const;
const STAT_KEYS = ['time', 'lati', 'long', 'alti', 'rxnb', 'rxok', 'rxfw', 'ackr', 'dwnb', 'txnb'] as const;
const TXPK_KEYS = ['imme', 'tmst', 'freq', 'rfch', 'powe', 'modu', 'datr', 'codr', 'ipol', 'prea', 'size', 'data', 'ncrc'] as const;

function ordered(obj: object, keys: readonly string[]): Record<string, unknown> {
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

function euiBytes(eui: string): Buffer {
  if (!/^[0-9a-fA-F]{16}$/.test(eui)) throw new RangeError(`gateway EUI must be 16 hex characters, got "${eui}"`);
  return Buffer.from(eui, 'hex');
}

function header(token: number, type: GwmpType): Buffer {
  if (!Number.isInteger(token) || token < 0 || token > 0xffff) throw new RangeError(`GWMP token must be 0..65535, got ${token}`);
  return Buffer.from([GWMP_VERSION, token >>> 8, token & 0xff, GWMP_IDENTIFIERS[type]]);
}

/** The datagram of one packet. Throws RangeError only for a caller bug (bad token or EUI). */
export function encodeGwmp(p: GwmpPacket): Buffer {
  const h = header(p.token, p.type);
  switch (p.type) {
    case 'PUSH_ACK':
    case 'PULL_ACK':
      return h;
    case 'PULL_DATA':
      return Buffer.concat([h, euiBytes(p.gatewayEui)]);
    case 'PUSH_DATA': {
      const body: Record<string, unknown> = {};
      if (p.payload.rxpk) body.rxpk = p.payload.rxpk.map((r) => ordered(r, RXPK_KEYS));
      if (p.payload.stat) body.stat = ordered(p.payload.stat, STAT_KEYS);
      return Buffer.concat([h, euiBytes(p.gatewayEui), Buffer.from(JSON.stringify(body), 'utf8')]);
    }
    case 'PULL_RESP':
      return Buffer.concat([h, Buffer.from(JSON.stringify({ txpk: ordered(p.payload.txpk, TXPK_KEYS) }), 'utf8')]);
    case 'TX_ACK':
      return Buffer.concat([h, euiBytes(p.gatewayEui), p.payload ? Buffer.from(JSON.stringify({ txpk_ack: ordered(p.payload.txpk_ack, ['error', 'warn', 'value']) }), 'utf8') : Buffer.alloc(0)]);
  }
}

// --- decode -----------------------------------------------------------------------------------------

const fail = (reason: GwmpDropReason, message: string): GwmpDecodeResult => ({ ok: false, error: { reason, message } });

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Field problems of one rxpk, or null when it is well formed. */
function rxpkProblem(r: unknown): string | null {
  if (!isObj(r)) return 'rxpk item is not an object';
  if (!isNum(r.tmst) || !Number.isInteger(r.tmst) || r.tmst < 0 || r.tmst > 0xffffffff) return 'rxpk.tmst must be an unsigned 32-bit integer';
  if (r.stat !== 1 && r.stat !== -1 && r.stat !== 0) return 'rxpk.stat must be 1, -1 or 0';
  if (!isNum(r.freq) || r.freq <= 0) return 'rxpk.freq must be a positive number (MHz)';
  if (r.modu !== 'LORA' && r.modu !== 'FSK') return 'rxpk.modu must be "LORA" or "FSK"';
  if (r.modu === 'LORA' && (typeof r.datr !== 'string' || !parseLoraDatr(r.datr))) return 'rxpk.datr must be "SF<n>BW<kHz>"';
  if (!isNum(r.rssi)) return 'rxpk.rssi must be a number';
  if (r.lsnr !== undefined && !isNum(r.lsnr)) return 'rxpk.lsnr must be a number';
  if (typeof r.data !== 'string' || !BASE64.test(r.data) || r.data.length % 4 !== 0) return 'rxpk.data must be base64';
  if (!isNum(r.size) || r.size !== Buffer.from(r.data, 'base64').length) return 'rxpk.size must be the decoded length of data';
  if (r.time !== undefined && typeof r.time !== 'string') return 'rxpk.time must be a string';
  return null;
}

function txpkProblem(t: unknown): string | null {
  if (!isObj(t)) return 'txpk is not an object';
  if (t.imme !== undefined && typeof t.imme !== 'boolean') return 'txpk.imme must be a boolean';
  if (t.imme !== true && (!isNum(t.tmst) || !Number.isInteger(t.tmst) || t.tmst < 0 || t.tmst > 0xffffffff)) return 'txpk needs imme: true or an unsigned 32-bit tmst';
  if (!isNum(t.freq) || t.freq <= 0) return 'txpk.freq must be a positive number (MHz)';
  if (t.modu !== 'LORA' && t.modu !== 'FSK') return 'txpk.modu must be "LORA" or "FSK"';
  if (t.modu === 'LORA' && (typeof t.datr !== 'string' || !parseLoraDatr(t.datr))) return 'txpk.datr must be "SF<n>BW<kHz>"';
  if (typeof t.data !== 'string' || !BASE64.test(t.data) || t.data.length % 4 !== 0) return 'txpk.data must be base64';
  if (!isNum(t.size) || t.size !== Buffer.from(t.data, 'base64').length) return 'txpk.size must be the decoded length of data';
  return null;
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  // Some forwarders end the JSON with a NUL byte (C string); it is not part of the JSON.
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  try {
    return { ok: true, value: JSON.parse(bytes.subarray(0, end).toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** Decode one datagram, strictly: every refusal names its reason. */
export function decodeGwmp(buf: Uint8Array): GwmpDecodeResult {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < HEADER_BYTES) return fail('truncated', `datagram of ${b.length} bytes is shorter than the 4-byte header`);
  if (b[0] !== GWMP_VERSION) return fail('wrong-version', `protocol version ${b[0]}, expected ${GWMP_VERSION}`);
  const token = (b[1] << 8) | b[2];
  const type = TYPE_OF_ID[b[3]];
  if (type === undefined) return fail('unknown-identifier', `identifier 0x${b[3].toString(16).padStart(2, '0')}`);
  const eui = () => b.subarray(HEADER_BYTES, HEADER_BYTES + EUI_BYTES).toString('hex');
  switch (type) {
    case 'PUSH_ACK':
    case 'PULL_ACK':
      return { ok: true, packet: { type, token } };
    case 'PULL_DATA':
      if (b.length < HEADER_BYTES + EUI_BYTES) return fail('truncated', 'PULL_DATA without its 8-byte gateway EUI');
      return { ok: true, packet: { type, token, gatewayEui: eui() } };
    case 'PUSH_DATA': {
      if (b.length < HEADER_BYTES + EUI_BYTES) return fail('truncated', 'PUSH_DATA without its 8-byte gateway EUI');
      const j = parseJson(b.subarray(HEADER_BYTES + EUI_BYTES));
      if (!j.ok) return fail('bad-json', 'PUSH_DATA body is not JSON');
      if (!isObj(j.value)) return fail('bad-payload', 'PUSH_DATA body is not a JSON object');
      const { rxpk, stat } = j.value;
      if (rxpk !== undefined) {
        if (!Array.isArray(rxpk)) return fail('bad-payload', 'rxpk is not an array');
        for (const r of rxpk) {
          const p = rxpkProblem(r);
          if (p) return fail('bad-payload', p);
        }
      }
      if (stat !== undefined && !isObj(stat)) return fail('bad-payload', 'stat is not an object');
      return { ok: true, packet: { type, token, gatewayEui: eui(), payload: j.value as PushDataPayload } };
    }
    case 'PULL_RESP': {
      const j = parseJson(b.subarray(HEADER_BYTES));
      if (!j.ok) return fail('bad-json', 'PULL_RESP body is not JSON');
      if (!isObj(j.value)) return fail('bad-payload', 'PULL_RESP body is not a JSON object');
      const p = txpkProblem(j.value.txpk);
      if (p) return fail('bad-payload', p);
      return { ok: true, packet: { type, token, payload: j.value as { txpk: Txpk } } };
    }
    case 'TX_ACK': {
      if (b.length < HEADER_BYTES + EUI_BYTES) return fail('truncated', 'TX_ACK without its 8-byte gateway EUI');
      const rest = b.subarray(HEADER_BYTES + EUI_BYTES);
      if (rest.every((x) => x === 0)) return { ok: true, packet: { type, token, gatewayEui: eui(), payload: null } };
      const j = parseJson(rest);
      if (!j.ok) return fail('bad-json', 'TX_ACK body is not JSON');
      if (!isObj(j.value) || !isObj(j.value.txpk_ack)) return fail('bad-payload', 'TX_ACK body has no txpk_ack object');
      const err = j.value.txpk_ack.error;
      if (err !== undefined && !TX_ACK_ERRORS.includes(err as TxAckError)) return fail('bad-payload', `unknown txpk_ack.error "${String(err)}"`);
      return { ok: true, packet: { type, token, gatewayEui: eui(), payload: j.value as unknown as TxAckPayload } };
    }
  }
}

/** The error of a TX_ACK: no JSON, or no `error` key, means "NONE" (the forwarder sends a bare ack on success). */
export function txAckError(p: { payload: TxAckPayload | null }): TxAckError {
  return p.payload?.txpk_ack.error ?? 'NONE';
}

/** "SF7BW125" → { sf: 7, bandwidthHz: 125000 }; null when it is not a LoRa data rate string. */
export function parseLoraDatr(datr: string): { sf: number; bandwidthHz: number } | null {
  const m = /^SF(\d{1,2})BW(\d{2,3})$/.exec(datr);
  if (!m) return null;
  const sf = Number(m[1]);
  const bw = Number(m[2]);
  if (sf < 5 || sf > 12 || ![125, 250, 500].includes(bw)) return null;
  return { sf, bandwidthHz: bw * 1000 };
}

export function loraDatr(sf: number, bandwidthHz: number): string {
  return `SF${sf}BW${bandwidthHz / 1000}`;
}

/** Hz → MHz as the forwarder writes it (6 decimals: 868.1 MHz = 868100000 Hz). */
export const mhz = (hz: number) => Math.round(hz) / 1e6;
/** MHz → Hz, rounded to the Hz (868.1 → 868100000, not 868099999.99…). */
export const hz = (mhzValue: number) => Math.round(mhzValue * 1e6);
