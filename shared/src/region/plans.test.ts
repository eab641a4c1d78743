import { describe, expect, it } from 'vitest';
import { HELIUM_REGION_PARAMS, HELIUM_REGIONS } from '../params/region-params.ts';
import { timeOnAir } from '../radio/airtime.ts';
import { dataRateOf, drOf, getRegionalPlan, maxPayloadBytes, REGIONAL_PLAN_NAMES, REGIONAL_PLANS, txPowerEirpDbm } from './plans.ts';
import { us915ChannelHz } from './us915.ts';
import { au915ChannelHz } from './au915.ts';

const MHz = 1e6;
const helium = (name: keyof typeof HELIUM_REGION_PARAMS) => HELIUM_REGION_PARAMS[name].map((p) => p.channelFrequencyHz);

describe('regional plan registry', () => {
  it('has one plan per Helium region, spelled the same', () => {
    expect([...REGIONAL_PLAN_NAMES].sort()).toEqual([...HELIUM_REGIONS].sort());
    for (const n of REGIONAL_PLAN_NAMES) expect(REGIONAL_PLANS[n].name).toBe(n);
    expect(getRegionalPlan('as923-2').name).toBe('AS923_2');
    expect(() => getRegionalPlan('KR920')).toThrow(/unknown region/);
  });

  it('uses RX1 1 s, RX2 2 s, join accept 5 s / 6 s everywhere (ChirpStack get_defaults)', () => {
    for (const plan of Object.values(REGIONAL_PLANS)) {
      expect(plan.delays).toEqual({ rx1DelayMs: 1000, rx2DelayMs: 2000, joinAcceptDelay1Ms: 5000, joinAcceptDelay2Ms: 6000 });
    }
  });

  it('puts every Helium beacon channel among the plan uplink channels', () => {
    for (const n of REGIONAL_PLAN_NAMES) {
      for (const f of helium(n)) expect(REGIONAL_PLANS[n].uplinkChannelsHz).toContain(f);
    }
  });
});

describe('EU868', () => {
  const eu = REGIONAL_PLANS.EU868;
  it('has the three default channels and Helium’s eight 867.1–868.5 MHz channels', () => {
    expect(eu.joinChannelsHz).toEqual([868.1 * MHz, 868.3 * MHz, 868.5 * MHz]);
    expect(eu.uplinkChannelsHz).toEqual(helium('EU868'));
  });

  it('maps DR0..6 to SF12..SF7/125 and SF7/250, DR7 FSK', () => {
    expect(dataRateOf(eu, 0)).toEqual({ modulation: 'LORA', sf: 12, bandwidthHz: 125_000 });
    expect(dataRateOf(eu, 5)).toEqual({ modulation: 'LORA', sf: 7, bandwidthHz: 125_000 });
    expect(dataRateOf(eu, 6)).toEqual({ modulation: 'LORA', sf: 7, bandwidthHz: 250_000 });
    expect(dataRateOf(eu, 7).modulation).toBe('FSK');
    expect(drOf(eu, 9, 125_000)).toBe(3);
  });

  it('RX1 = uplink frequency, DR − offset floored at 0; RX2 869.525 MHz DR0', () => {
    expect(eu.rx1(868.1 * MHz, 5, 2)).toEqual({ freqHz: 868.1 * MHz, dr: 3 });
    expect(eu.rx1(867.5 * MHz, 1, 3)).toEqual({ freqHz: 867.5 * MHz, dr: 0 });
    expect(eu.rx2).toEqual({ freqHz: 869_525_000, dr: 0 });
    expect(() => eu.rx1(868.1 * MHz, 5, 6)).toThrow(RangeError);
  });

  it('max payload per DR = MaxPayloadOfDatarateEU868 {51,51,51,115,242,242,242,242}', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((dr) => maxPayloadBytes(eu, dr))).toEqual([51, 51, 51, 115, 242, 242, 242, 242]);
  });

  it('max EIRP 16 dBm, TXPower index n → 16 − 2n', () => {
    expect(eu.maxEirpDbm).toBe(16);
    expect(txPowerEirpDbm(eu, 0)).toBe(16);
    expect(txPowerEirpDbm(eu, 7)).toBe(2);
    expect(() => txPowerEirpDbm(eu, 8)).toThrow(RangeError);
    expect(eu.dutyCycle).toBe(true);
  });
});

