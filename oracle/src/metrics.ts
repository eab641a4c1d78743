/** Prometheus metrics of one oracle instance (own registry, so tests can run several oracles). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(defaults = false) {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    mqttRefused: new Counter({ name: 'hexium_mqtt_refused_total', help: 'MQTT connects, publishes and subscribes refused, per reason', labelNames: ['stage', 'reason'], registers: [registry] }),
    ingested: new Counter({ name: 'hexium_reports_ingested_total', help: 'Reports stored by ingest, per kind', labelNames: ['kind'], registers: [registry] }),
    ingestDropped: new Counter({ name: 'hexium_reports_dropped_total', help: 'Reports dropped by ingest, per reason', labelNames: ['reason'], registers: [registry] }),
    ingestLatency: new Histogram({ name: 'hexium_ingest_seconds', help: 'Arrival at the broker to stored (beacon and witness reports)', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    rounds: new Counter({ name: 'hexium_poc_rounds_total', help: 'Verified PoC rounds, per beacon status', labelNames: ['status'], registers: [registry] }),
    witnessVerdicts: new Counter({ name: 'hexium_witness_verdicts_total', help: 'Witness verdicts, per status and reason', labelNames: ['status', 'reason'], registers: [registry] }),
    epochsPaid: new Counter({ name: 'hexium_epochs_paid_total', help: 'Reward epochs written', registers: [registry] }),
    rewarderHeldBack: new Gauge({ name: 'hexium_rewarder_held_back_epoch', help: 'Epoch due but held back until the verifier and router have its data (0: none)', registers: [registry] }),
    lateShares: new Counter({ name: 'hexium_late_shares_total', help: 'Reward shares stored after their epoch was paid, moved to the next unpaid epoch, per kind', labelNames: ['kind'], registers: [registry] }),
    onlineHotspots: new Gauge({ name: 'hexium_hotspots_online', help: 'Hotspots marked online', registers: [registry] }),
    pendingReports: new Gauge({ name: 'hexium_verifier_pending_reports', help: 'Reports read from the log that no round has settled yet', registers: [registry] }),
    eventRelayRefused: new Counter({ name: 'hexium_event_relay_refused_total', help: 'Relayed events refused (several oracle processes), per reason', labelNames: ['reason'], registers: [registry] }),
    logDamage: new Counter({ name: 'hexium_report_log_damaged_total', help: 'Damaged or truncated report-log records skipped, per reason', labelNames: ['reason'], registers: [registry] }),
    httpRefused: new Counter({ name: 'hexium_http_refused_total', help: 'HTTP requests refused by a defence (rate limit, auth, Host allow-list, size), per route and reason', labelNames: ['route', 'reason'], registers: [registry] }),
    httpErrors: new Counter({ name: 'hexium_http_errors_total', help: 'HTTP responses with a 4xx or 5xx status, per route, status and the error code of the body', labelNames: ['route', 'status', 'code'], registers: [registry] }),
    eventLoopDelay: new Histogram({ name: 'hexium_event_loop_delay_seconds', help: 'How late a 20 ms timer on the oracle main thread fired (event-loop stalls; ingest waits behind them)', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    sseClients: new Gauge({ name: 'hexium_sse_clients', help: 'Open SSE streams', registers: [registry] }),
  };
  // A synchronous snapshot of every counter (OracleHandle.counters()), kept beside prom-client's.
  const snapshot = new Map<string, number>();
  for (const [key, c] of Object.entries(m)) {
    if (!(c instanceof Counter)) continue;
    const inc = c.inc.bind(c) as (a?: any, b?: any) => void;
    (c as any).inc = (a?: any, b?: any) => {
      inc(a, b);
      const labels = typeof a === 'object' && a !== null ? a : {};
      const by = typeof a === 'number' ? a : typeof b === 'number' ? b : 1;
      const name = Object.keys(labels).length ? `${key}.${Object.values(labels).join('.')}` : key;
      snapshot.set(name, (snapshot.get(name) ?? 0) + by);
    };
  }
  /**
   * The packet router's own counters, read at scrape time: `dropped_<reason>` (packets not bought, reasons
   * in docs/data-credits.md) as `hexium_router_packets_dropped_total{reason}`, and every counter by name as
   * `hexium_router_events_total{name}` (copies dropped before de-dup, forwarded packets, DC charged…).
   */
  const attachRouter = (read: () => Record<string, number>) => {
    new Counter({
      name: 'hexium_router_packets_dropped_total', help: 'Packets the router did not buy, per reason', labelNames: ['reason'], registers: [registry],
      collect() {
        this.reset();
        for (const [k, v] of Object.entries(read()).sort()) if (k.startsWith('dropped_')) this.inc({ reason: k.slice(8) }, v);
      },
    });
    new Counter({
      name: 'hexium_router_events_total', help: 'Packet router counters, per name', labelNames: ['name'], registers: [registry],
      collect() {
        this.reset();
        for (const [k, v] of Object.entries(read()).sort()) this.inc({ name: k }, v);
      },
    });
  };
  return { ...m, attachRouter, counters: (): Record<string, number> => Object.fromEntries([...snapshot].sort()) };
}

export type Metrics = ReturnType<typeof createMetrics>;
