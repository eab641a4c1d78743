export * from './frame-types.ts';
export * from './data-frame.ts';
export * from './join.ts';
export * from './parse-frame.ts';
export * from './proprietary.ts';
export * from './cayenne-lpp.ts';
export { aesCmac, aes128EncryptBlock } from './aes128.ts';
export { bytesToHexFast as bytesToHex, hexToBytesStrict as hexToBytes, type BytesLike } from './hex.ts';
