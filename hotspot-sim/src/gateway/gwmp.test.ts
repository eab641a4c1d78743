/**
 * GWMP v2 codec. Expected bytes are written by hand from Semtech packet_forwarder PROTOCOL.TXT
 * (protocol version 2): [0] version 2, [1..2] token (high, low), [3] identifier, then the EUI and/or JSON.
 */
import { describe, it, expect } from 'vitest';
import { decodeGwmp, encodeGwmp, txAckError, parseLoraDatr, hz, mhz, type GwmpPacket } from './gwmp.ts';

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const EUI = [0xaa, 0x55, 0x5a, 0x00, 0x00, 0x00, 0x01, 0x01];

function decoded(buf: Uint8Array): GwmpPacket {
  const r = decodeGwmp(buf);
  if (!r.ok) throw new Error(`expected a packet, got ${r.error.reason}: ${r.error.message}`);
  return r.packet;
}

describe('encodeGwmp', () => {
  it('writes PUSH_ACK and PULL_ACK as the 4-byte header with the token high byte first', () => {
    expect(encodeGwmp({ type: 'PUSH_ACK', token: 0x1234 })).toEqual(bytes([0x02, 0x12, 0x34, 0x01]));
    expect(encodeGwmp({ type: 'PULL_ACK', token: 0xbeef })).toEqual(bytes([0x02, 0xbe, 0xef, 0x04]));
  });

  it('writes PULL_DATA as header + 8-byte gateway EUI', () => {
    expect(encodeGwmp({ type: 'PULL_DATA', token: 0xabcd, gatewayEui: 'aa555a0000000101' })).toEqual(bytes([0x02, 0xab, 0xcd, 0x02], EUI));
  });

  it('writes PULL_RESP as header + {"txpk":…} with the fields in PROTOCOL.TXT order', () => {
    const out = encodeGwmp({
      type: 'PULL_RESP',
      token: 7,
      // given out of order on purpose
      payload: { txpk: { data: '4A==', size: 1, ipol: false, codr: '4/5', datr: 'SF12BW125', modu: 'LORA', powe: 14, rfch: 0, freq: 868.1, imme: true } },
    });
    expect(out).toEqual(bytes([0x02, 0x00, 0x07, 0x03], '{"txpk":{"imme":true,"freq":868.1,"rfch":0,"powe":14,"modu":"LORA","datr":"SF12BW125","codr":"4/5","ipol":false,"size":1,"data":"4A=="}}'));
  });

  it('writes PUSH_DATA as header + EUI + JSON, and TX_ACK with or without txpk_ack', () => {
    const push = encodeGwmp({ type: 'PUSH_DATA', token: 1, gatewayEui: 'aa555a0000000101', payload: { stat: { rxnb: 2, rxok: 1 } } });
    expect(push).toEqual(bytes([0x02, 0x00, 0x01, 0x00], EUI, '{"stat":{"rxnb":2,"rxok":1}}'));
    expect(encodeGwmp({ type: 'TX_ACK', token: 0x0102, gatewayEui: 'aa555a0000000101', payload: null })).toEqual(bytes([0x02, 0x01, 0x02, 0x05], EUI));
    expect(encodeGwmp({ type: 'TX_ACK', token: 0x0102, gatewayEui: 'aa555a0000000101', payload: { txpk_ack: { error: 'TOO_LATE' } } })).toEqual(
      bytes([0x02, 0x01, 0x02, 0x05], EUI, '{"txpk_ack":{"error":"TOO_LATE"}}'),
    );
  });

  it('refuses a token outside 16 bits (a caller bug)', () => {
    expect(() => encodeGwmp({ type: 'PUSH_ACK', token: 0x10000 })).toThrow(RangeError);
  });
});