describe('US915 (FSB2)', () => {
  const us = REGIONAL_PLANS.US915;
  it('numbers channels 902.3 + 0.2·n (0..63) and 903.0 + 1.6·n (64..71)', () => {
    expect(us915ChannelHz(0)).toBe(902.3 * MHz);
    expect(us915ChannelHz(63)).toBe(914.9 * MHz); // 902.3 + 12.6
    expect(us915ChannelHz(64)).toBe(903.0 * MHz);
    expect(us915ChannelHz(71)).toBe(914.2 * MHz); // 903.0 + 11.2
  });

  it('uses channels 8–15 (903.9–905.3 MHz) + 65 (904.6 MHz) as Helium does', () => {
    expect(us.uplinkChannelsHz).toEqual([...helium('US915'), 904.6 * MHz]);
    expect(us.uplinkChannelsHz[0]).toBe(903.9 * MHz);
    expect(us.uplinkChannelsHz[7]).toBe(905.3 * MHz);
  });

  it('maps uplink DR0..4 to SF10..7/125 and SF8/500, downlink DR8..13 to SF12..7/500', () => {
    expect([0, 1, 2, 3].map((dr) => dataRateOf(us, dr))).toEqual([10, 9, 8, 7].map((sf) => ({ modulation: 'LORA', sf, bandwidthHz: 125_000 })));
    expect(dataRateOf(us, 4)).toEqual({ modulation: 'LORA', sf: 8, bandwidthHz: 500_000 });
    expect(dataRateOf(us, 8)).toEqual({ modulation: 'LORA', sf: 12, bandwidthHz: 500_000 });
    expect(dataRateOf(us, 13)).toEqual({ modulation: 'LORA', sf: 7, bandwidthHz: 500_000 });
    expect(drOf(us, 8, 500_000)).toBe(4);
    expect(drOf(us, 8, 500_000, 'down')).toBe(12);
  });

  it('RX1 frequency 923.3 + 0.6·(ch mod 8) MHz and the DatarateOffsetsUS915 table', () => {
    // ch 8 → 0 → 923.3; ch 15 → 7 → 923.3 + 4.2 = 927.5; ch 65 → 1 → 923.9
    expect(us.rx1(903.9 * MHz, 0).freqHz).toBe(923.3 * MHz);
    expect(us.rx1(905.3 * MHz, 0).freqHz).toBe(927.5 * MHz);
    expect(us.rx1(904.6 * MHz, 4).freqHz).toBe(923.9 * MHz);
    const table = [
      [10, 9, 8, 8],
      [11, 10, 9, 8],
      [12, 11, 10, 9],
      [13, 12, 11, 10],
      [13, 13, 12, 11],
    ];
    for (let dr = 0; dr <= 4; dr++) for (let o = 0; o <= 3; o++) expect(us.rx1(904.1 * MHz, dr, o).dr).toBe(table[dr][o]);
    expect(us.rx2).toEqual({ freqHz: 923.3 * MHz, dr: 8 });
    expect(() => us.rx1(904.15 * MHz, 0)).toThrow(/not an uplink channel/);
  });

  it('max payload = MaxPayloadOfDatarateUS915, max EIRP 30 dBm', () => {
    expect([0, 1, 2, 3, 4, 8, 9, 10, 13].map((dr) => maxPayloadBytes(us, dr))).toEqual([11, 53, 125, 242, 242, 53, 129, 242, 242]);
    expect(us.maxEirpDbm).toBe(30);
    expect(txPowerEirpDbm(us, 14)).toBe(2);
  });

  it('400 ms dwell: DR0 with its max MACPayload (11 + 8 = 19 B, PHY 24 B) fits, 30 B does not', () => {
    // 24 B at SF10/125: 370.688 ms (see airtime tests). 30 B: num = 240 − 40 + 44 = 244; 244/40 = 6.1 → 7
    // → 8 + 35 = 43 symbols; (12.25 + 43)·8.192 = 55.25·8.192 = 452.608 ms > 400
    const at = (pl: number) => timeOnAir({ sf: 10, bandwidthHz: 125_000, codingRate: 1, payloadBytes: pl }).timeOnAirMs;
    expect(us.dwellTimeLimitMs).toBe(400);
    expect(at(24)).toBeLessThanOrEqual(400);
    expect(at(30)).toBeCloseTo(452.608, 9);
    expect(at(30)).toBeGreaterThan(400);
  });
});

