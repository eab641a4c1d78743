/**
 * LoRaWAN 1.0.x frame vocabulary: message types, the parsed-frame shape, and the error thrown on bytes
 * that are not a frame. Layout: ../shared/specs/radio.md §4.1 (LoRaWAN 1.0.4 §4, lora-packet README,
 * ChirpStack `lrwn/src/{mhdr,fhdr,phy_payload}.rs`).
 */

/** MType names as LoRaWAN writes them (MHDR bits 7..5). */
export type MType =
  | 'JoinRequest'
  | 'JoinAccept'
  | 'UnconfirmedDataUp'
  | 'UnconfirmedDataDown'
  | 'ConfirmedDataUp'
  | 'ConfirmedDataDown'
  | 'Proprietary';

/** MType by its 3-bit code; 0b110 (RFU in 1.0.x, RejoinRequest in 1.1) is not supported → null. */
export const MTYPE_BY_CODE: readonly (MType | null)[] = [
  'JoinRequest', 'JoinAccept', 'UnconfirmedDataUp', 'UnconfirmedDataDown', 'ConfirmedDataUp', 'ConfirmedDataDown', null, 'Proprietary',
];

/** MHDR byte for an MType, LoRaWAN R1 major (00). */
export const MHDR: Record<MType, number> = {
  JoinRequest: 0x00,
  JoinAccept: 0x20,
  UnconfirmedDataUp: 0x40,
  UnconfirmedDataDown: 0x60,
  ConfirmedDataUp: 0x80,
  ConfirmedDataDown: 0xa0,
  Proprietary: 0xe0,
};

/** Bytes that are not a LoRaWAN 1.0.x frame (too short, wrong lengths, unsupported MType/major). */
export class FrameError extends Error {
  override name = 'FrameError';
}

/**
 * A parsed PHYPayload. Data-frame fields (devAddr … payloadHex) are filled for data frames; for join
 * and proprietary frames they hold neutral values (devAddr '' unless a decrypted join accept carries
 * one, fCnt 0, fPort null, flags false) and the join fields are set instead.
 */
export interface ParsedFrame {
  mType: MType;
  /** 'up' or 'down' for data and join frames, null for proprietary. */
  dir: 'up' | 'down' | null;
  /** 8 hex, big-endian as usually written. */
  devAddr: string;
  /** The 16 counter bits as sent. */
  fCnt: number;
  /** Full 32-bit counter, when the upper 16 bits were given (`fCntMsb`). */
  fCnt32?: number;
  fPort: number | null;
  fOptsHex: string;
  adr: boolean;
  /** Uplink only (FCtrl bit 6). */
  adrAckReq: boolean;
  ack: boolean;
  /** Downlink only (FCtrl bit 4). */
  fPending: boolean;
  /** Uplink only (FCtrl bit 4, LoRaWAN 1.0.2+). */
  classB: boolean;
  /** 4-byte MIC as hex, '' for proprietary frames. */
  micHex: string;
  /** Set when a key allowed checking the MIC. */
  micValid?: boolean;
  /** FRMPayload: decrypted when `payloadDecrypted`; for proprietary frames everything after MHDR. */
  payloadHex: string;
  payloadDecrypted: boolean;
  /** Join request: 8 hex each, big-endian as written. */
  joinEui?: string;
  devEui?: string;
  devNonce?: number;
  /** Join accept, when an AppKey decrypted it. */
  joinNonce?: number;
  netId?: string;
  dlSettings?: number;
  rxDelay?: number;
  cfListHex?: string;
}

/** Keys and counter context for {@link parseFrame}; keys are 32 hex characters. */
export interface ParseOptions {
  nwkSKey?: string;
  appSKey?: string;
  appKey?: string;
  /** Upper 16 bits of the 32-bit frame counter (a number 0..65535). */
  fCntMsb?: number;
}
