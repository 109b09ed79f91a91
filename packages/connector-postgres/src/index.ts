/**
 * `@aisre/connector-postgres`: PostgreSQL activity (sessions by state, idle in transaction, lock waits), locks
 * and blocking chains, pg_stat_database, settings, long transactions and connection use against
 * `max_connections`, as metrics named like postgres_exporter's, log records and model-callable tools; and an
 * actuator that terminates sessions idle in a transaction (`postgres.terminate-idle`, gated by policy).
 *
 * @module
 */
export { createPostgresConnector, presentToleranceMs } from './postgres-connector';
export { redactSqlLiterals } from './query-text-redaction';
export type { TerminateIdleParameters } from './terminate-idle-actuator';
export { terminateIdleActionType, terminateIdleParametersSchema } from './terminate-idle-actuator';
export type {
  PostgresClient,
  PostgresClientConfig,
  PostgresClientFactory,
  PostgresConnector,
  PostgresConnectorOptions,
  PostgresSamplingOptions,
  PostgresThresholds,
} from './types';