describe('AU915 (Helium FSB2)', () => {
  const au = REGIONAL_PLANS.AU915;
  it('uses channels 8–15: 916.8–918.2 MHz, plus the 500 kHz channel 65 (917.5 MHz)', () => {
    expect(au915ChannelHz(8)).toBe(916.8 * MHz); // 915.2 + 1.6
    expect(au915ChannelHz(64)).toBe(915.9 * MHz);
    expect(au915ChannelHz(65)).toBe(917.5 * MHz); // 915.9 + 1.6
    expect(au.uplinkChannelsHz).toEqual([...helium('AU915'), 917.5 * MHz]);
  });

  it('puts DR0–5 on the 125 kHz channels 8–15 and DR6 (SF8/500 kHz) on channel 65 only (RP002 §2.6.2)', () => {
    for (const dr of [0, 1, 2, 3, 4, 5]) expect(au.uplinkChannelsFor(dr)).toEqual(helium('AU915'));
    expect(au.uplinkChannelsFor(6)).toEqual([917.5 * MHz]);
    expect(au.uplinkChannelsFor(6, true)).toEqual([917.5 * MHz]);
    expect(() => au.uplinkChannelsFor(7)).toThrow(/DR7 is not an uplink LoRa data rate/); // LR-FHSS
    expect(() => au.uplinkChannelsFor(8)).toThrow(/DR8 is not an uplink LoRa data rate/); // downlink only
  });

  it('maps DR0..5 to SF12..7/125, DR6 to SF8/500, DR8..13 to SF12..7/500', () => {
    expect(dataRateOf(au, 0)).toEqual({ modulation: 'LORA', sf: 12, bandwidthHz: 125_000 });
    expect(dataRateOf(au, 6)).toEqual({ modulation: 'LORA', sf: 8, bandwidthHz: 500_000 });
    expect(dataRateOf(au, 8)).toEqual({ modulation: 'LORA', sf: 12, bandwidthHz: 500_000 });
  });

  it('RX1 923.3 + 0.6·(ch mod 8) MHz with DatarateOffsetsAU915; RX2 923.3 MHz DR8', () => {
    expect(au.rx1(916.8 * MHz, 2, 0)).toEqual({ freqHz: 923.3 * MHz, dr: 10 });
    expect(au.rx1(918.2 * MHz, 6, 5)).toEqual({ freqHz: 927.5 * MHz, dr: 9 });
    expect(au.rx1(917.0 * MHz, 5, 1)).toEqual({ freqHz: 923.9 * MHz, dr: 12 });
    expect(au.rx1(917.0 * MHz, 0, 0).dr).toBe(8);
    expect(au.rx2).toEqual({ freqHz: 923.3 * MHz, dr: 8 });
  });

  it('max payload dwell 0 / dwell 1 (uplink dwell on by default)', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((dr) => maxPayloadBytes(au, dr, false))).toEqual([51, 51, 51, 115, 242, 242, 242]);
    expect([0, 1, 2, 3, 4, 5, 6].map((dr) => maxPayloadBytes(au, dr))).toEqual([0, 0, 11, 53, 125, 242, 242]);
    expect([8, 9, 10].map((dr) => maxPayloadBytes(au, dr))).toEqual([53, 129, 242]);
    expect(au.maxEirpDbm).toBe(30);
  });
});

