import { describe, it, expect } from 'vitest';
import { createRng } from '@hexium/shared/random/rng';
import { keyPairFromSeed } from '@hexium/shared/identity/index';
import { HELIUM_REGION_PARAMS } from '@hexium/shared/params/index';
import { buildProprietary } from '@hexium/shared/lorawan/index';
import { HotspotFirmware, WITNESS_CACHE_SIZE, type HotspotSink, type PublishKind, type RadioTx } from './hotspot.ts';
import type { HotspotRole } from '../adversaries.ts';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a beacon-window boundary
const key = keyPairFromSeed(new Uint8Array(32).fill(1));

function harness(role: HotspotRole = { kind: 'honest' }, opts: { airtimeMs?: number; region?: 'EU868' | 'US915' } = {}) {
  const region = opts.region ?? 'EU868';
  const skipped: number[] = [];
  const published: { kind: PublishKind; msg: Record<string, unknown>; at: number }[] = [];
  const sent: RadioTx[] = [];
  const timers: { at: number; fn: (t: number) => void }[] = [];
  let connects = 0;
  const sink: HotspotSink = {
    publish: (_h, kind, msg, at) => void published.push({ kind, msg, at }),
    transmit: (_h, tx) => void sent.push(tx),
    schedule: (_h, at, fn) => void timers.push({ at, fn }),
    connect: () => void connects++,
    disconnect: () => undefined,
    airtimeMs: () => opts.airtimeMs ?? 100,
    beaconSkipped: (_h, freqHz) => void skipped.push(freqHz),
  };
  const fw = new HotspotFirmware(
    { index: 0, address: key.address, gainDbi: 3, lat: 52.5, lng: 13.4, elevationM: 10, regionParams: HELIUM_REGION_PARAMS[region], region, beaconIntervalS: 60, statsIntervalS: 0, role },
    createRng(1),
    sink,
  );
  /** Run timers in time order up to `until`. */
  const runUntil = (until: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      if (!timers.length || timers[0].at > until) return;
      const t = timers.shift()!;
      t.fn(t.at);
    }
  };
  return { fw, published, sent, timers, runUntil, skipped, connects: () => connects };
}

const entropy = { v: 1 as const, dataHex: 'ab'.repeat(32), timestampS: T0 / 1000, version: 0 };
const beaconFrame = (byte: number) => buildProprietary(new Uint8Array(51).fill(byte));

