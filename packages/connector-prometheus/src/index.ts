/**
 * @aisre/connector-prometheus: Prometheus and VictoriaMetrics HTTP API, Alertmanager webhooks: metrics and signals for the AI SRE
 *
 * @module
 */
export {};
