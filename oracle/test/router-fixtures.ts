/**
 * Test fixtures for the packet router: a manual clock, and a LoRaWAN end device built on the
 * third-party `lora-packet` library (an implementation independent of oracle/src/router/frames.ts).
 */
import lora from 'lora-packet';
import type { Clock } from '@hexium/shared/clock';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { PROTOCOL_VERSION, type UplinkFrame } from '@hexium/shared/protocol/index';

export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  constructor(private t: number) {}
  now = () => this.t;
  setTimer = (ms: number, fn: () => void) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimer = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Move time forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

export const hotspotAddress = (n: number) => keyPairFromSeed(new Uint8Array(32).fill(n)).address;

/** FCnt upper 16 bits in wire (LE) order, as lora-packet wants them (specs/radio.md §4.3 gotcha). */
const msb = (fCnt32: number) => Buffer.from([(fCnt32 >>> 16) & 0xff, (fCnt32 >>> 24) & 0xff]);

export function dataUp(o: { devAddr: string; nwkSKey: string; appSKey: string; fCnt: number; payload: Buffer; fPort?: number; confirmed?: boolean }): Buffer {
  const pkt = lora.fromFields(
    { MType: o.confirmed ? 'Confirmed Data Up' : 'Unconfirmed Data Up', DevAddr: Buffer.from(o.devAddr, 'hex'), FCnt: o.fCnt & 0xffff, FPort: o.fPort ?? 1, payload: o.payload, FCtrl: { ADR: false, ACK: false, ADRACKReq: false } },
    Buffer.from(o.appSKey, 'hex'),
    Buffer.from(o.nwkSKey, 'hex'),
    undefined,
    msb(o.fCnt),
  );
  return pkt.getPHYPayload()!;
}

export function joinRequest(o: { joinEui: string; devEui: string; devNonce: number; appKey: string }): Buffer {
  const nonce = Buffer.alloc(2);
  nonce.writeUInt16BE(o.devNonce);
  const pkt = lora.fromFields(
    { MType: 'Join Request', AppEUI: Buffer.from(o.joinEui, 'hex'), DevEUI: Buffer.from(o.devEui, 'hex'), DevNonce: nonce },
    undefined,
    undefined,
    Buffer.from(o.appKey, 'hex'),
  );
  return pkt.getPHYPayload()!;
}

/** What the device does with a JoinAccept: decrypt, check the MIC, derive the session keys. */
export function deviceAcceptJoin(phyBytes: Uint8Array, appKey: string, devNonce: number) {
  const phy = Buffer.from(phyBytes);
  const key = Buffer.from(appKey, 'hex');
  const plain = lora.fromWire(lora.decryptJoinAccept(lora.fromWire(phy), key));
  const nonce = Buffer.alloc(2);
  nonce.writeUInt16BE(devNonce);
  const keys = lora.generateSessionKeys10(key, plain.NetID!, plain.AppNonce!, nonce);
  return {
    micValid: lora.verifyMIC(plain, undefined, key),
    mType: plain.getMType(),
    devAddr: plain.DevAddr!.toString('hex'),
    netId: plain.NetID!.toString('hex'),
    nwkSKey: keys.NwkSKey.toString('hex'),
    appSKey: keys.AppSKey.toString('hex'),
  };
}

/** What the device does with a data downlink: parse and check the MIC (FCnt down < 2^16 here). */
export function deviceReadDown(phy: Uint8Array, nwkSKey: string) {
  const pkt = lora.fromWire(Buffer.from(phy));
  return { mType: pkt.getMType(), ack: pkt.getFCtrlACK(), fCnt: pkt.getFCnt(), devAddr: pkt.DevAddr!.toString('hex'), micValid: lora.verifyMIC(pkt, Buffer.from(nwkSKey, 'hex')) };
}

export function uplinkFrame(hotspot: string, phy: Buffer, o: { freqHz?: number; sf?: number; bwHz?: number; rssi?: number; snr?: number; context?: string; crc?: 'CRC_OK' | 'BAD_CRC' } = {}): UplinkFrame {
  return {
    v: PROTOCOL_VERSION,
    hotspot,
    phyPayload: phy.toString('base64'),
    txInfo: { frequency: o.freqHz ?? 868_100_000, modulation: { lora: { bandwidth: o.bwHz ?? 125_000, spreadingFactor: o.sf ?? 7, codeRate: 'CR_4_5' } } },
    rxInfo: {
      gatewayId: hotspot,
      uplinkId: 1,
      gwTime: '2026-01-01T00:00:00Z',
      rssi: o.rssi ?? -100,
      snr: o.snr ?? 5,
      channel: 0,
      rfChain: 0,
      context: o.context ?? 'AAAAAA==',
      crcStatus: o.crc ?? 'CRC_OK',
    },
    signature: 'A'.repeat(86) + '==',
  };
}