describe('AS923-1..4', () => {
  it('shifts every frequency by 0 / −1.8 / −6.6 / −5.9 MHz', () => {
    const first = { AS923_1: 923.2, AS923_2: 921.4, AS923_3: 916.6, AS923_4: 917.3 } as const;
    for (const [name, f] of Object.entries(first) as [keyof typeof first, number][]) {
      const plan = REGIONAL_PLANS[name];
      expect(plan.joinChannelsHz).toEqual([Math.round(f * MHz), Math.round((f + 0.2) * MHz)]);
      expect(plan.rx2).toEqual({ freqHz: Math.round(f * MHz), dr: 2 });
      expect(plan.uplinkChannelsHz).toEqual(helium(name));
      expect(plan.maxEirpDbm).toBe(16);
    }
  });

  it('RX1: same frequency, DR = min(7, max(minDr, DR − effective offset)), offsets 6/7 raise the DR', () => {
    const as = REGIONAL_PLANS.AS923_1;
    expect(as.rx1(923.4 * MHz, 5, 2)).toEqual({ freqHz: 923.4 * MHz, dr: 3 });
    expect(as.rx1(923.2 * MHz, 3, 5).dr).toBe(0);
    expect(as.rx1(923.2 * MHz, 0, 6).dr).toBe(1); // EffectiveRx1DrOffsetDownlinkDwell0AS923[0][6] = DR_1
    expect(as.rx1(923.2 * MHz, 5, 7).dr).toBe(7); // [5][7] = DR_7
    expect(as.rx1(923.2 * MHz, 0, 0, { downlinkDwellTime: true }).dr).toBe(2); // Dwell1 table [0][0] = DR_2
    expect(as.rx1(923.2 * MHz, 1, 7, { downlinkDwellTime: true }).dr).toBe(3); // Dwell1 [1][7] = DR_3
  });

  it('max payload dwell 0 {51,51,115,115,242,…} / dwell 1 {0,0,11,53,125,242,…}', () => {
    const as = REGIONAL_PLANS.AS923_3;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((dr) => maxPayloadBytes(as, dr, false))).toEqual([51, 51, 115, 115, 242, 242, 242, 242]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((dr) => maxPayloadBytes(as, dr, true))).toEqual([0, 0, 11, 53, 125, 242, 242, 242]);
    expect(dataRateOf(as, 6)).toEqual({ modulation: 'LORA', sf: 7, bandwidthHz: 250_000 });
  });
});

describe('plan methods', () => {
  it('work when detached from their plan object', () => {
    const { rx1 } = REGIONAL_PLANS.AS923_2;
    expect(rx1(921.4 * MHz, 5, 1)).toEqual({ freqHz: 921.4 * MHz, dr: 4 });
    const { rx1: euRx1 } = REGIONAL_PLANS.EU868;
    expect(euRx1(868.1 * MHz, 0, 0)).toEqual({ freqHz: 868.1 * MHz, dr: 0 });
  });
});