describe('decodeGwmp', () => {
  it('reads a PUSH_DATA with one rxpk (fields of PROTOCOL.TXT §4)', () => {
    const json = '{"rxpk":[{"time":"2013-03-31T16:21:17.528002Z","tmst":3512348611,"chan":2,"rfch":0,"freq":866.349812,"stat":1,"modu":"LORA","datr":"SF7BW125","codr":"4/6","rssi":-35,"lsnr":5.1,"size":3,"data":"AQID"}]}';
    const p = decoded(bytes([0x02, 0x5a, 0x3c, 0x00], EUI, json));
    expect(p.type).toBe('PUSH_DATA');
    if (p.type !== 'PUSH_DATA') return;
    expect(p.token).toBe(0x5a3c);
    expect(p.gatewayEui).toBe('aa555a0000000101');
    expect(p.payload.rxpk).toHaveLength(1);
    expect(p.payload.rxpk![0]).toMatchObject({ tmst: 3512348611, stat: 1, freq: 866.349812, datr: 'SF7BW125', rssi: -35, lsnr: 5.1, size: 3 });
    expect(Buffer.from(p.payload.rxpk![0].data, 'base64')).toEqual(Buffer.from([1, 2, 3]));
  });

  it('reads PULL_DATA, acks and a TX_ACK (no JSON = NONE, a trailing NUL is tolerated)', () => {
    expect(decoded(bytes([0x02, 0x00, 0x09, 0x02], EUI))).toEqual({ type: 'PULL_DATA', token: 9, gatewayEui: 'aa555a0000000101' });
    expect(decoded(bytes([0x02, 0xff, 0xfe, 0x04]))).toEqual({ type: 'PULL_ACK', token: 0xfffe });
    const bare = decoded(bytes([0x02, 0x00, 0x03, 0x05], EUI));
    expect(bare.type === 'TX_ACK' && txAckError(bare)).toBe('NONE');
    const late = decoded(bytes([0x02, 0x00, 0x03, 0x05], EUI, '{"txpk_ack":{"error":"COLLISION_PACKET"}}', [0]));
    expect(late.type === 'TX_ACK' && txAckError(late)).toBe('COLLISION_PACKET');
  });

  it('round-trips a timed PULL_RESP', () => {
    const p: GwmpPacket = { type: 'PULL_RESP', token: 0x4242, payload: { txpk: { tmst: 4294967295, freq: 869.525, rfch: 0, powe: 27, modu: 'LORA', datr: 'SF12BW125', codr: '4/5', ipol: true, prea: 8, size: 3, data: 'AQID', ncrc: true } } };
    expect(decoded(encodeGwmp(p))).toEqual(p);
  });

  it.each([
    ['truncated', [0x02, 0x00]],
    ['truncated', [0x02, 0x00, 0x01, 0x02, 0xaa, 0x55]],
    ['wrong-version', [0x01, 0x00, 0x01, 0x02, ...EUI]],
    ['unknown-identifier', [0x02, 0x00, 0x01, 0x06]],
  ] as const)('refuses %s datagrams', (reason, raw) => {
    const r = decodeGwmp(Buffer.from(raw));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe(reason);
  });

  it.each([
    ['bad-json', bytes([0x02, 0, 1, 0x00], EUI, '{"rxpk":[')],
    ['bad-json', bytes([0x02, 0, 1, 0x03], 'txpk')],
    ['bad-payload', bytes([0x02, 0, 1, 0x00], EUI, '[1,2]')],
    ['bad-payload', bytes([0x02, 0, 1, 0x00], EUI, '{"rxpk":[{"tmst":-1,"stat":1,"freq":868.1,"modu":"LORA","datr":"SF7BW125","rssi":-50,"size":0,"data":""}]}')],
    ['bad-payload', bytes([0x02, 0, 1, 0x00], EUI, '{"rxpk":[{"tmst":1,"stat":1,"freq":868.1,"modu":"LORA","datr":"SF7BW125","rssi":-50,"size":9,"data":"AQID"}]}')],
    ['bad-payload', bytes([0x02, 0, 1, 0x05], EUI, '{"txpk_ack":{"error":"ON_FIRE"}}')],
    ['bad-payload', bytes([0x02, 0, 1, 0x03], '{"txpk":{"freq":868.1,"rfch":0,"modu":"LORA","datr":"SF7BW125","size":0,"data":""}}')],
  ] as const)('refuses %s bodies', (reason, raw) => {
    const r = decodeGwmp(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe(reason);
  });
});

describe('helpers', () => {
  it('parses LoRa data rate strings', () => {
    expect(parseLoraDatr('SF7BW125')).toEqual({ sf: 7, bandwidthHz: 125_000 });
    expect(parseLoraDatr('SF12BW500')).toEqual({ sf: 12, bandwidthHz: 500_000 });
    expect(parseLoraDatr('SF13BW125')).toBeNull();
    expect(parseLoraDatr('SF7BW126')).toBeNull();
  });

  it('converts MHz and Hz without floating-point residue', () => {
    expect(hz(868.1)).toBe(868_100_000);
    expect(hz(866.349812)).toBe(866_349_812);
    expect(mhz(867_300_000)).toBe(867.3);
  });
});
