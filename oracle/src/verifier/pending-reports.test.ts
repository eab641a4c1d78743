import { describe, expect, it } from 'vitest';
import type { LoggedReport } from '../store/report-log/report-log.ts';
import { PendingReports } from './pending-reports.ts';

const witness = (receivedAtMs: number, hotspot: string, dataHex: string, raw?: string): LoggedReport => ({
  kind: 'witness',
  receivedAtMs,
  hotspot,
  dataHex,
  challengeId: null,
  raw: raw ?? JSON.stringify({ hotspot, dataHex, rssiDbm: -100 }),
});
const beacon = (receivedAtMs: number, hotspot: string, dataHex: string): LoggedReport => ({
  kind: 'beacon',
  receivedAtMs,
  hotspot,
  dataHex,
  challengeId: null,
  raw: JSON.stringify({ hotspot, dataHex }),
});
const ids = (ws: readonly { log: LoggedReport }[]) => ws.map((w) => `${w.log.hotspot}@${w.log.receivedAtMs}`);

describe('PendingReports', () => {
  it('purges the oldest witnesses in report order and moves the checkpoint to the next one', () => {
    const p = new PendingReports();
    p.add([witness(100, 'h2', 'aa'), witness(100, 'h1', 'bb'), witness(200, 'h3', 'aa'), witness(300, 'h1', 'cc')]);
    expect(p.size).toEqual({ beacons: 0, witnesses: 4 });
    expect(p.oldestMs()).toBe(100);
    // receive time, then hotspot: h1@100 before h2@100 although h2 was read first
    expect(ids(p.takeWitnessesBefore(250))).toEqual(['h1@100', 'h2@100', 'h3@200']);
    expect(p.size.witnesses).toBe(1);
    expect(p.witnessesOf('aa')).toEqual([]);
    expect(p.oldestMs()).toBe(300);
    expect(p.takeWitnessesBefore(250)).toEqual([]);
  });

  it('purges in slices of at most `max`, oldest first, leaving the rest pending', () => {
    const p = new PendingReports();
    p.add([witness(10, 'h1', 'aa'), witness(20, 'h2', 'bb'), witness(30, 'h3', 'cc'), witness(40, 'h4', 'dd')]);
    expect(ids(p.takeWitnessesBefore(35, 2))).toEqual(['h1@10', 'h2@20']);
    expect(p.oldestMs()).toBe(30);
    expect(ids(p.takeWitnessesBefore(35, 2))).toEqual(['h3@30']);
    expect(p.size.witnesses).toBe(1);
  });

  it('skips witnesses a round settled, in the purge and in the oldest receive time', () => {
    const p = new PendingReports();
    p.add([beacon(50, 'b', 'aa'), witness(60, 'h1', 'aa'), witness(70, 'h2', 'bb'), witness(80, 'h3', 'aa')]);
    expect(p.oldestMs()).toBe(50);
    const [b] = p.beaconsWhere(() => true);
    const ws = p.witnessesOf('aa');
    expect(ids(ws)).toEqual(['h1@60', 'h3@80']);
    expect(ws[1].report).toEqual({ hotspot: 'h3', dataHex: 'aa', rssiDbm: -100 });
    p.settle(b, ws);
    expect(p.size).toEqual({ beacons: 0, witnesses: 1 });
    expect(p.oldestMs()).toBe(70);
    expect(ids(p.takeWitnessesBefore(1000))).toEqual(['h2@70']);
    expect(p.oldestMs()).toBeNull();
  });

  it('reads a witness JSON only when a round asks for it, and drops and counts one it cannot read', () => {
    const p = new PendingReports();
    expect(p.add([witness(10, 'h1', 'aa', '{not json'), witness(20, 'h2', 'aa')])).toBe(0);
    expect(p.size.witnesses).toBe(2);
    expect(ids(p.witnessesOf('aa'))).toEqual(['h2@20']);
    expect(p.size.witnesses).toBe(1);
    expect(p.takeUnreadable()).toBe(1);
    expect(p.takeUnreadable()).toBe(0);
    expect(p.oldestMs()).toBe(20);
  });

  it('keeps one witness per report identity: the same report read again replaces it', () => {
    const p = new PendingReports();
    p.add([witness(10, 'h1', 'aa', '{"v":1}')]);
    p.add([witness(10, 'h1', 'aa', '{"v":2}')]);
    expect(p.size.witnesses).toBe(1);
    expect(p.witnessesOf('aa').map((w) => w.report)).toEqual([{ v: 2 }]);
    expect(p.takeWitnessesBefore(11).map((w) => w.log.raw)).toEqual(['{"v":2}']);
    expect(p.size.witnesses).toBe(0);
  });

  it('still purges in report order when a window arrives out of order', () => {
    const p = new PendingReports();
    p.add([witness(300, 'h3', 'cc')]);
    p.add([witness(100, 'h1', 'aa'), witness(200, 'h2', 'bb')]);
    expect(p.oldestMs()).toBe(100);
    expect(ids(p.takeWitnessesBefore(250))).toEqual(['h1@100', 'h2@200']);
    expect(ids(p.takeWitnessesBefore(400))).toEqual(['h3@300']);
  });
});

