import { createMetricsCapability } from './metrics-capability';
import { PrometheusApi } from './prometheus-api';
import { resolvePrometheusSettings } from './prometheus-settings';
import { createPrometheusTools } from './prometheus-tools';
import { createSignalsCapability } from './signals-capability';
import { createTopologyCapability } from './topology-capability';
import type { PrometheusConnector, PrometheusConnectorOptions } from './types';

/**
 * Creates a connector to Prometheus or VictoriaMetrics (or Thanos, Mimir, Cortex: the same HTTP API).
 *
 * - `metrics`: `list` the metrics of an entity (type, unit and help from the metadata API), `range` one metric
 *   of an entity (counters as per-second rates, histograms as quantiles);
 * - `signals`: the alerts firing in a window (the `ALERTS` series, with starts and fingerprints matching
 *   Alertmanager's);
 * - `topology`: the entities of the scrape targets, with their health;
 * - tools: `prometheus_query`, `prometheus_query_range`, `prometheus_series`, `prometheus_label_values`,
 *   `prometheus_metadata`, `prometheus_alerts`, `prometheus_rules`.
 *
 * Labels map to entity refs through `entities` (see {@link EntityMappingOptions}). Every call is time-limited
 * (`timeoutMs`) and retried on 408, 429, 5xx and network errors; failures are `ConnectorError`s, bad input
 * `InvalidInputError`s, aborts `CancelledError`s.
 *
 * @param options - base URL, credentials, mapping and limits; each falls back to its environment variable
 *   (`PROMETHEUS_URL`, `PROMETHEUS_BEARER_TOKEN`, `PROMETHEUS_USERNAME`, `PROMETHEUS_PASSWORD`,
 *   `PROMETHEUS_TIMEOUT_MS`), then its default
 * @throws InvalidInputError for unknown or malformed options
 */
export function createPrometheusConnector(options: PrometheusConnectorOptions = {}): PrometheusConnector {
  const settings = resolvePrometheusSettings(options);
  const api = new PrometheusApi(settings.http);
  return {
    name: settings.name,
    baseURL: settings.http.baseURL,
    tools: createPrometheusTools(api, settings),
    capabilities: {
      metrics: createMetricsCapability(api, settings),
      signals: createSignalsCapability(api, settings),
      topology: createTopologyCapability(api, settings),
    },
  };
}