describe('hotspot firmware', () => {
  it('connects on start, announces ONLINE, and beacons once in each 60 s window', () => {
    const h = harness();
    h.fw.start(T0);
    expect(h.connects()).toBe(1);
    h.fw.onConnected(T0);
    expect(h.published[0]).toMatchObject({ kind: 'state', msg: { state: 'ONLINE' } });
    h.fw.onEntropy(entropy, T0);
    h.runUntil(T0 + 180_000);
    const beacons = h.sent.filter((t) => t.kind === 'beacon');
    const windows = new Set(beacons.map((b) => Math.floor((b.atMs - T0) / 60_000)));
    expect(windows.size).toBe(beacons.length); // never two in one window
    expect(beacons.length).toBeGreaterThanOrEqual(2);
    // EU868: max EIRP 16.1 dBm, gain 3 dBi → conducted trunc(13.1) = 13 dBm, EIRP sent 16 dBm
    expect(h.published.find((p) => p.kind === 'beacon')!.msg.txPowerDbm).toBe(13);
  });

  it('witnesses a beacon once, never its own, and remembers only the last 15 payloads', () => {
    const h = harness();
    h.fw.start(T0);
    h.fw.onConnected(T0);
    const rx = (b: number, at: number) => h.fw.onRadioRx({ phy: beaconFrame(b), freqHz: 867_100_000, sf: 12, bandwidthHz: 125_000, rssiDbm: -100, snrDb: 5, endMs: at });
    rx(1, T0);
    rx(1, T0 + 10);
    h.runUntil(T0 + 1000);
    expect(h.published.filter((p) => p.kind === 'witness')).toHaveLength(1);
    for (let b = 2; b < 2 + WITNESS_CACHE_SIZE; b++) rx(b, T0 + 2000);
    rx(1, T0 + 3000); // payload 1 has left the 15-entry cache
    h.runUntil(T0 + 5000);
    expect(h.published.filter((p) => p.kind === 'witness')).toHaveLength(2 + WITNESS_CACHE_SIZE);
  });

  it('a silent hotspot never witnesses; an RSSI inflater adds its offset', () => {
    const s = harness({ kind: 'silent' });
    s.fw.start(T0);
    s.fw.onConnected(T0);
    s.fw.onRadioRx({ phy: beaconFrame(9), freqHz: 867_100_000, sf: 12, bandwidthHz: 125_000, rssiDbm: -100, snrDb: 5, endMs: T0 });
    s.runUntil(T0 + 1000);
    expect(s.published.filter((p) => p.kind === 'witness')).toHaveLength(0);
    const i = harness({ kind: 'rssi-inflater', inflateDb: 30 });
    i.fw.start(T0);
    i.fw.onConnected(T0);
    i.fw.onRadioRx({ phy: beaconFrame(9), freqHz: 867_100_000, sf: 12, bandwidthHz: 125_000, rssiDbm: -100, snrDb: 5, endMs: T0 });
    i.runUntil(T0 + 1000);
    expect(i.published.find((p) => p.kind === 'witness')!.msg.rssiDbm).toBe(-70);
  });

  it('reconnects with a backoff after a disconnect', () => {
    const h = harness();
    h.fw.start(T0);
    h.fw.onConnected(T0);
    h.fw.onDisconnected(T0 + 5000);
    h.runUntil(T0 + 5999 + 1000); // 1 s · 2^0 + ≤ 999 ms jitter
    expect(h.connects()).toBe(2);
  });

  it('EU868: skips (and counts) a beacon whose sub-band is still in its 1 % duty-cycle off-time', () => {
    // Airtime 2000 ms → off-time 2000·(100 − 1) = 198 000 ms (duty-cycle.ts, ETSI EN 300 220-2 1 %): the
    // sub-band is free again at start + 200 000 ms. Helium's EU868 channels 867.1–867.9 MHz lie in
    // sub-band 865–868 MHz and 868.1–868.5 MHz in 868.0–868.6 MHz, both 1 % (RegionEU868 VerifyRfFreq),
    // so ten challenges 10 s apart can put at most one beacon on the air per sub-band.
    const h = harness({ kind: 'honest' }, { airtimeMs: 2000 });
    h.fw.start(T0);
    h.fw.onConnected(T0);
    h.fw.onEntropy(entropy, T0);
    for (let k = 0; k < 10; k++) h.fw.onChallenge({} as never, T0 + k * 10_000);
    const band = (f: number) => (f < 868_000_000 ? 0 : 1);
    const sent = h.sent.filter((t) => t.kind === 'beacon');
    expect(sent[0].atMs).toBe(T0); // the first always goes
    expect(sent.length).toBeLessThanOrEqual(2);
    expect(new Set(sent.map((t) => band(t.freqHz))).size).toBe(sent.length);
    expect(h.skipped).toHaveLength(10 - sent.length);
    expect(h.fw.beaconsSkippedDutyCycle).toBe(10 - sent.length);
    for (const f of h.skipped) expect(sent.map((t) => band(t.freqHz))).toContain(band(f)); // skipped only on a busy sub-band
    h.runUntil(T0 + 100_000);
    expect(h.published.filter((p) => p.kind === 'beacon')).toHaveLength(sent.length); // no report for a skipped beacon
    // last beacon at ≤ T0 + 90 000 ms, so every sub-band is free again at T0 + 290 000 ms
    h.fw.onChallenge({} as never, T0 + 290_000);
    expect(h.sent.filter((t) => t.kind === 'beacon')).toHaveLength(sent.length + 1);
  });

  it('US915 has no duty cycle: ten challenges 10 s apart give ten beacons', () => {
    const h = harness({ kind: 'honest' }, { airtimeMs: 2000, region: 'US915' });
    h.fw.start(T0);
    h.fw.onConnected(T0);
    h.fw.onEntropy(entropy, T0);
    for (let k = 0; k < 10; k++) h.fw.onChallenge({} as never, T0 + k * 10_000);
    expect(h.sent.filter((t) => t.kind === 'beacon')).toHaveLength(10);
    expect(h.skipped).toHaveLength(0);
  });
});