describe('PendingReports with payloads that share a chain', () => {
  // every payload hashes alike: one chain holds them all, and each lookup must still pick its own
  const collide = () => 7;

  it('keeps each payload apart, settles and purges through the shared chain', () => {
    const p = new PendingReports(collide);
    p.add([beacon(5, 'b', 'aa'), witness(10, 'h1', 'aa'), witness(20, 'h2', 'bb'), witness(30, 'h3', 'aa'), witness(40, 'h4', 'cc')]);
    expect(ids(p.witnessesOf('aa'))).toEqual(['h1@10', 'h3@30']);
    expect(ids(p.witnessesOf('bb'))).toEqual(['h2@20']);
    const [b] = p.beaconsWhere(() => true);
    p.settle(b, p.witnessesOf('aa'));
    expect(p.size.witnesses).toBe(2);
    expect(p.witnessesOf('aa')).toEqual([]);
    expect(ids(p.witnessesOf('cc'))).toEqual(['h4@40']);
    expect(p.oldestMs()).toBe(20);
    expect(ids(p.takeWitnessesBefore(25))).toEqual(['h2@20']);
    expect(p.dropWitnessesOf('cc')).toBe(1);
    expect(p.size.witnesses).toBe(0);
    expect(p.oldestMs()).toBeNull();
  });

  it('replaces a duplicate of one payload without touching another payload at the same instant', () => {
    const p = new PendingReports(collide);
    p.add([witness(10, 'h1', 'aa', '{"p":"aa1"}'), witness(10, 'h1', 'bb', '{"p":"bb"}')]);
    p.add([witness(10, 'h1', 'aa', '{"p":"aa2"}')]);
    expect(p.size.witnesses).toBe(2);
    expect(p.witnessesOf('aa').map((w) => w.report)).toEqual([{ p: 'aa2' }]);
    expect(p.witnessesOf('bb').map((w) => w.report)).toEqual([{ p: 'bb' }]);
  });

  it('hands out the same object for a witness while it is pending', () => {
    const p = new PendingReports(collide);
    p.add([witness(10, 'h1', 'aa')]);
    const [first] = p.witnessesOf('aa');
    expect(p.witnessesOf('aa')[0]).toBe(first);
  });
});

describe('PendingReports at volume', () => {
  it('purges 30,000 witnesses in report order in slices, settling some rounds on the way', () => {
    const p = new PendingReports();
    const n = 30_000;
    // payload i % 1000: 30 witnesses per payload, one every ms
    const all = Array.from({ length: n }, (_, i) => witness(1_000 + i, `h${String(i).padStart(5, '0')}`, `p${i % 1000}`));
    for (let i = 0; i < n; i += 2_000) p.add(all.slice(i, i + 2_000));
    p.add([beacon(500, 'b', 'p7')]);
    expect(p.size).toEqual({ beacons: 1, witnesses: n });
    const ws = p.witnessesOf('p7');
    expect(ws.map((w) => w.log.receivedAtMs)).toEqual(Array.from({ length: 30 }, (_, k) => 1_007 + 1000 * k));
    p.settle(p.beaconsWhere(() => true)[0], ws);
    let taken: number[] = [];
    for (;;) {
      const slice = p.takeWitnessesBefore(1_000 + 20_000, 3_000);
      taken = taken.concat(slice.map((w) => w.log.receivedAtMs));
      if (slice.length < 3_000) break;
    }
    // 20,000 received before the cutoff, less the 20 of payload p7 settled among them
    const expected = all.slice(0, 20_000).filter((_, i) => i % 1000 !== 7).map((w) => w.receivedAtMs);
    expect(taken).toEqual(expected);
    expect(p.oldestMs()).toBe(21_000);
    expect(p.size.witnesses).toBe(n - 30 - 19_980);
    expect(p.witnessesOf('p8').map((w) => w.log.receivedAtMs)).toEqual(Array.from({ length: 10 }, (_, k) => 21_008 + 1000 * k));
  });

  it('drops stale witnesses by count alone, leaving the same pending view as taking them', () => {
    const input = Array.from({ length: 5_000 }, (_, i) => witness(i, `h${i % 7}`, `p${i % 13}`));
    const taker = new PendingReports();
    const dropper = new PendingReports();
    taker.add(input);
    dropper.add(input);
    // 0 … 3,499 are received before 3,500: 3,000 in the first call, 500 in the second
    expect(dropper.dropWitnessesBefore(3_500, 3_000)).toBe(3_000);
    expect(dropper.dropWitnessesBefore(3_500, 3_000)).toBe(500);
    expect(taker.takeWitnessesBefore(3_500).length).toBe(3_500);
    expect(dropper.size).toEqual(taker.size);
    expect(dropper.size.witnesses).toBe(1_500);
    expect(dropper.oldestMs()).toBe(3_500);
    for (const p of ['p0', 'p5', 'p12']) expect(ids(dropper.witnessesOf(p))).toEqual(ids(taker.witnessesOf(p)));
    // p0 holds i ≡ 0 (mod 13) from 3,510 (= 13 · 270) on: 3,510 … 4,992, 115 of them
    expect(dropper.witnessesOf('p0').length).toBe(115);
  });
});
