/**
 * Parse any LoRaWAN 1.0.x PHYPayload into one flat shape ({@link ParsedFrame}); with keys, check the
 * MIC and decrypt. Layout and crypto: ../shared/specs/radio.md §4.1–§4.2. Throws {@link FrameError} on
 * bytes that cannot be a frame (wrong length for the MType, FOpts running past the MIC, MType 110,
 * major ≠ 00).
 */
import { computeDataMic, cryptFrmPayload } from './data-frame.ts';
import { FrameError, MTYPE_BY_CODE, type ParseOptions, type ParsedFrame } from './frame-types.ts';
import { bytesToHexFast, hexRange, reversed } from './hex.ts';
import { parseJoinAccept, verifyJoinRequestMic } from './join.ts';

function base(mType: ParsedFrame['mType'], dir: ParsedFrame['dir']): ParsedFrame {
  return {
    mType, dir, devAddr: '', fCnt: 0, fPort: null, fOptsHex: '', adr: false, adrAckReq: false, ack: false, fPending: false,
    classB: false, micHex: '', payloadHex: '', payloadDecrypted: false,
  };
}

const KEY_RE = /^[0-9a-fA-F]{32}$/;
const checkedKeys = new Set<string>();

function checkKey(name: string, key: string | undefined): string | undefined {
  if (key === undefined || checkedKeys.has(key)) return key;
  if (!KEY_RE.test(key)) throw new FrameError(`${name} must be 32 hex characters`);
  if (checkedKeys.size > 10_000) checkedKeys.clear();
  checkedKeys.add(key);
  return key;
}

/** Parse a PHYPayload; keys in `opts` enable the MIC check and payload decryption. */
export function parseFrame(phy: Uint8Array, opts: ParseOptions = {}): ParsedFrame {
  if (phy.length < 1) throw new FrameError('empty PHYPayload');
  const mhdr = phy[0];
  const mType = MTYPE_BY_CODE[mhdr >>> 5];
  if (mType === null) throw new FrameError('MType 110 (RFU / LoRaWAN 1.1 rejoin request) is not supported');
  if (mType === 'Proprietary') {
    const out = base(mType, null);
    out.payloadHex = bytesToHexFast(phy.subarray(1));
    return out;
  }
  if ((mhdr & 0x03) !== 0) throw new FrameError(`unsupported LoRaWAN major version ${mhdr & 0x03} (only R1 = 0)`);
  const nwkSKey = checkKey('nwkSKey', opts.nwkSKey);
  const appSKey = checkKey('appSKey', opts.appSKey);
  const appKey = checkKey('appKey', opts.appKey);
  const n = phy.length;

  if (mType === 'JoinRequest') {
    if (n !== 23) throw new FrameError(`a join request is 23 bytes, got ${n}`);
    const out = base(mType, 'up');
    out.joinEui = bytesToHexFast(reversed(phy.subarray(1, 9)));
    out.devEui = bytesToHexFast(reversed(phy.subarray(9, 17)));
    out.devNonce = phy[17] | (phy[18] << 8);
    out.micHex = bytesToHexFast(phy.subarray(19));
    if (appKey) out.micValid = verifyJoinRequestMic(phy, appKey);
    return out;
  }
  if (mType === 'JoinAccept') {
    if (n !== 17 && n !== 33) throw new FrameError(`a join accept is 17 or 33 bytes, got ${n}`);
    const out = base(mType, 'down');
    if (!appKey) {
      out.micHex = bytesToHexFast(phy.subarray(n - 4)); // still encrypted
      out.payloadHex = bytesToHexFast(phy.subarray(1, n - 4));
      return out;
    }
    const ja = parseJoinAccept(phy, appKey);
    Object.assign(out, {
      devAddr: ja.devAddr, joinNonce: ja.joinNonce, netId: ja.netId, dlSettings: ja.dlSettings, rxDelay: ja.rxDelay,
      cfListHex: ja.cfListHex, micHex: ja.micHex, micValid: ja.micValid,
    });
    return out;
  }

  // Data frame: MHDR ‖ DevAddr(4) ‖ FCtrl ‖ FCnt(2) ‖ FOpts ‖ [FPort ‖ FRMPayload] ‖ MIC(4)
  if (n < 12) throw new FrameError(`a data frame is at least 12 bytes, got ${n}`);
  const down = mType === 'UnconfirmedDataDown' || mType === 'ConfirmedDataDown';
  const out = base(mType, down ? 'down' : 'up');
  const devAddr = (phy[1] | (phy[2] << 8) | (phy[3] << 16) | (phy[4] << 24)) >>> 0;
  const fCtrl = phy[5];
  const fOptsLen = fCtrl & 0x0f;
  const fhdrEnd = 8 + fOptsLen;
  if (fhdrEnd > n - 4) throw new FrameError(`FOptsLen ${fOptsLen} runs past the MIC (frame of ${n} bytes)`);
  out.devAddr = devAddr.toString(16).padStart(8, '0');
  out.fCnt = phy[6] | (phy[7] << 8);
  out.adr = (fCtrl & 0x80) !== 0;
  out.ack = (fCtrl & 0x20) !== 0;
  if (down) out.fPending = (fCtrl & 0x10) !== 0;
  else {
    out.adrAckReq = (fCtrl & 0x40) !== 0;
    out.classB = (fCtrl & 0x10) !== 0;
  }
  out.fOptsHex = hexRange(phy, 8, fhdrEnd);
  out.micHex = hexRange(phy, n - 4, n);
  let fCnt32 = out.fCnt;
  if (opts.fCntMsb !== undefined) {
    if (!Number.isInteger(opts.fCntMsb) || opts.fCntMsb < 0 || opts.fCntMsb > 0xffff) throw new FrameError(`fCntMsb must be 0..65535, got ${opts.fCntMsb}`);
    fCnt32 = (opts.fCntMsb * 0x10000 + out.fCnt) >>> 0;
    out.fCnt32 = fCnt32;
  }
  const dir = down ? 1 : 0;
  if (nwkSKey) {
    const mic = ((phy[n - 4] << 24) | (phy[n - 3] << 16) | (phy[n - 2] << 8) | phy[n - 1]) >>> 0;
    out.micValid = computeDataMic(phy, nwkSKey, dir, devAddr, fCnt32) === mic;
  }
  if (fhdrEnd < n - 4) {
    const fPort = phy[fhdrEnd];
    out.fPort = fPort;
    const start = fhdrEnd + 1;
    const end = n - 4;
    const key = fPort === 0 ? nwkSKey : appSKey;
    if (key && end > start) {
      const buf = phy.slice(start, end);
      cryptFrmPayload(key, dir, devAddr, fCnt32, buf, 0, buf.length);
      out.payloadHex = bytesToHexFast(buf);
      out.payloadDecrypted = true;
    } else {
      out.payloadHex = hexRange(phy, start, end);
      out.payloadDecrypted = end === start && key !== undefined;
    }
  }
  return out;
}
