import {
  type CallContext,
  createMetricSampler,
  type LogQuery,
  type LogRecord,
  type LogsCapability,
  logQuerySchema,
  type MetricSampler,
  type MetricsCapability,
  metricListQuerySchema,
  metricRangeQuerySchema,
  parseWith,
  silentLogger,
  systemClock,
  throwIfAborted,
} from '@aisre/core';
import { atLeast, ConnectionFailureLog, defaultThresholds, presentStateRecords } from './activity-logs';
import { resolveConnection } from './connection-options';
import { defaultMetricSettings, readMetricReadings } from './metric-readings';
import { createPgClient } from './pg-client';
import { moduleName } from './postgres-errors';
import { PostgresReader } from './postgres-reader';
import { PostgresSession } from './postgres-session';
import { createPostgresTools } from './postgres-tools';
import { createTerminateIdleActuator } from './terminate-idle-actuator';
import type { PostgresConnector, PostgresConnectorOptions } from './types';

/** A log window whose end lies within this much of now still counts as including now, milliseconds. */
export const presentToleranceMs = 60_000;

/**
 * Creates a connector to one PostgreSQL server (10 or later): metrics named as postgres_exporter names them
 * (sessions by state, the oldest transaction, lock waiters, pg_stat_database, locks by mode, settings,
 * connection use against `max_connections`), log records for long and idle-in-transaction sessions and lock
 * waits, model-callable tools, and an actuator for `postgres.terminate-idle`.
 *
 * Everything reads through one persistent connection, opened at creation and re-opened when lost, so the
 * connector can still observe a server whose connections are exhausted. When no connection can be opened,
 * readings fail with a retryable `ConnectorError` that says so.
 *
 * @param options - connection, entity, timeouts, thresholds; unset ones come from the environment
 * @throws `InvalidInputError` (from `@aisre/core`) when an option or an environment variable is malformed
 */
export function createPostgresConnector(options: PostgresConnectorOptions = {}): PostgresConnector {
  const environment = options.env ?? process.env;
  const resolved = resolveConnection(options, environment);
  const name = options.name ?? 'postgres';
  const clock = options.clock ?? systemClock;
  const { entity } = resolved;
  const failures = new ConnectionFailureLog();
  const session = new PostgresSession({
    connector: name,
    target: resolved.target,
    clientConfig: resolved.clientConfig,
    statementTimeoutMs: resolved.statementTimeoutMs,
    createClient: options.createClient ?? createPgClient,
    logger: options.logger ?? silentLogger,
    onConnectFailure: (failure, cause) => failures.add(failure, cause, entity, clock.now()),
  });
  const reader = new PostgresReader({
    connector: name,
    entity,
    session,
    queryTextLength: options.queryTextLength ?? 200,
    thresholds: { ...defaultThresholds, ...options.thresholds },
  });
  const settings = options.settings ?? defaultMetricSettings;
  const sampling = createMetricSampler({
    source: moduleName,
    clock,
    ...(options.sampling?.retentionMs !== undefined ? { retentionMs: options.sampling.retentionMs } : {}),
    ...(options.sampling?.freshnessMs !== undefined ? { freshnessMs: options.sampling.freshnessMs } : {}),
    read: (context) => readMetricReadings({ session, connector: name, entity, settings }, context.signal),
  });
  const loops = new Set<() => void>();
  const sampler: MetricSampler = {
    metrics: sampling.metrics,
    sample: (context) => sampling.sample(context),
    start(loop) {
      const stopLoop = sampling.start(loop);
      const stop = () => {
        loops.delete(stop);
        stopLoop();
      };
      loops.add(stop);
      return stop;
    },
    get readingCount() {
      return sampling.readingCount;
    },
  };

  const metrics: MetricsCapability = {
    async list(query, context) {
      throwIfAborted(context.signal, `${moduleName}: metrics.list`);
      const valid = parseWith(metricListQuerySchema, query, `${moduleName}: metrics.list query`);
      if (valid.entity !== undefined && valid.entity !== entity) return [];
      return sampling.metrics.list(query, context);
    },
    async range(query, context) {
      throwIfAborted(context.signal, `${moduleName}: metrics.range`);
      const valid = parseWith(metricRangeQuerySchema, query, `${moduleName}: metrics.range query`);
      if (valid.entity !== undefined && valid.entity !== entity) return [];
      return sampling.metrics.range(query, context);
    },
  };

  const logs: LogsCapability = {
    async search(query: LogQuery, context: CallContext): Promise<LogRecord[]> {
      throwIfAborted(context.signal, `${moduleName}: logs.search`);
      const valid = parseWith(logQuerySchema, query, `${moduleName}: logs.search query`);
      if (valid.entity !== undefined && valid.entity !== entity) return [];
      const now = clock.now();
      const records = failures.between(valid.start, valid.end);
      if (valid.start <= now && valid.end >= now - presentToleranceMs) {
        const { sessions, chains } = await reader.sessions(context.signal);
        records.push(...presentStateRecords(sessions, chains, reader.thresholds, entity, now));
      }
      const needle = valid.text?.toLowerCase();
      const matching = records.filter(
        (record) =>
          atLeast(record.level, valid.minLevel) && (!needle || record.message.toLowerCase().includes(needle)),
      );
      matching.sort((left, right) => Date.parse(right.at) - Date.parse(left.at));
      return matching.slice(0, valid.limit ?? matching.length);
    },
  };

  if (options.connectAtStart !== false) session.open().catch(() => undefined);

  return {
    name,
    entity,
    sampler,
    tools: createPostgresTools(reader),
    capabilities: { metrics, logs, actuator: createTerminateIdleActuator(reader) },
    connect(connectOptions = {}) {
      return session.open(connectOptions.signal);
    },
    async close() {
      for (const stop of [...loops]) stop();
      await session.close();
    },
  };
}
