/**
 * The oracle's one configuration object (STYLE.md §8), parsed once from defaults < config file
 * (`--config FILE` / `HEXIUM_CONFIG`) < environment < flags. Every field is documented in
 * {@link CONFIG_FIELDS} (unit, default, effect); `oracle print-config` prints them with their values.
 * Nothing else in the oracle reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '@hexium/shared/cli/args';
import { DEFAULT_TOPIC_PREFIX } from '@hexium/shared/protocol/index';
import { resolveParams, type NetworkParams } from '@hexium/shared/params/index';

export interface OracleConfig {
  host: string;
  httpPort: number;
  mqttPort: number;
  wsPort: number;
  dataDir: string;
  params: string | Record<string, unknown>;
  mqttUrl: string | null;
  databaseUrl: string | null;
  topicPrefix: string;
  adminToken: string | null;
  fleets: Record<string, string>;
  oracleKeySeedHex: string | null;
  entropySeed: string | null;
  mapDir: string;
  logLevel: string;
  authSkewMs: number;
  ingestShareGroup: string;
  reportSettleMs: number;
  allowedHosts: string;
  metricsToken: string | null;
  challengeHotspotIntervalS: number;
  challengeCallerPerMinute: number;
  basemapDir: string;
  basemapBuild: 'start' | 'request' | 'off';
}

type Kind = 'string' | 'port' | 'int' | 'fleets' | 'params' | 'nullable' | 'basemapBuild';
export interface ConfigField {
  key: keyof OracleConfig;
  flag?: string;
  env: string;
  kind: Kind;
  unit: string;
  doc: string;
}

export const DEFAULT_CONFIG: OracleConfig = {
  host: '127.0.0.1',
  httpPort: 8080,
  mqttPort: 1883,
  wsPort: 8083,
  dataDir: './data',
  params: 'helium',
  mqttUrl: null,
  databaseUrl: null,
  topicPrefix: DEFAULT_TOPIC_PREFIX,
  adminToken: null,
  fleets: {},
  oracleKeySeedHex: null,
  entropySeed: null,
  mapDir: 'map-ui/dist',
  logLevel: 'info',
  authSkewMs: 5 * 60_000,
  ingestShareGroup: 'hexium-ingest',
  reportSettleMs: 2000,
  allowedHosts: '',
  metricsToken: null,
  challengeHotspotIntervalS: 300,
  challengeCallerPerMinute: 10,
  basemapDir: '',
  basemapBuild: 'request',
};

export const CONFIG_FIELDS: ConfigField[] = [
  { key: 'host', flag: 'host', env: 'HEXIUM_HOST', kind: 'string', unit: 'address', doc: 'Interface the HTTP, MQTT and MQTT-over-WebSocket servers listen on.' },
  { key: 'httpPort', flag: 'http-port', env: 'HEXIUM_HTTP_PORT', kind: 'port', unit: 'TCP port', doc: 'HTTP API, SSE, /metrics, /docs and the map. 0 = any free port (logged).' },
  { key: 'mqttPort', flag: 'mqtt-port', env: 'HEXIUM_MQTT_PORT', kind: 'port', unit: 'TCP port', doc: 'Embedded broker, MQTT over TCP. 0 = any free port. Unused with MQTT_URL.' },
  { key: 'wsPort', flag: 'ws-port', env: 'HEXIUM_WS_PORT', kind: 'port', unit: 'TCP port', doc: 'Embedded broker, MQTT over WebSocket. 0 = any free port. Unused with MQTT_URL.' },
  { key: 'dataDir', flag: 'data-dir', env: 'HEXIUM_DATA_DIR', kind: 'string', unit: 'path', doc: 'PGlite database (<dataDir>/pglite), the report log (<dataDir>/reports) and the oracle key (<dataDir>/oracle-key.json). "memory://" keeps everything in memory.' },
  { key: 'params', flag: 'params', env: 'HEXIUM_PARAMS', kind: 'params', unit: 'name | file', doc: 'Network parameters: "helium" (as deployed), "demo" (time compressed) or a JSON file of overrides.' },
  { key: 'mqttUrl', env: 'MQTT_URL', kind: 'nullable', unit: 'URL', doc: 'External broker (mqtt://, mqtts://, ws://). Set: no embedded broker; the oracle is a client; the broker applies Hexium\'s device rules by calling the oracle\'s /api/v1/broker-auth endpoints (docs/security.md "External brokers").' },
  { key: 'databaseUrl', env: 'DATABASE_URL', kind: 'nullable', unit: 'URL', doc: 'PostgreSQL (postgres://…). Unset: embedded PGlite in dataDir.' },
  { key: 'topicPrefix', flag: 'topic-prefix', env: 'HEXIUM_TOPIC_PREFIX', kind: 'string', unit: 'topic', doc: 'Prefix of every MQTT topic (docs/protocol.md).' },
  { key: 'adminToken', flag: 'admin-token', env: 'HEXIUM_ADMIN_TOKEN', kind: 'nullable', unit: 'secret', doc: 'Bearer token of the admin routes. Unset: generated on first start and kept in <dataDir>/admin-token (mode 0600; never logged). With dataDir "memory://": random per run.' },
  { key: 'fleets', env: 'HEXIUM_FLEETS', kind: 'fleets', unit: 'id:secret,…', doc: 'Fleet credentials: MQTT username "fleet:<id>" with the secret as password may publish for hotspots onboarded with that fleet.' },
  { key: 'oracleKeySeedHex', env: 'HEXIUM_ORACLE_KEY_SEED', kind: 'nullable', unit: '64 hex chars', doc: 'Seed of the oracle signing key (manifests); the same on every oracle process of one network (a database refuses a second key). Unset: generated on first run and stored in <dataDir>/oracle-key.json.' },
  { key: 'entropySeed', flag: 'entropy-seed', env: 'HEXIUM_ENTROPY_SEED', kind: 'nullable', unit: 'string', doc: 'Deterministic entropy: SHA-256(seed ‖ timestampMs). Unset: 32 random bytes per tick.' },
  { key: 'mapDir', flag: 'map-dir', env: 'HEXIUM_MAP_DIR', kind: 'string', unit: 'path', doc: 'Built map served at / (npm run build -w map-ui).' },
  { key: 'logLevel', flag: 'log-level', env: 'HEXIUM_LOG_LEVEL', kind: 'string', unit: 'pino level', doc: 'trace, debug, info, warn, error, fatal or silent.' },
  { key: 'authSkewMs', env: 'HEXIUM_AUTH_SKEW_MS', kind: 'int', unit: 'ms', doc: 'Largest |clock skew| accepted in a device connect token.' },
  { key: 'reportSettleMs', env: 'HEXIUM_REPORT_SETTLE_MS', kind: 'int', unit: 'ms', doc: 'With DATABASE_URL: how long the verifier waits before reading reports other oracle processes stamped (their commit delay). The report log is read up to now minus this.' },
  { key: 'allowedHosts', flag: 'allowed-hosts', env: 'HEXIUM_ALLOWED_HOSTS', kind: 'string', unit: 'name,…', doc: 'Extra names accepted in the HTTP Host header (DNS-rebinding defence). localhost, 127.0.0.1, [::1] and the listen host are always accepted. "*" accepts any Host.' },
  { key: 'metricsToken', env: 'HEXIUM_METRICS_TOKEN', kind: 'nullable', unit: 'secret', doc: 'Set: /metrics needs authorization: Bearer <token> (or the admin token). Unset: /metrics is public.' },
  { key: 'challengeHotspotIntervalS', env: 'HEXIUM_CHALLENGE_HOTSPOT_INTERVAL_S', kind: 'int', unit: 's', doc: 'Least time between two challenges to the same hotspot (POST /api/v1/challenges; 429 sooner). 0 = no limit.' },
  { key: 'challengeCallerPerMinute', env: 'HEXIUM_CHALLENGE_CALLER_PER_MIN', kind: 'int', unit: 'requests', doc: 'Challenges one caller (client IP) may issue per minute (429 beyond). 0 = no limit.' },
  { key: 'basemapDir', flag: 'basemap-dir', env: 'HEXIUM_BASEMAP_DIR', kind: 'string', unit: 'path', doc: 'Cache of the detailed offline basemap (docs/map.md "Basemap"), shared by every oracle on the machine. Empty: node_modules/.cache/hexium-basemap in the repository.' },
  { key: 'basemapBuild', flag: 'basemap-build', env: 'HEXIUM_BASEMAP_BUILD', kind: 'basemapBuild', unit: 'start | request | off', doc: 'When the one-time basemap build runs (a child process, ≈ 1–3 min): "start" at startup, "request" at the first basemap tile request, "off" never (the coarse 10 km basemap only). Until it is built the coarse basemap is served.' },
  { key: 'ingestShareGroup', env: 'HEXIUM_INGEST_SHARE_GROUP', kind: 'string', unit: 'name', doc: 'With MQTT_URL: shared-subscription group so several oracles split ingest. Empty: plain subscription.' },
];

function parseFleets(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0 || i === part.length - 1) throw new UsageError(`fleet credential must be "id:secret", got "${part}"`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

function coerce(field: ConfigField, raw: unknown, source: string): unknown {
  const name = `${field.key} (${source})`;
  switch (field.kind) {
    case 'port':
    case 'int': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      const max = field.kind === 'port' ? 65535 : Number.MAX_SAFE_INTEGER;
      if (String(raw).trim() === '' || !Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${name} must be an integer in 0..${max}, got "${raw}"`);
      return n;
    }
    case 'fleets':
      if (typeof raw === 'string') return parseFleets(raw);
      if (typeof raw === 'object' && raw !== null && Object.values(raw).every((v) => typeof v === 'string')) return raw;
      throw new UsageError(`${name} must be an object { id: secret } or "id:secret,…"`);
    case 'params':
      if (typeof raw === 'string' || (typeof raw === 'object' && raw !== null && !Array.isArray(raw))) return raw;
      throw new UsageError(`${name} must be a profile name, a file path or an object`);
    case 'basemapBuild':
      if (raw === 'start' || raw === 'request' || raw === 'off') return raw;
      throw new UsageError(`${name} must be "start", "request" or "off", got "${String(raw)}"`);
    case 'nullable':
      if (raw === null || raw === '') return null;
      return String(raw);
    default:
      return String(raw);
  }
}

export interface ConfigSources {
  flags?: Partial<Record<string, string | undefined>>;
  env?: Record<string, string | undefined>;
  /** Config file path; defaults to flags.config ?? env.HEXIUM_CONFIG. */
  file?: string;
}

