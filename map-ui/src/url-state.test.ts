import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatUrlState, parseUrlState, type UrlState } from './url-state.ts';

describe('URL state', () => {
  it('reads centre, zoom, selection and options', () => {
    const s = parseUrlState('?lng=13.40500&lat=52.52000&z=11.50&hotspot=112qB3YaH5bZkCnKA5uRH7tBtGNv2Y5B4smv1jsmvGUzgKT71QpE&metric=bestRssiDbm&theme=dark&epoch=3');
    expect(s).toEqual({
      center: { lng: 13.405, lat: 52.52 },
      zoom: 11.5,
      hotspot: '112qB3YaH5bZkCnKA5uRH7tBtGNv2Y5B4smv1jsmvGUzgKT71QpE',
      metric: 'bestRssiDbm',
      theme: 'dark',
      epoch: 3,
    });
  });

  it('drops what is malformed instead of failing', () => {
    expect(parseUrlState('?lng=abc&lat=1&z=99&hex=zz&metric=nope&theme=pink&epoch=-1&style=javascript:alert(1)')).toEqual({});
    expect(parseUrlState('?lat=91&lng=0')).toEqual({});
  });

  it('keeps a hotspot selection over a hex one, and a style URL', () => {
    const q = formatUrlState({ hotspot: 'abcdefghijkmnopqrstuvwxyz', hex: '881f1d4887fffff', style: 'https://tiles.example/style.json' });
    expect(q).toBe('?hotspot=abcdefghijkmnopqrstuvwxyz&style=https%3A%2F%2Ftiles.example%2Fstyle.json');
  });

  it('round-trips: parse(format(s)) = s up to the 5-decimal / 2-decimal rounding', () => {
    const state = fc.record(
      {
        center: fc.record({ lng: fc.double({ min: -180, max: 180, noNaN: true }), lat: fc.double({ min: -85, max: 85, noNaN: true }) }),
        zoom: fc.double({ min: 0, max: 22, noNaN: true }),
        hex: fc.constantFrom('881f1d4887fffff', '8928308280fffff'),
        metric: fc.constantFrom('hotspots', 'witnesses', 'bestRssiDbm', 'scale' as const),
        theme: fc.constantFrom('light', 'dark' as const),
        epoch: fc.nat(100_000),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(state, (s) => {
        const back = parseUrlState(formatUrlState(s as UrlState));
        if (s.center) {
          expect(back.center!.lng).toBeCloseTo(s.center.lng, 4);
          expect(back.center!.lat).toBeCloseTo(s.center.lat, 4);
        } else expect(back.center).toBeUndefined();
        if (s.zoom !== undefined) expect(back.zoom!).toBeCloseTo(s.zoom, 1);
        expect(back.hex).toBe(s.hex);
        expect(back.metric).toBe(s.metric);
        expect(back.theme).toBe(s.theme);
        expect(back.epoch).toBe(s.epoch);
      }),
    );
  });
});
