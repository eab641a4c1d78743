/** `hotspot-sim` — the simulator CLI. Each command lives in src/commands/<name>.ts. */
import { runCli } from '@hexium/shared/node/run-cli';

const commands = {
  airtime: () => import('./commands/airtime.ts'),
  link: () => import('./commands/link.ts'),
  decode: () => import('./commands/decode.ts'),
  'session-keys': () => import('./commands/session-keys.ts'),
  beacon: () => import('./commands/beacon.ts'),
  keygen: () => import('./commands/keygen.ts'),
  generate: () => import('./commands/generate.ts'),
  run: () => import('./commands/run.ts'),
  gateway: () => import('./commands/gateway.ts'),
  forwarder: () => import('./commands/forwarder.ts'),
  experiment: () => import('./commands/experiment.ts'),
};

process.exitCode = await runCli(
  'hotspot-sim',
  'Hexium hotspot simulator: LoRa calculators, scenarios, and simulated hotspots and sensors over MQTT.',
  commands,
  process.argv.slice(2),
);
