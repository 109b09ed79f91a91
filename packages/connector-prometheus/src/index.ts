/**
 * @aisre/connector-prometheus: the Prometheus (and VictoriaMetrics) HTTP API as metrics, signals, topology
 * and model-callable tools, and an Alertmanager webhook receiver that turns alerts into signals.
 *
 * @module
 */
export { createAlertmanagerReceiver } from './alertmanager-receiver';
export { parseAlertmanagerWebhook } from './alertmanager-webhook';
export { createEntityMapper, defaultEntityTemplates } from './entity-mapping';
export { labelsFingerprint } from './label-fingerprint';
export { createPrometheusConnector } from './prometheus-connector';
export { defaultSeverities } from './severity-mapping';
export type {
  AlertmanagerReceiver,
  AlertmanagerReceiverOptions,
  AlertmanagerWebhookOptions,
  EntityMapper,
  EntityMappingOptions,
  PrometheusConnector,
  PrometheusConnectorOptions,
  PrometheusMappingOptions,
  SeverityMappingOptions,
  WebhookConversion,
  WebhookProblem,
  WebhookReceipt,
  WebhookRequest,
  WebhookResponse,
} from './types';
