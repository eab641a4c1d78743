import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchOracleResults, unlessStoppedEarly, type OracleResults } from './results.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A port nothing listens on: bound once, then closed. */
async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

/** A stand-in for the oracle's API with one paid epoch (docs/api.md shapes). */
async function oracleApi(): Promise<string> {
  const s = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/v1/epochs') return res.end(JSON.stringify({ epochs: [{ epoch: 7, hash: 'ab'.repeat(32) }] }));
    if (req.url === '/api/v1/epochs/7') {
      return res.end(JSON.stringify({ rewards: [{ hotspot: 'h1', beaconAmount: '10', witnessAmount: '20', dcTransferAmount: '3' }] }));
    }
    if (req.url === '/api/v1/network') return res.end(JSON.stringify({ dcSpent: 5 }));
    res.statusCode = 404;
    res.end('{}');
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const NONE: OracleResults = { epochs: [], rewards: [], dcSpent: 0 };
/** The end of a live run as `runLive` makes it: the oracle's results, or none when stopped early. */
const endOfRun = (url: string, group: Map<string, string>, stoppedEarly: boolean) =>
  unlessStoppedEarly(stoppedEarly, () => fetchOracleResults(url, group), NONE, (why) => `the oracle's API at ${url} did not answer (${why})`);

describe('the end of a live run (unlessStoppedEarly)', () => {
  it("reads the oracle's epochs and rewards whether or not the run was stopped", async () => {
    const url = await oracleApi();
    for (const stopped of [false, true]) {
      const { value, warning } = await endOfRun(url, new Map([['h1', 'honest']]), stopped);
      expect(warning).toBeNull();
      expect(value.epochs).toEqual([{ epoch: 7, hash: 'ab'.repeat(32) }]);
      // 10 + 20 + 3 bones from the one epoch above
      expect(value.rewards).toEqual([{ hotspot: 'h1', group: 'honest', beaconAmount: '10', witnessAmount: '20', dcTransferAmount: '3', total: '33' }]);
      expect(value.dcSpent).toBe(5);
    }
  });

  it('a stopped run whose oracle is gone gets the fallback and a warning that names the API', async () => {
    const url = await closedPortUrl();
    const { value, warning } = await endOfRun(url, new Map(), true);
    expect(value).toBe(NONE);
    expect(warning).toBe(`stopped; the oracle's API at ${url} did not answer (fetch failed)`);
  });

  it('a run that ended on its own fails when the oracle is gone', async () => {
    const url = await closedPortUrl();
    await expect(endOfRun(url, new Map(), false)).rejects.toThrow(/fetch failed/);
  });
});