/** Merge defaults, the JSON config file, the environment and flags (later wins). */
export function loadConfig(src: ConfigSources): OracleConfig {
  const env = src.env ?? {};
  const flags = src.flags ?? {};
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const file = src.file ?? flags.config ?? env.HEXIUM_CONFIG;
  if (file) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`config file ${file} must hold a JSON object`);
    for (const [k, v] of Object.entries(data)) {
      const field = CONFIG_FIELDS.find((f) => f.key === k);
      if (!field) throw new UsageError(`config file ${file}: unknown field "${k}" (known: ${CONFIG_FIELDS.map((f) => f.key).join(', ')})`);
      out[k] = coerce(field, v, file);
    }
  }
  for (const field of CONFIG_FIELDS) {
    const e = env[field.env];
    if (e !== undefined) out[field.key] = coerce(field, e, field.env);
    const f = field.flag ? flags[field.flag] : undefined;
    if (f !== undefined) out[field.key] = coerce(field, f, `--${field.flag}`);
  }
  return out as unknown as OracleConfig;
}

/** Fill a partial config (programmatic use: tests, the simulator) with defaults. */
export function withDefaults(partial: Partial<OracleConfig>): OracleConfig {
  return { ...DEFAULT_CONFIG, ...partial, fleets: { ...(partial.fleets ?? {}) } };
}

