import {
  createMetricSampler,
  type MetricSampler,
  type MetricsCapability,
  metricListQuerySchema,
  metricRangeQuerySchema,
  parseWith,
  systemClock,
  throwIfAborted,
} from '@aisre/core';
import { createConfigSetActuator } from './config-set-actuator';
import { resolveConnectionSettings } from './connection-settings';
import { infoTool, latencyTool, slowlogTool } from './diagnostic-tools';
import { createMetricReader } from './metric-reader';
import { createRedisLogs } from './redis-logs';
import { createIoredisClient, createRedisSession } from './redis-session';
import { clientListTool, configGetTool, memoryStatsTool } from './state-tools';
import type { RedisConnector, RedisConnectorOptions } from './types';

/**
 * The sampler's metrics, answering queries about other entities at once (empty) instead of reading INFO:
 * an investigation asks every connector about every entity it looks at.
 */
function ownMetrics(sampler: MetricSampler, entity: string): MetricsCapability {
  return {
    async list(query, context) {
      const valid = parseWith(metricListQuerySchema, query, 'connector-redis: metrics.list query');
      throwIfAborted(context.signal, 'connector-redis: metrics.list');
      return valid.entity !== undefined && valid.entity !== entity
        ? []
        : sampler.metrics.list(query, context);
    },
    async range(query, context) {
      const valid = parseWith(metricRangeQuerySchema, query, 'connector-redis: metrics.range query');
      throwIfAborted(context.signal, 'connector-redis: metrics.range');
      return valid.entity !== undefined && valid.entity !== entity
        ? []
        : sampler.metrics.range(query, context);
    },
  };
}

/**
 * Creates a connector to one Redis server (standalone or a single node of a cluster):
 *
 * - `metrics`: every `INFO all` field as redis_exporter names it (`redis_memory_used_bytes`,
 *   `redis_memory_max_bytes`, `redis_mem_fragmentation_ratio`, `redis_evicted_keys_total`,
 *   `redis_connected_clients`, `redis_commands_total{cmd}`, `redis_latency_percentiles_usec{cmd,quantile}`, …),
 *   plus the slowlog's length and the latency monitor's spikes. Redis only knows its present, so a
 *   {@link RedisConnector.sampler | sampler} keeps the readings and serves counters as per-second rates; a
 *   query reads INFO when the newest reading is stale, and `sampler.start({ intervalMs })` samples in the
 *   background.
 * - `logs`: SLOWLOG entries and latency spikes, with the server's timestamps and redacted arguments.
 * - `actuator`: `redis.config-set` of an allowlist of parameters, with dry runs and read-back.
 * - tools: `redis_info`, `redis_slowlog`, `redis_latency`, `redis_config_get` (secrets redacted),
 *   `redis_client_list` (summarised) and `redis_memory_stats`.
 *
 * Creating it does not connect: the first call does, and each call makes one attempt (no background
 * reconnects, no offline queue). Every failure is a `ConnectorError` saying what to do; bad input is an
 * `InvalidInputError`.
 *
 * @param options - the server, the entity, timeouts, the clock; each falls back to its environment variable
 * @throws `InvalidInputError` (from `@aisre/core`) when an option or environment variable is malformed
 */
export function createRedisConnector(options: RedisConnectorOptions = {}): RedisConnector {
  const settings = resolveConnectionSettings(options);
  const session = createRedisSession(settings, options.createClient ?? createIoredisClient);
  const { entity } = settings;
  const sampler = createMetricSampler({
    source: 'connector-redis',
    read: createMetricReader(session, entity),
    clock: options.clock ?? systemClock,
    // INFO lists a command (commandstats) or an error (errorstats) only once it has happened.
    absentCountersAreZero: true,
    ...(options.retentionMs === undefined ? {} : { retentionMs: options.retentionMs }),
    ...(options.freshnessMs === undefined ? {} : { freshnessMs: options.freshnessMs }),
  });
  const metrics = ownMetrics(sampler, entity);
  const loops: (() => void)[] = [];
  const start: typeof sampler.start = (loop) => {
    const stop = sampler.start(loop);
    loops.push(stop);
    return stop;
  };
  return {
    name: settings.name,
    entity,
    sampler: {
      metrics,
      sample: (context) => sampler.sample(context),
      start,
      get readingCount() {
        return sampler.readingCount;
      },
    },
    tools: [
      infoTool(session, entity),
      slowlogTool(session, entity, settings.slowlogArguments),
      latencyTool(session, entity),
      configGetTool(session, entity),
      clientListTool(session, entity),
      memoryStatsTool(session, entity),
    ],
    capabilities: {
      metrics,
      logs: createRedisLogs(session, entity, settings),
      actuator: createConfigSetActuator(session, entity),
    },
    async close() {
      for (const stop of loops.splice(0)) stop();
      await session.close();
    },
  };
}
