/** `hotspot-sim generate`: write a scenario JSON to stdout. */
import { UsageError, parseFlags, numberFlag, type Command } from '@hexium/shared/cli/args';
import { generateScenario, DEFAULT_SENSOR_INTERVAL_S } from '../core/scenario/generate.ts';
import { resolveScenario, ScenarioError } from '../core/scenario/load-scenario.ts';
import { AREA_PRESET_NAMES } from '../core/scenario/area-presets.ts';

const command: Command = {
  name: 'generate',
  summary: 'Write a scenario (hotspots, sensors, area, seed) as JSON to stdout',
  help: `Usage: hotspot-sim generate --hotspots N --sensors N --area <preset|w,s,e,n> --seed N [--epochs N] [--params demo|helium] [--sensor-interval S] [--name TEXT]

Writes a scenario file (docs/simulator.md "Scenario format") to stdout; edit it to add adversaries,
clustered placement, propagation settings, then run it with "hotspot-sim run".

  --hotspots N   number of hotspots (required)
  --sensors N    number of sensors (default 0)
  --area A       area preset (${AREA_PRESET_NAMES.join(', ')}) or a bbox "west,south,east,north"
  --seed N       seed of every random draw (required)
  --epochs N     run length in reward epochs (default 1)
  --params P     network parameter profile (default demo)
  --sensor-interval S
                 mean sensor uplink interval, seconds (default ${DEFAULT_SENSOR_INTERVAL_S}: 15 min, as real
                 LoRaWAN sensors send every 5–60 min; the demo profile does not compress it)
  --name TEXT    scenario name`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      hotspots: { type: 'string' },
      sensors: { type: 'string' },
      area: { type: 'string' },
      seed: { type: 'string' },
      epochs: { type: 'string' },
      params: { type: 'string' },
      name: { type: 'string' },
      'sensor-interval': { type: 'string' },
    });
    if (!values.area) throw new UsageError('--area is required');
    let scenario;
    try {
      scenario = generateScenario({
        hotspots: numberFlag('hotspots', values.hotspots, { required: true, integer: true, min: 0 }),
        sensors: numberFlag('sensors', values.sensors, { integer: true, min: 0, default: 0 }),
        area: values.area,
        seed: numberFlag('seed', values.seed, { required: true, integer: true, min: 0 }),
        epochs: numberFlag('epochs', values.epochs, { integer: true, min: 1, default: 1 }),
        params: values.params,
        name: values.name,
        sensorIntervalS: numberFlag('sensor-interval', values['sensor-interval'], { min: 0.001, default: DEFAULT_SENSOR_INTERVAL_S }),
      });
      resolveScenario(scenario);
    } catch (e) {
      if (e instanceof ScenarioError || e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    io.stdout(JSON.stringify(scenario, null, 2) + '\n');
    return 0;
  },
};
export default command;
