import type { Labels } from '@aisre/core';
import type { Simulation } from '../simulation/simulation';
import type { ModelEntity } from '../simulation/system-model';
import { countSeries, define, type SeriesDefinition } from './metric-definition';

const lockModes = [
  'AccessShareLock',
  'RowExclusiveLock',
  'ShareLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
];

/** redis_exporter series of a redis. */
export function redisSeries(entity: ModelEntity): SeriesDefinition[] {
  const state = (simulation: Simulation) => simulation.redis(entity.index);
  const gauge = (
    name: string,
    unit: string,
    help: string,
    values: (simulation: Simulation) => Float64Array,
  ) => define(entity, name, {}, 'gauge', unit, help, values);
  const commandShares: [string, number][] = [
    ['get', 0.62],
    ['set', 0.25],
    ['expire', 0.08],
    ['del', 0.05],
  ];
  const latencyShape: Record<string, number> = { get: 0.9, set: 1.1, expire: 0.8, del: 1 };
  return [
    gauge('redis_up', 'boolean', 'Whether the last scrape of redis succeeded.', (simulation) =>
      new Float64Array(simulation.model.stepCount).fill(1),
    ),
    gauge(
      'redis_memory_used_bytes',
      'bytes',
      'Memory used by the data set (used_memory).',
      (simulation) => state(simulation).usedBytes,
    ),
    gauge(
      'redis_memory_used_rss_bytes',
      'bytes',
      'Resident memory of the redis process (used_memory_rss).',
      (simulation) => state(simulation).rssBytes,
    ),
    gauge(
      'redis_memory_max_bytes',
      'bytes',
      'The maxmemory setting.',
      (simulation) => state(simulation).maxBytes,
    ),
    gauge(
      'redis_mem_fragmentation_ratio',
      'ratio',
      'used_memory_rss / used_memory.',
      (simulation) => state(simulation).fragmentation,
    ),
    countSeries(
      entity,
      'redis_evicted_keys_total',
      {},
      'keys/s',
      'Keys evicted because of maxmemory.',
      (simulation) => state(simulation).evictionsPerSecond,
    ),
    countSeries(
      entity,
      'redis_keyspace_hits_total',
      {},
      'keys/s',
      'Successful key lookups.',
      (simulation) => state(simulation).hitsPerSecond,
    ),
    countSeries(
      entity,
      'redis_keyspace_misses_total',
      {},
      'keys/s',
      'Failed key lookups.',
      (simulation) => state(simulation).missesPerSecond,
    ),
    gauge(
      'redis_connected_clients',
      'clients',
      'Client connections.',
      (simulation) => state(simulation).connectedClients,
    ),
    ...commandShares.map(([cmd, share]) =>
      countSeries(
        entity,
        'redis_commands_total',
        { cmd },
        'commands/s',
        'Commands processed, by command.',
        (simulation) => simulation.inboundRate(entity.index).map((rate) => rate * share),
      ),
    ),
    ...commandShares.map(([cmd]) =>
      define(
        entity,
        'redis_latency_percentiles_usec',
        { cmd, quantile: '99' },
        'gauge',
        'microseconds',
        'Command latency percentile (LATENCY / INFO latencystats).',
        (simulation) =>
          simulation
            .health(entity.index)
            .latency.p99.map((seconds) => seconds * 1e6 * (latencyShape[cmd] ?? 1)),
      ),
    ),
  ];
}

