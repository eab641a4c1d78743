/**
 * `hotspot-sim airtime`: LoRa time on air (Semtech AN1200.13 formula, shared/src/radio/airtime.ts).
 * Public contract (issue 4): JSON keys timeOnAirMs, symbolTimeMs, payloadSymbols, lowDataRateOptimize.
 */
import { formatTable, numberFlag, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { timeOnAir } from '@hexium/shared/radio/airtime';

const help = `Usage: hotspot-sim airtime --sf N --payload BYTES [options]

LoRa time on air of one packet (Semtech AN1200.13 / SX1276 datasheet formula; exact, not rounded).

Options:
  --sf N               spreading factor 7..12 (5..6: SX126x variant)           (required)
  --payload BYTES      PHYPayload length in bytes, 0..255                       (required)
                       (a LoRaWAN data frame is application payload + 13 B)
  --bw KHZ             bandwidth in kHz (125, 250, 500, …)                      (default 125)
  --cr 4/5|4/6|4/7|4/8 coding rate                                              (default 4/5)
  --preamble N         programmed preamble symbols                              (default 8)
  --no-crc             no payload CRC (LoRaWAN downlinks)                       (default: CRC on)
  --implicit-header    implicit header mode                                     (default: explicit)
  --ldro auto|on|off   low data rate optimisation; auto = on when Tsym ≥ 16 ms  (default auto)
  --json               print one JSON object:
                       { "timeOnAirMs", "symbolTimeMs", "payloadSymbols", "lowDataRateOptimize",
                         "preambleMs", "payloadMs", "sf", "bandwidthHz", "codingRate", "payloadBytes",
                         "preambleSymbols", "crc", "implicitHeader" }
  --help               this text

Example:
  hotspot-sim airtime --sf 9 --bw 125 --cr 4/5 --payload 52     → 328.704 ms (Helium US915 beacon)
`;

function parseCodingRate(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const m = /^4\/([5-8])$/.exec(raw.trim());
  if (m) return Number(m[1]) - 4;
  throw new UsageError(`--cr must be one of 4/5, 4/6, 4/7, 4/8, got "${raw}"`);
}

function parseLdro(raw: string | undefined): 'auto' | boolean {
  switch (raw ?? 'auto') {
    case 'auto':
      return 'auto';
    case 'on':
      return true;
    case 'off':
      return false;
    default:
      throw new UsageError(`--ldro must be auto, on or off, got "${raw}"`);
  }
}

const command: Command = {
  name: 'airtime',
  summary: 'LoRa time on air of a packet (SF, bandwidth, coding rate, payload)',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      sf: { type: 'string' },
      bw: { type: 'string' },
      cr: { type: 'string' },
      payload: { type: 'string' },
      preamble: { type: 'string' },
      'no-crc': { type: 'boolean' },
      'implicit-header': { type: 'boolean' },
      ldro: { type: 'string' },
      json: { type: 'boolean' },
    });
    const sf = numberFlag('sf', values.sf, { required: true, integer: true, min: 5, max: 12 });
    const bwKhz = numberFlag('bw', values.bw, { default: 125 });
    if (!(bwKhz > 0)) throw new UsageError(`--bw must be > 0 kHz, got ${values.bw}`);
    const codingRate = parseCodingRate(values.cr);
    const payloadBytes = numberFlag('payload', values.payload, { required: true, integer: true, min: 0, max: 255 });
    const preambleSymbols = numberFlag('preamble', values.preamble, { default: 8, integer: true, min: 0, max: 65535 });
    const crc = !values['no-crc'];
    const implicitHeader = values['implicit-header'] ?? false;
    const ldro = parseLdro(values.ldro);
    const bandwidthHz = Math.round(bwKhz * 1e6) / 1e3; // kHz → Hz without float dust (10.4 → 10400)

    const r = timeOnAir({ sf, bandwidthHz, codingRate, payloadBytes, preambleSymbols, crc, implicitHeader, ldro });
    if (values.json) {
      io.stdout(
        JSON.stringify({
          timeOnAirMs: r.timeOnAirMs,
          symbolTimeMs: r.symbolTimeMs,
          payloadSymbols: r.payloadSymbols,
          lowDataRateOptimize: r.lowDataRateOptimize,
          preambleMs: r.preambleMs,
          payloadMs: r.payloadMs,
          sf,
          bandwidthHz,
          codingRate: `4/${codingRate + 4}`,
          payloadBytes,
          preambleSymbols,
          crc,
          implicitHeader,
        }) + '\n',
      );
      return 0;
    }
    const preambleSyms = preambleSymbols + (sf >= 7 ? 4.25 : 6.25);
    io.stdout(
      formatTable([
        ['parameters', `SF${sf} BW${bwKhz} kHz CR 4/${codingRate + 4}, ${payloadBytes} B, preamble ${preambleSymbols}, CRC ${crc ? 'on' : 'off'}, ${implicitHeader ? 'implicit' : 'explicit'} header`],
        ['time on air', `${r.timeOnAirMs} ms`],
        ['symbol time', `${r.symbolTimeMs} ms`],
        ['preamble', `${r.preambleMs} ms (${preambleSyms} symbols)`],
        ['payload', `${r.payloadMs} ms (${r.payloadSymbols} symbols)`],
        ['LDRO', r.lowDataRateOptimize ? 'on' : 'off'],
      ]),
    );
    return 0;
  },
};

export default command;
