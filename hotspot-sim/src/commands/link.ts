/**
 * `hotspot-sim link`: mean path loss, RSSI, SNR and per-SF decodability of one link
 * (shared/src/radio; models of ../shared/specs/radio.md §3). Public contract (issue 4): JSON keys
 * pathLossDb, rssiDbm, snrDb, noiseFloorDbm, sensitivityDbm {"7".."12"}, decodableSf.
 */
import { formatTable, numberFlag, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import {
  canDecode,
  freeSpacePathLossDb,
  hataPathLossDb,
  HataRangeError,
  linkBudget,
  logDistancePathLossDb,
  PROPAGATION_PRESETS,
  requiredSnrDb,
  sensitivityDbm,
  type HataEnvironment,
  type LogDistanceParams,
} from '@hexium/shared/radio/index';

const LOG_DISTANCE_PRESETS: Record<string, { preset: keyof typeof PROPAGATION_PRESETS; label: string }> = {
  'log-distance-urban': { preset: 'urban', label: 'log-distance, ns-3 lorawan / 3GPP urban (PL(1 m) 7.7 dB, n 3.76)' },
  lorasim: { preset: 'urban-dense', label: 'log-distance, LoRaSim (PL(40 m) 127.41 dB, n 2.08)' },
  oulu: { preset: 'rural', label: 'log-distance, Oulu (PL(1 km) 128.95 dB, n 2.32)' },
};

const HATA_MODELS: Record<string, { environment: HataEnvironment; label: string }> = {
  'hata-urban': { environment: 'urban', label: 'Okumura–Hata urban, small/medium city' },
  'hata-urban-large': { environment: 'urban-large', label: 'Okumura–Hata urban, large city' },
  'hata-suburban': { environment: 'suburban', label: 'Okumura–Hata suburban' },
  'hata-open': { environment: 'open', label: 'Okumura–Hata open area' },
};

const MODELS = ['fspl', 'log-distance', ...Object.keys(LOG_DISTANCE_PRESETS), ...Object.keys(HATA_MODELS)];
const SFS = [7, 8, 9, 10, 11, 12];

const help = `Usage: hotspot-sim link --model MODEL --freq MHZ --distance KM [options]

Link budget of one LoRa link: mean path loss (no shadowing), RSSI, SNR, and which spreading factors
can be decoded (RSSI ≥ sensitivity and SNR ≥ required SNR; sensitivity = noise floor + required SNR).

Models:
  fspl                 free-space path loss (Friis)
  log-distance         PL(d0) + 10·n·log10(d/d0) with --d0 M --pl0 DB --exponent N (all required)
  log-distance-urban   ns-3 lorawan / 3GPP urban: d0 1 m, PL0 7.7 dB, n 3.76 (= 120.5 dB at 1 km)
  lorasim              LoRaSim: d0 40 m, PL0 127.41 dB, n 2.08
  oulu                 Oulu rural: d0 1000 m, PL0 128.95 dB, n 2.32
  hata-urban           Okumura–Hata, small/medium city
  hata-urban-large     Okumura–Hata, large city
  hata-suburban        Okumura–Hata, suburban
  hata-open            Okumura–Hata, open area
  Okumura–Hata is valid for 150–1500 MHz, hb 30–200 m, hm 1–10 m, 1–20 km; outside that range the
  command fails unless --force is given.

Options:
  --model MODEL        one of the models above                                  (required)
  --freq MHZ           carrier frequency in MHz                                 (required)
  --distance KM        distance in km                                           (required)
  --d0 M --pl0 DB --exponent N   log-distance parameters (only with --model log-distance)
  --tx-power DBM       conducted transmit power                                 (default 20)
  --tx-gain DBI        transmit antenna gain                                    (default 0)
  --rx-gain DBI        receive antenna gain                                     (default 0)
  --hb M               gateway antenna height (Hata)                            (default 30)
  --hm M               device antenna height (Hata)                             (default 1.5)
  --nf DB              receiver noise figure                                    (default 6)
  --bw KHZ             bandwidth in kHz                                         (default 125)
  --force              extrapolate Okumura–Hata outside its validity range
  --json               print one JSON object:
                       { "pathLossDb", "rssiDbm", "snrDb", "noiseFloorDbm",
                         "sensitivityDbm": { "7": n, …, "12": n }, "decodableSf": [7, …],
                         "model", "freqHz", "distanceM", "bandwidthHz" }
  --help               this text

Negative values must be written with "=": --tx-gain=-2 (a separate "-2" reads as an option).

Example:
  hotspot-sim link --model hata-urban --freq 915 --distance 3 --tx-power 20 --tx-gain 2 --rx-gain 3
    → path loss 143.40 dB, RSSI −118.40 dBm, SNR −1.37 dB, decodable at SF7–SF12
`;

const fixed = (n: number, digits = 2) => n.toFixed(digits);

const command: Command = {
  name: 'link',
  summary: 'Link budget: path loss (FSPL, log-distance, Okumura–Hata), RSSI, SNR, decodable SFs',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      model: { type: 'string' },
      freq: { type: 'string' },
      distance: { type: 'string' },
      d0: { type: 'string' },
      pl0: { type: 'string' },
      exponent: { type: 'string' },
      'tx-power': { type: 'string' },
      'tx-gain': { type: 'string' },
      'rx-gain': { type: 'string' },
      hb: { type: 'string' },
      hm: { type: 'string' },
      nf: { type: 'string' },
      bw: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const model = values.model;
    if (model === undefined) throw new UsageError(`--model is required (one of ${MODELS.join(', ')})`);
    if (!MODELS.includes(model)) throw new UsageError(`unknown --model "${model}" (one of ${MODELS.join(', ')})`);
    const freqMhz = numberFlag('freq', values.freq, { required: true });
    const distanceKm = numberFlag('distance', values.distance, { required: true });
    if (!(freqMhz > 0)) throw new UsageError(`--freq must be > 0 MHz, got ${values.freq}`);
    if (!(distanceKm > 0)) throw new UsageError(`--distance must be > 0 km, got ${values.distance}`);
    const txPowerDbm = numberFlag('tx-power', values['tx-power'], { default: 20 });
    const txGainDbi = numberFlag('tx-gain', values['tx-gain'], { default: 0 });
    const rxGainDbi = numberFlag('rx-gain', values['rx-gain'], { default: 0 });
    const hbM = numberFlag('hb', values.hb, { default: 30 });
    const hmM = numberFlag('hm', values.hm, { default: 1.5 });
    const noiseFigureDb = numberFlag('nf', values.nf, { default: 6 });
    const bwKhz = numberFlag('bw', values.bw, { default: 125 });
    if (!(bwKhz > 0)) throw new UsageError(`--bw must be > 0 kHz, got ${values.bw}`);
    if (!(hbM > 0) || !(hmM > 0)) throw new UsageError('--hb and --hm must be > 0 m');
    const ldFlags = [values.d0, values.pl0, values.exponent];
    if (model !== 'log-distance' && ldFlags.some((v) => v !== undefined)) {
      throw new UsageError('--d0, --pl0 and --exponent apply only to --model log-distance');
    }
    const freqHz = Math.round(freqMhz * 1e6); // whole Hz (868.1 → 868100000)
    const distanceM = distanceKm * 1000;
    const bandwidthHz = Math.round(bwKhz * 1e6) / 1e3; // kHz → Hz without float dust (10.4 → 10400)

    let pathLossDb: number;
    let label: string;
    if (model === 'fspl') {
      pathLossDb = freeSpacePathLossDb(distanceM, freqHz);
      label = 'free space (Friis)';
    } else if (model === 'log-distance') {
      const params: LogDistanceParams = {
        d0M: numberFlag('d0', values.d0, { required: true }),
        pl0Db: numberFlag('pl0', values.pl0, { required: true }),
        exponent: numberFlag('exponent', values.exponent, { required: true }),
      };
      if (!(params.d0M > 0)) throw new UsageError(`--d0 must be > 0 m, got ${values.d0}`);
      pathLossDb = logDistancePathLossDb(distanceM, params);
      label = `log-distance (PL(${params.d0M} m) ${params.pl0Db} dB, n ${params.exponent})`;
    } else if (LOG_DISTANCE_PRESETS[model]) {
      const m = PROPAGATION_PRESETS[LOG_DISTANCE_PRESETS[model].preset].model;
      if (m.kind !== 'log-distance') throw new Error(`preset for ${model} is not log-distance`);
      pathLossDb = logDistancePathLossDb(distanceM, m);
      label = LOG_DISTANCE_PRESETS[model].label;
    } else {
      const h = HATA_MODELS[model];
      try {
        pathLossDb = hataPathLossDb(distanceM, freqHz, { hbM, hmM, environment: h.environment, force: values.force ?? false });
      } catch (e) {
        if (e instanceof HataRangeError) throw new UsageError(`${e.message}; pass --force to extrapolate`);
        throw e;
      }
      label = `${h.label}, hb ${hbM} m, hm ${hmM} m`;
    }

    const budget = linkBudget({ txPowerDbm, txGainDbi, rxGainDbi, pathLossDb, bandwidthHz, noiseFigureDb });
    const sensitivity: Record<string, number> = {};
    const decodableSf: number[] = [];
    for (const sf of SFS) {
      sensitivity[String(sf)] = sensitivityDbm(sf, bandwidthHz, noiseFigureDb);
      if (canDecode({ rssiDbm: budget.rssiDbm, snrDb: budget.snrDb, sf, bandwidthHz, noiseFigureDb })) decodableSf.push(sf);
    }

    if (values.json) {
      io.stdout(
        JSON.stringify({
          pathLossDb,
          rssiDbm: budget.rssiDbm,
          snrDb: budget.snrDb,
          noiseFloorDbm: budget.noiseFloorDbm,
          sensitivityDbm: sensitivity,
          decodableSf,
          model,
          freqHz,
          distanceM,
          bandwidthHz,
        }) + '\n',
      );
      return 0;
    }
    const head = formatTable([
      ['model', `${model}: ${label}`],
      ['link', `${freqMhz} MHz, ${distanceKm} km, TX ${txPowerDbm} dBm, gains ${txGainDbi} + ${rxGainDbi} dBi`],
      ['path loss', `${fixed(pathLossDb)} dB (mean, no shadowing)`],
      ['RSSI', `${fixed(budget.rssiDbm)} dBm`],
      ['noise floor', `${fixed(budget.noiseFloorDbm)} dBm (BW ${bwKhz} kHz, NF ${noiseFigureDb} dB)`],
      ['SNR', `${fixed(budget.snrDb)} dB`],
    ]);
    const table = formatTable(
      SFS.map((sf) => [
        `SF${sf}`,
        fixed(sensitivity[String(sf)]),
        fixed(requiredSnrDb(sf), 1),
        fixed(budget.rssiDbm - sensitivity[String(sf)]),
        decodableSf.includes(sf) ? 'yes' : 'no',
      ]),
      ['SF', 'sensitivity dBm', 'required SNR dB', 'margin dB', 'decodable'],
    );
    io.stdout(`${head}\n${table}`);
    return 0;
  },
};

export default command;