/** postgres_exporter series of a postgres. */
export function postgresSeries(entity: ModelEntity): SeriesDefinition[] {
  const state = (simulation: Simulation) => simulation.postgres(entity.index);
  const gauge = (
    name: string,
    labels: Labels,
    unit: string,
    help: string,
    values: (simulation: Simulation) => Float64Array,
  ) => define(entity, name, labels, 'gauge', unit, help, values);
  const states: [string, (simulation: Simulation) => Float64Array][] = [
    ['active', (simulation) => state(simulation).active],
    ['idle', (simulation) => state(simulation).idle],
    ['idle in transaction', (simulation) => state(simulation).idleInTransaction],
  ];
  return [
    gauge('pg_up', {}, 'boolean', 'Whether the last scrape of postgres succeeded.', (simulation) =>
      new Float64Array(simulation.model.stepCount).fill(1),
    ),
    ...states.map(([name, values]) =>
      gauge(
        'pg_stat_activity_count',
        { state: name },
        'connections',
        'Sessions by state (pg_stat_activity).',
        (simulation) => values(simulation).map(Math.round),
      ),
    ),
    gauge(
      'pg_settings_max_connections',
      {},
      'connections',
      'The max_connections setting.',
      (simulation) => state(simulation).maxConnections,
    ),
    gauge(
      'pg_stat_database_numbackends',
      {},
      'connections',
      'Backends connected to the database.',
      (simulation) => {
        const postgres = state(simulation);
        return postgres.active.map((active, step) =>
          Math.round(active + (postgres.idle[step] ?? 0) + (postgres.idleInTransaction[step] ?? 0)),
        );
      },
    ),
    ...lockModes.map((mode) =>
      gauge('pg_locks_count', { mode }, 'locks', 'Locks held or awaited, by mode (pg_locks).', (simulation) =>
        (state(simulation).locks[mode] ?? new Float64Array(0)).map(Math.round),
      ),
    ),
    gauge(
      'pg_stat_activity_max_tx_duration',
      {},
      'seconds',
      'Age of the oldest open transaction.',
      (simulation) => state(simulation).maxTransactionSeconds,
    ),
    countSeries(
      entity,
      'pg_stat_database_xact_commit',
      {},
      'transactions/s',
      'Transactions committed.',
      (simulation) => state(simulation).commitsPerSecond,
    ),
    countSeries(
      entity,
      'pg_stat_database_deadlocks',
      {},
      'deadlocks/s',
      'Deadlocks detected.',
      (simulation) => state(simulation).deadlocksPerSecond,
    ),
    gauge(
      'pg_database_size_bytes',
      {},
      'bytes',
      'Size of the database.',
      (simulation) => state(simulation).sizeBytes,
    ),
    gauge(
      'pg_stat_statements_mean_exec_time_seconds',
      {},
      'seconds',
      'Mean statement execution time (pg_stat_statements, over the last interval).',
      (simulation) => state(simulation).meanExecSeconds,
    ),
  ];
}

/** RabbitMQ series of a queue. */
export function queueSeries(entity: ModelEntity): SeriesDefinition[] {
  const state = (simulation: Simulation) => simulation.queue(entity.index);
  return [
    define(
      entity,
      'rabbitmq_queue_messages_ready',
      {},
      'gauge',
      'messages',
      'Messages ready for delivery (queue depth).',
      (simulation) => state(simulation).ready,
    ),
    countSeries(
      entity,
      'rabbitmq_queue_messages_published_total',
      {},
      'messages/s',
      'Messages published into the queue.',
      (simulation) => state(simulation).publishedPerSecond,
    ),
    countSeries(
      entity,
      'rabbitmq_queue_messages_delivered_total',
      {},
      'messages/s',
      'Messages delivered to consumers.',
      (simulation) => state(simulation).deliveredPerSecond,
    ),
    define(
      entity,
      'rabbitmq_queue_consumers',
      {},
      'gauge',
      'consumers',
      'Consumers attached to the queue.',
      (simulation) => state(simulation).consumers,
    ),
    define(
      entity,
      'queue_consumer_lag_seconds',
      {},
      'gauge',
      'seconds',
      'Age of the oldest message not yet consumed.',
      (simulation) => state(simulation).lagSeconds,
    ),
  ];
}

/** kube-state-metrics series of a cronjob. */
export function cronjobSeries(entity: ModelEntity): SeriesDefinition[] {
  return [
    define(
      entity,
      'kube_cronjob_status_active',
      {},
      'gauge',
      'jobs',
      'Jobs of the CronJob running.',
      (simulation) => simulation.jobActivity(entity.index).running,
    ),
    define(
      entity,
      'kube_job_status_active',
      {},
      'gauge',
      'pods',
      'Pods of the current Job running.',
      (simulation) => simulation.jobActivity(entity.index).running,
    ),
  ];
}
