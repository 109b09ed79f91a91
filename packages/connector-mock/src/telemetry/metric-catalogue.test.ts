import { createCallContext } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createMockConnector } from '../connector/mock-connector';
import { sampleScenario } from '../fixtures/sample-scenarios';

const container = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_oom_events_total',
  'kube_pod_container_resource_limits',
  'kube_pod_container_status_restarts_total',
];
const volume = ['kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_used_bytes'];
const httpClient = ['http_client_request_duration_seconds', 'http_client_requests_total'];
const httpServer = ['http_server_request_duration_seconds', 'http_server_requests_total'];
const databaseClient = [
  'db_client_connections_max',
  'db_client_connections_usage',
  'db_client_operation_duration_seconds',
];

const expected: Record<string, string[]> = {
  'service:shop/frontend': [...httpServer, ...httpClient, ...container, ...volume],
  'service:shop/payments': [...httpServer, ...httpClient, ...databaseClient, ...container, ...volume],
  'service:shop/fulfilment': [...httpClient, ...databaseClient, ...container, ...volume],
  'redis:shop/session-cache': [
    'redis_up',
    'redis_memory_used_bytes',
    'redis_memory_used_rss_bytes',
    'redis_memory_max_bytes',
    'redis_mem_fragmentation_ratio',
    'redis_evicted_keys_total',
    'redis_keyspace_hits_total',
    'redis_keyspace_misses_total',
    'redis_connected_clients',
    'redis_commands_total',
    'redis_latency_percentiles_usec',
    ...container,
    ...volume,
  ],
  'postgres:shop/payments-db': [
    'pg_up',
    'pg_stat_activity_count',
    'pg_settings_max_connections',
    'pg_stat_database_numbackends',
    'pg_locks_count',
    'pg_stat_activity_max_tx_duration',
    'pg_stat_database_xact_commit',
    'pg_stat_database_deadlocks',
    'pg_database_size_bytes',
    'pg_stat_statements_mean_exec_time_seconds',
    ...container,
    ...volume,
  ],
  'queue:shop/order-events': [
    'rabbitmq_queue_messages_ready',
    'rabbitmq_queue_messages_published_total',
    'rabbitmq_queue_messages_delivered_total',
    'rabbitmq_queue_consumers',
    'queue_consumer_lag_seconds',
  ],
  'cronjob:shop/nightly-export': [
    'kube_cronjob_status_active',
    'kube_job_status_active',
    'container_cpu_usage_seconds_total',
    'container_memory_working_set_bytes',
    'kube_pod_container_resource_limits',
    ...httpClient,
  ],
  'external:shop/card-gateway': [],
};

describe('metric catalogue', () => {
  it('emits the exporter and OpenTelemetry names per kind, each series labelled with its entity', async () => {
    const connector = createMockConnector(sampleScenario());
    const context = createCallContext({ clock: connector });
    for (const [entity, names] of Object.entries(expected)) {
      const descriptors =
        (await connector.capabilities.metrics?.list(
          { entity: entity as `${string}:${string}/${string}` },
          context,
        )) ?? [];
      expect(new Set(descriptors.map((descriptor) => descriptor.name)), entity).toEqual(new Set(names));
      for (const descriptor of descriptors) expect(descriptor.entity).toBe(entity);
    }
  });

  it('labels quantiles, statuses, peers, states, modes and commands as documented', async () => {
    const connector = createMockConnector(sampleScenario());
    const context = createCallContext({ clock: connector });
    const labels = async (entity: `${string}:${string}/${string}`, name: string) =>
      ((await connector.capabilities.metrics?.list({ entity }, context)) ?? [])
        .filter((descriptor) => descriptor.name === name)
        .map((descriptor) => descriptor.labels);
    expect(await labels('service:shop/frontend', 'http_server_request_duration_seconds')).toEqual([
      { quantile: '0.5' },
      { quantile: '0.95' },
      { quantile: '0.99' },
    ]);
    expect(await labels('service:shop/frontend', 'http_server_requests_total')).toEqual([
      { status: '2xx' },
      { status: '5xx' },
    ]);
    expect(await labels('service:shop/payments', 'http_client_requests_total')).toContainEqual({
      peer: 'external:shop/card-gateway',
      status: 'timeout',
    });
    expect(await labels('service:shop/payments', 'db_client_connections_usage')).toEqual([
      { peer: 'postgres:shop/payments-db', state: 'used' },
      { peer: 'postgres:shop/payments-db', state: 'idle' },
    ]);
    expect(await labels('postgres:shop/payments-db', 'pg_stat_activity_count')).toEqual([
      { state: 'active' },
      { state: 'idle' },
      { state: 'idle in transaction' },
    ]);
    expect((await labels('postgres:shop/payments-db', 'pg_locks_count')).length).toBe(5);
    expect(await labels('redis:shop/session-cache', 'redis_latency_percentiles_usec')).toContainEqual({
      cmd: 'get',
      quantile: '99',
    });
    expect(await labels('service:shop/frontend', 'kube_pod_container_resource_limits')).toEqual([
      { resource: 'cpu' },
      { resource: 'memory' },
    ]);
    const counters = ((await connector.capabilities.metrics?.list({}, context)) ?? []).filter((descriptor) =>
      descriptor.name.endsWith('_total'),
    );
    for (const counter of counters) expect(counter.type, counter.name).toBe('counter');
  });
});
