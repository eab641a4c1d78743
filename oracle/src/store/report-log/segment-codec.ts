/**
 * The byte layout of a report-log segment file (docs/architecture.md "The report log"). A segment is a
 * sequence of records:
 *
 *   magic "HXR1" (4 bytes) | body length (u32 big-endian) | CRC-32 of the body (u32 big-endian) | body
 *   body = UTF-8 of  kind ("b" | "w") TAB receivedAtMs TAB hotspot TAB dataHex TAB challengeId TAB raw JSON
 *
 * The CRC (zlib's CRC-32, ISO-HDLC) catches damaged bytes; the magic lets a reader find the next record
 * after a damaged one; a record cut short at the end of a file (a crash mid-write) is "truncated".
 */
import { crc32 } from 'node:zlib';
import type { LogDamage, LoggedReport } from './report-log.ts';

const MAGIC = Buffer.from('HXR1', 'latin1');
const HEADER = 12;
/** No report comes near this (the broker bounds messages far lower); a larger length is damage. */
const MAX_BODY = 16 * 1024 * 1024;

export function encodeRecords(reports: readonly LoggedReport[]): Buffer {
  const parts: Buffer[] = [];
  for (const r of reports) {
    const body = Buffer.from(`${r.kind === 'beacon' ? 'b' : 'w'}\t${r.receivedAtMs}\t${r.hotspot}\t${r.dataHex}\t${r.challengeId ?? ''}\t${r.raw}`, 'utf8');
    const head = Buffer.allocUnsafe(HEADER);
    MAGIC.copy(head, 0);
    head.writeUInt32BE(body.length, 4);
    head.writeUInt32BE(crc32(body), 8);
    parts.push(head, body);
  }
  return Buffer.concat(parts);
}

function decodeBody(body: Buffer): LoggedReport | null {
  const s = body.toString('utf8');
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 5; i++) {
    const tab = s.indexOf('\t', at);
    if (tab < 0) return null;
    fields.push(s.slice(at, tab));
    at = tab + 1;
  }
  const [k, t, hotspot, dataHex, challengeId] = fields;
  const receivedAtMs = Number(t);
  if ((k !== 'b' && k !== 'w') || !Number.isSafeInteger(receivedAtMs)) return null;
  return { kind: k === 'b' ? 'beacon' : 'witness', receivedAtMs, hotspot, dataHex, challengeId: challengeId === '' ? null : challengeId, raw: s.slice(at) };
}

export interface DecodeResult {
  records: LoggedReport[];
  /** Bytes consumed: everything up to the end of the last complete record (or of skipped damage). */
  consumed: number;
  /** A record cut short at the end of the buffer starts here (null when the buffer ends cleanly). */
  partialAt: number | null;
  damage: LogDamage[];
}

/**
 * Decode the records of `buf`, which starts at byte `baseOffset` of file `where`. Damaged records are
 * reported and skipped (the reader resumes at the next magic whose record checks out).
 */
export function decodeRecords(buf: Buffer, where: string, baseOffset = 0): DecodeResult {
  const records: LoggedReport[] = [];
  const damage: LogDamage[] = [];
  let pos = 0;
  let partialAt: number | null = null;
  const resync = (from: number, reason: LogDamage['reason']) => {
    damage.push({ where, offset: baseOffset + pos, reason });
    const next = buf.indexOf(MAGIC, from);
    return next < 0 ? buf.length : next;
  };
  while (pos < buf.length) {
    if (buf.length - pos < HEADER) {
      if (MAGIC.subarray(0, Math.min(4, buf.length - pos)).equals(buf.subarray(pos, pos + 4))) partialAt = pos;
      else damage.push({ where, offset: baseOffset + pos, reason: 'bad_record' });
      break;
    }
    if (!buf.subarray(pos, pos + 4).equals(MAGIC)) {
      pos = resync(pos + 1, 'bad_record');
      continue;
    }
    const len = buf.readUInt32BE(pos + 4);
    if (len > MAX_BODY) {
      pos = resync(pos + 1, 'bad_record');
      continue;
    }
    if (pos + HEADER + len > buf.length) {
      partialAt = pos;
      break;
    }
    const body = buf.subarray(pos + HEADER, pos + HEADER + len);
    if (crc32(body) !== buf.readUInt32BE(pos + 8)) {
      pos = resync(pos + 1, 'bad_checksum');
      continue;
    }
    const r = decodeBody(body);
    if (!r) {
      pos = resync(pos + 1, 'bad_record');
      continue;
    }
    records.push(r);
    pos += HEADER + len;
  }
  return { records, consumed: partialAt ?? pos, partialAt, damage };
}