describe('max payloads against the 400 ms dwell limit (two independent sources agree)', () => {
  // PHYPayload = N + 13 B (no FOpts). Semtech formula by hand, CR 4/5, CRC on, explicit header:
  //   SF10, 24 B:  num = 192 − 40 + 44 = 196;   /40 = 4.9 → 5  → 33 symbols;  45.25·8.192 = 370.688 ms
  //   SF9,  66 B:  num = 528 − 36 + 44 = 536;   /36 = 14.9 → 15 → 83 symbols; 95.25·4.096 = 390.144 ms
  //   SF8, 138 B:  num = 1104 − 32 + 44 = 1116; /32 = 34.9 → 35 → 183;        195.25·2.048 = 399.872 ms
  //   SF7, 255 B:  num = 2040 − 28 + 44 = 2056; /28 = 73.4 → 74 → 378;        390.25·1.024 = 399.616 ms
  const expected: Record<number, number> = { 10: 370.688, 9: 390.144, 8: 399.872, 7: 399.616 };
  const airtime = (sf: number, n: number) => timeOnAir({ sf, bandwidthHz: 125_000, codingRate: 1, payloadBytes: n + 13 }).timeOnAirMs;

  it('US915 DR0–3 at their max payload stay under 400 ms', () => {
    const us = REGIONAL_PLANS.US915;
    for (const dr of [0, 1, 2, 3]) {
      const d = dataRateOf(us, dr);
      if (d.modulation !== 'LORA') throw new Error('expected LoRa');
      const t = airtime(d.sf, maxPayloadBytes(us, dr));
      expect(t).toBeCloseTo(expected[d.sf], 9);
      expect(t).toBeLessThanOrEqual(us.dwellTimeLimitMs!);
    }
  });

  it('AU915 and AS923 dwell-on tables (DR2–5) stay under 400 ms', () => {
    for (const plan of [REGIONAL_PLANS.AU915, REGIONAL_PLANS.AS923_1]) {
      for (const dr of [2, 3, 4, 5]) {
        const d = dataRateOf(plan, dr);
        if (d.modulation !== 'LORA') throw new Error('expected LoRa');
        const t = airtime(d.sf, maxPayloadBytes(plan, dr, true));
        expect(t).toBeCloseTo(expected[d.sf], 9);
        expect(t).toBeLessThanOrEqual(plan.dwellTimeLimitMs!);
      }
    }
  });
});

describe('uplink channel ↔ data rate (RP002-1.0.x §2.4.2, §2.5.2, §2.7.2)', () => {
  it('US915 FSB2: DR0–3 on the 125 kHz channels 8–15 (903.9–905.3 MHz), DR4 only on the 500 kHz channel 65 (904.6 MHz)', () => {
    const us = REGIONAL_PLANS.US915;
    // channel n < 64: 902.3 + 0.2·n MHz → 8: 903.9 … 15: 905.3; channel 65: 903.0 + 1.6·1 = 904.6 MHz
    const fsb2 = [903.9, 904.1, 904.3, 904.5, 904.7, 904.9, 905.1, 905.3].map((f) => Math.round(f * MHz));
    for (const dr of [0, 1, 2, 3]) {
      expect(us.uplinkChannelsFor(dr)).toEqual(fsb2);
      expect(us.uplinkChannelsFor(dr, true)).toEqual(fsb2);
    }
    expect(us.uplinkChannelsFor(4)).toEqual([904.6 * MHz]);
    expect(() => us.uplinkChannelsFor(5)).toThrow(/DR5 is not an uplink LoRa data rate/); // LR-FHSS
    expect(() => us.uplinkChannelsFor(8)).toThrow(/US915: DR8 is not an uplink LoRa data rate/); // downlink only
  });

  it('EU868 and AS923: all eight channels carry DR0–5; DR6 (250 kHz) has no channel in the set, DR7 is FSK', () => {
    const eu = REGIONAL_PLANS.EU868;
    expect(eu.uplinkChannelsFor(0)).toEqual(eu.uplinkChannelsHz);
    expect(eu.uplinkChannelsFor(5, true)).toEqual([868.1 * MHz, 868.3 * MHz, 868.5 * MHz]);
    expect(() => eu.uplinkChannelsFor(6)).toThrow(/EU868: no channel of the plan's set carries DR6 \(SF7, 250 kHz\)/);
    expect(() => eu.uplinkChannelsFor(7)).toThrow(/DR7 is not an uplink LoRa data rate/);
    const as = REGIONAL_PLANS.AS923_2;
    expect(as.uplinkChannelsFor(3)).toEqual(as.uplinkChannelsHz);
    expect(() => as.uplinkChannelsFor(6)).toThrow(/AS923_2: no channel/);
  });
});
