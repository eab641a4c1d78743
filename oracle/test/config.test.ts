/** Configuration: defaults < file < environment < flags, and the documented refusals. */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '@hexium/shared/cli/args';
import { CONFIG_FIELDS, DEFAULT_CONFIG, describeConfig, loadConfig, loadNetworkParams } from '../src/config.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hexium-config-'));
const file = path.join(tmp, 'oracle.json');
writeFileSync(file, JSON.stringify({ httpPort: 9000, mqttPort: 9001, fleets: { sim: 'a' }, params: 'demo' }));

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ httpPort: 8080, mqttPort: 1883, wsPort: 8083, host: '127.0.0.1', dataDir: './data', mapDir: 'map-ui/dist' });
  });
  it('layers file < env < flags', () => {
    const c = loadConfig({ file, env: { HEXIUM_MQTT_PORT: '9101', HEXIUM_HTTP_PORT: '9100', MQTT_URL: 'mqtt://x:1', HEXIUM_FLEETS: 'sim:b,gw:c' }, flags: { 'http-port': '0' } });
    expect(c).toMatchObject({ httpPort: 0, mqttPort: 9101, params: 'demo', mqttUrl: 'mqtt://x:1', fleets: { sim: 'b', gw: 'c' } });
  });
  it('reads the file named by HEXIUM_CONFIG', () => {
    expect(loadConfig({ env: { HEXIUM_CONFIG: file } }).httpPort).toBe(9000);
  });
  it('refuses bad ports, unknown file fields and malformed fleets', () => {
    expect(() => loadConfig({ flags: { 'http-port': '70000' } })).toThrow(UsageError);
    expect(() => loadConfig({ flags: { 'mqtt-port': 'abc' } })).toThrow(UsageError);
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ htpPort: 1 }));
    expect(() => loadConfig({ file: bad })).toThrow(/unknown field "htpPort"/);
    expect(() => loadConfig({ env: { HEXIUM_FLEETS: 'nosecret' } })).toThrow(UsageError);
  });
  it('documents every field in print-config and masks secrets', () => {
    const text = describeConfig({ ...DEFAULT_CONFIG, adminToken: 'topsecret', fleets: { sim: 'pw' } });
    for (const f of CONFIG_FIELDS) expect(text).toContain(`${f.key} = `);
    expect(text).not.toContain('topsecret');
    expect(text).not.toContain('"pw"');
  });
  it('resolves params by profile name, file of overrides, or object', () => {
    expect(loadNetworkParams('demo').epochLengthS).toBe(300);
    const pf = path.join(tmp, 'params.json');
    writeFileSync(pf, JSON.stringify({ profile: 'demo', epochLengthS: 600 }));
    expect(loadNetworkParams(pf).epochLengthS).toBe(600);
    expect(loadNetworkParams({ profile: 'demo', multiBuy: 3 }).multiBuy).toBe(3);
    expect(() => loadNetworkParams('nope')).toThrow(UsageError);
  });
});