/** Resolve the `params` field: a profile name, a JSON file of overrides, or an object of overrides. */
export function loadNetworkParams(p: OracleConfig['params']): NetworkParams {
  if (typeof p !== 'string') return resolveParams(p);
  if (p === 'helium' || p === 'demo') return resolveParams(p);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new UsageError(`params: "${p}" is neither a profile (helium, demo) nor a readable JSON file: ${(e as Error).message}`);
  }
  return resolveParams(data as Record<string, unknown>);
}

const SECRET_KEYS = new Set<keyof OracleConfig>(['adminToken', 'oracleKeySeedHex', 'metricsToken']);
const URL_KEYS = new Set<keyof OracleConfig>(['mqttUrl', 'databaseUrl']);

/**
 * A URL with its credentials masked (`mqtt://user:pw@host` → `mqtt://***:***@host`), for logs and
 * `print-config`. Anything that does not parse as a URL is masked whole.
 */
export function redactUrl(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    const u = new URL(raw);
    if (u.username) u.username = '***';
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return '<set>';
  }
}

/** The commented configuration (`oracle print-config`), secrets masked. */
export function describeConfig(cfg: OracleConfig): string {
  const lines = ['# Hexium oracle configuration (defaults < config file < environment < flags)', ''];
  for (const f of CONFIG_FIELDS) {
    let value: unknown = cfg[f.key];
    if (SECRET_KEYS.has(f.key) && value) value = '<set>';
    if (URL_KEYS.has(f.key)) value = redactUrl(value as string | null);
    if (f.key === 'fleets') value = Object.fromEntries(Object.keys(cfg.fleets).map((k) => [k, '<secret>']));
    lines.push(`# ${f.doc}`);
    lines.push(`#   unit: ${f.unit}; default: ${JSON.stringify(DEFAULT_CONFIG[f.key])}; env: ${f.env}${f.flag ? `; flag: --${f.flag}` : ''}`);
    lines.push(`${f.key} = ${JSON.stringify(value)}`, '');
  }
  return lines.join('\n');
}
