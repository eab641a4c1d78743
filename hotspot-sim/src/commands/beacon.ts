/**
 * `hotspot-sim beacon`: the PoC beacon a hotspot would send for a given entropy pair and region
 * (shared/src/poc/beacon.ts, exactly helium/proto `beacon`). Public contract (issue 4): JSON
 * { payloadHex, frequencyHz, dataRate, txPowerDbm }.
 */
import { formatTable, numberFlag, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { HELIUM_REGION_PARAMS, HELIUM_REGIONS, type HeliumRegion } from '@hexium/shared/params/index';
import { beaconSeed, buildBeacon, dataRateEnum, type BeaconEntropy } from '@hexium/shared/poc/index';
import { buildProprietary, bytesToHex } from '@hexium/shared/lorawan/index';

/** Asserted antenna gain when none is given: the config service default, 12 dBi×10 (oracles `iot_config/src/gateway/service/info.rs`). */
const DEFAULT_GAIN_DBI = 1.2;

const help = `Usage: hotspot-sim beacon --remote-entropy HEX --remote-ts SECONDS --local-entropy HEX --region REGION [options]

The 51-byte PoC beacon exactly as Helium builds it (helium/proto beacon crate):
  seed = SHA-256(remote ‖ i64_le(remote-ts) ‖ local ‖ i64_le(0)), payload = low byte of each of the
  first 51 ChaCha12 keystream words, channel = u16_le(payload[0..2]) mod 8, data rate = first tagged
  spreading with max packet size ≥ 51, power = trunc(max EIRP − gain).

Options:
  --remote-entropy HEX   entropy data from the oracle (32 bytes in Helium)                 (required)
  --remote-ts SECONDS    entropy timestamp, Unix seconds                                    (required)
  --remote-version N     entropy version, 0 or 1                                            (default 0)
  --local-entropy HEX    the hotspot's own random bytes (4 in Helium); timestamp and version 0 (required)
  --region REGION        ${HELIUM_REGIONS.join(', ')} (AS923-1 style also accepted)  (required)
  --gain DBI             asserted antenna gain in dBi                                      (default ${DEFAULT_GAIN_DBI})
  --json                 print one JSON object: { "payloadHex", "frequencyHz", "dataRate", "txPowerDbm",
                         "dataRateEnum", "phyPayloadHex", "seedHex", "region", "gainDbi" }
  --help                 this text

Example:
  hotspot-sim beacon --remote-entropy $(printf '00%.0s' {1..32}) --remote-ts 1700000000 \\
    --local-entropy 01020304 --region EU868 --gain 1.2      → SF12BW125, 14 dBm
`;

function hexFlag(name: string, raw: string | undefined): Uint8Array {
  if (raw === undefined) throw new UsageError(`--${name} is required`);
  const s = raw.replace(/^0x/i, '');
  if (s.length === 0 || s.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(s)) throw new UsageError(`--${name} must be hex bytes, got "${raw}"`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function regionFlag(raw: string | undefined): HeliumRegion {
  if (raw === undefined) throw new UsageError('--region is required');
  const r = raw.toUpperCase().replace(/-/g, '_');
  if (!(HELIUM_REGIONS as readonly string[]).includes(r)) throw new UsageError(`--region must be one of ${HELIUM_REGIONS.join(', ')}, got "${raw}"`);
  return r as HeliumRegion;
}

const command: Command = {
  name: 'beacon',
  summary: 'The Helium PoC beacon (payload, frequency, data rate, power) for an entropy pair and region',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      'remote-entropy': { type: 'string' },
      'remote-ts': { type: 'string' },
      'remote-version': { type: 'string' },
      'local-entropy': { type: 'string' },
      region: { type: 'string' },
      gain: { type: 'string' },
      json: { type: 'boolean' },
    });
    const remote: BeaconEntropy = {
      data: hexFlag('remote-entropy', values['remote-entropy']),
      timestampS: numberFlag('remote-ts', values['remote-ts'], { required: true, integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
      version: numberFlag('remote-version', values['remote-version'], { default: 0, integer: true, min: 0, max: 1 }),
    };
    const local: BeaconEntropy = { data: hexFlag('local-entropy', values['local-entropy']), timestampS: 0, version: 0 };
    const region = regionFlag(values.region);
    const gainDbi = numberFlag('gain', values.gain, { default: DEFAULT_GAIN_DBI, min: -20, max: 40 });
    const regionParams = HELIUM_REGION_PARAMS[region];
    let beacon;
    try {
      beacon = buildBeacon({ remote, local, regionParams, gainDbi });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const out = {
      payloadHex: bytesToHex(beacon.data),
      frequencyHz: beacon.frequencyHz,
      dataRate: beacon.dataRate,
      txPowerDbm: beacon.txPowerDbm,
      dataRateEnum: dataRateEnum(beacon.dataRate),
      phyPayloadHex: bytesToHex(buildProprietary(beacon.data)),
      seedHex: bytesToHex(beaconSeed(remote, local)),
      region,
      gainDbi,
    };
    if (values.json) {
      io.stdout(JSON.stringify(out) + '\n');
      return 0;
    }
    io.stdout(
      formatTable(
        [
          ['payload (51 B)', out.payloadHex],
          ['frequency', `${out.frequencyHz} Hz (${(out.frequencyHz / 1e6).toFixed(1)} MHz)`],
          ['data rate', `${out.dataRate} (Helium enum ${out.dataRateEnum})`],
          ['tx power', `${out.txPowerDbm} dBm conducted (gain ${gainDbi} dBi)`],
          ['on air', `proprietary frame ${out.phyPayloadHex}`],
          ['seed', out.seedHex],
        ],
        ['field', 'value'],
      ),
    );
    return 0;
  },
};

export default command;
