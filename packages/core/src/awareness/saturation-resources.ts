import type { SaturationResource } from './types';

const mebibyte = 1_048_576;
const gibibyte = 1_073_741_824;

/**
 * The built-in forecast catalogue: what can run out on each kind of entity, the series that shows it
 * (exporter names), and where its limit comes from (a limit series, else a topology attribute).
 *
 * | resource | kinds | used | limit | load-driven | at the limit |
 * | --- | --- | --- | --- | --- | --- |
 * | `redis-memory` | redis | `redis_memory_used_bytes` | `redis_memory_max_bytes`, `maxMemoryMb` | yes | outage |
 * | `redis-resident-memory` | redis | `redis_memory_used_rss_bytes` | `kube_pod_container_resource_limits{resource="memory"}`, `memoryLimitMb` | yes | outage |
 * | `postgres-connections` | postgres | `pg_stat_database_numbackends` (sum) | `pg_settings_max_connections`, `maxConnections` | level | outage |
 * | `queue-backlog` | queue | `rabbitmq_queue_messages_ready` | `maxLength`, `maxMessages` | yes | outage |
 * | `container-memory` | service, cronjob | `container_memory_working_set_bytes` (max) | `kube_pod_container_resource_limits{resource="memory"}`, `memoryLimitMb` | yes | restart |
 * | `volume` | postgres, redis, queue, service | `kubelet_volume_stats_used_bytes` (max) | `kubelet_volume_stats_capacity_bytes`, `volumeCapacityGb` | no | outage |
 */
export const defaultSaturationResources: readonly SaturationResource[] = [
  {
    name: 'redis-memory',
    title: 'memory',
    entityKinds: ['redis'],
    used: { metric: 'redis_memory_used_bytes' },
    aggregate: 'max',
    limit: {
      metric: 'redis_memory_max_bytes',
      attributes: [
        { name: 'maxMemoryMb', scale: mebibyte },
        { name: 'maxMemoryBytes', scale: 1 },
      ],
    },
    loadDriven: true,
    breach: 'outage',
  },
  {
    // The kernel kills on resident memory, not on the data set: fragmentation grows RSS while used memory stays.
    name: 'redis-resident-memory',
    title: 'resident memory',
    entityKinds: ['redis'],
    used: { metric: 'redis_memory_used_rss_bytes' },
    aggregate: 'max',
    limit: {
      metric: 'kube_pod_container_resource_limits',
      labels: { resource: 'memory' },
      attributes: [
        { name: 'memoryLimitMb', scale: mebibyte },
        { name: 'memoryLimitBytes', scale: 1 },
      ],
    },
    loadDriven: true,
    // Killed on it, a Redis loses its data set: every caller misses at once.
    breach: 'outage',
  },
  {
    name: 'postgres-connections',
    title: 'connections',
    entityKinds: ['postgres'],
    used: { metric: 'pg_stat_database_numbackends' },
    aggregate: 'sum',
    limit: { metric: 'pg_settings_max_connections', attributes: [{ name: 'maxConnections', scale: 1 }] },
    loadDriven: true,
    // Connections in use follow the traffic of the moment; a pool that leaks them grows with time instead.
    load: 'level',
    breach: 'outage',
  },
  {
    name: 'queue-backlog',
    title: 'backlog',
    entityKinds: ['queue'],
    used: { metric: 'rabbitmq_queue_messages_ready' },
    aggregate: 'sum',
    limit: {
      attributes: [
        { name: 'maxLength', scale: 1 },
        { name: 'maxMessages', scale: 1 },
      ],
    },
    loadDriven: true,
    breach: 'outage',
  },
  {
    name: 'container-memory',
    title: 'container memory',
    entityKinds: ['service', 'cronjob'],
    used: { metric: 'container_memory_working_set_bytes' },
    aggregate: 'max',
    limit: {
      metric: 'kube_pod_container_resource_limits',
      labels: { resource: 'memory' },
      attributes: [
        { name: 'memoryLimitMb', scale: mebibyte },
        { name: 'memoryLimitBytes', scale: 1 },
      ],
    },
    loadDriven: true,
    // The pod is OOM-killed and restarted by the platform: a stateless service recovers by itself.
    breach: 'restart',
  },
  {
    name: 'volume',
    title: 'disk',
    entityKinds: ['postgres', 'redis', 'queue', 'service'],
    used: { metric: 'kubelet_volume_stats_used_bytes' },
    aggregate: 'max',
    limit: {
      metric: 'kubelet_volume_stats_capacity_bytes',
      attributes: [
        { name: 'volumeCapacityGb', scale: gibibyte },
        { name: 'volumeCapacityBytes', scale: 1 },
      ],
    },
    loadDriven: false,
    breach: 'outage',
  },
];

/**
 * The resources to forecast: the built-in catalogue with `extra` added; an extra resource with the same
 * `name` replaces the built-in one.
 *
 * @param extra - resources of the host's own
 */
export function resolveSaturationResources(extra: readonly SaturationResource[] = []): SaturationResource[] {
  const byName = new Map<string, SaturationResource>();
  for (const resource of [...defaultSaturationResources, ...extra]) byName.set(resource.name, resource);
  return [...byName.values()];
}
