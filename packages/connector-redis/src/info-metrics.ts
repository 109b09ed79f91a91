import type { EntityRef, Labels, MetricReading, MetricType } from '@aisre/core';
import { type InfoSections, infoNumber, parseInfoFields } from './info-parser';

/** One INFO field served as a metric, named as redis_exporter names it. */
interface FieldMetric {
  section: string;
  field: string;
  name: string;
  type: MetricType;
  unit: string;
  help: string;
  /** Multiplies the raw value (microseconds → seconds). */
  scale?: number;
}

const gauge = (section: string, field: string, name: string, unit: string, scale?: number): FieldMetric => ({
  section,
  field,
  name,
  type: 'gauge',
  unit,
  help: `${field} (INFO ${section})`,
  ...(scale === undefined ? {} : { scale }),
});

const counter = (
  section: string,
  field: string,
  name: string,
  unit: string,
  scale?: number,
): FieldMetric => ({
  ...gauge(section, field, name, unit, scale),
  type: 'counter',
  help: `${field} (INFO ${section}), served as a per-second rate`,
});

const microseconds = 1e-6;

/** The INFO fields served as metrics. Names and units follow redis_exporter; counters are per-second rates. */
const fieldMetrics: readonly FieldMetric[] = [
  gauge('server', 'uptime_in_seconds', 'redis_uptime_in_seconds', 'seconds'),
  gauge('server', 'io_threads_active', 'redis_io_threads_active', 'boolean'),
  gauge('clients', 'connected_clients', 'redis_connected_clients', 'clients'),
  gauge('clients', 'blocked_clients', 'redis_blocked_clients', 'clients'),
  gauge('clients', 'maxclients', 'redis_config_maxclients', 'clients'),
  gauge('clients', 'tracking_clients', 'redis_tracking_clients', 'clients'),
  gauge('clients', 'clients_in_timeout_table', 'redis_clients_in_timeout_table', 'clients'),
  gauge('clients', 'cluster_connections', 'redis_cluster_connections', 'connections'),
  gauge('clients', 'client_recent_max_input_buffer', 'redis_client_recent_max_input_buffer_bytes', 'bytes'),
  gauge('clients', 'client_recent_max_output_buffer', 'redis_client_recent_max_output_buffer_bytes', 'bytes'),
  gauge('memory', 'used_memory', 'redis_memory_used_bytes', 'bytes'),
  gauge('memory', 'used_memory_rss', 'redis_memory_used_rss_bytes', 'bytes'),
  gauge('memory', 'used_memory_peak', 'redis_memory_used_peak_bytes', 'bytes'),
  gauge('memory', 'used_memory_overhead', 'redis_memory_used_overhead_bytes', 'bytes'),
  gauge('memory', 'used_memory_startup', 'redis_memory_used_startup_bytes', 'bytes'),
  gauge('memory', 'used_memory_dataset', 'redis_memory_used_dataset_bytes', 'bytes'),
  gauge('memory', 'used_memory_lua', 'redis_memory_used_lua_bytes', 'bytes'),
  gauge('memory', 'used_memory_scripts', 'redis_memory_used_scripts_bytes', 'bytes'),
  gauge('memory', 'maxmemory', 'redis_memory_max_bytes', 'bytes'),
  gauge('memory', 'allocator_allocated', 'redis_allocator_allocated_bytes', 'bytes'),
  gauge('memory', 'allocator_active', 'redis_allocator_active_bytes', 'bytes'),
  gauge('memory', 'allocator_resident', 'redis_allocator_resident_bytes', 'bytes'),
  gauge('memory', 'allocator_frag_ratio', 'redis_allocator_frag_ratio', 'ratio'),
  gauge('memory', 'allocator_frag_bytes', 'redis_allocator_frag_bytes', 'bytes'),
  gauge('memory', 'allocator_rss_ratio', 'redis_allocator_rss_ratio', 'ratio'),
  gauge('memory', 'allocator_rss_bytes', 'redis_allocator_rss_bytes', 'bytes'),
  gauge('memory', 'mem_fragmentation_ratio', 'redis_mem_fragmentation_ratio', 'ratio'),
  gauge('memory', 'mem_fragmentation_bytes', 'redis_mem_fragmentation_bytes', 'bytes'),
  gauge('memory', 'mem_not_counted_for_evict', 'redis_mem_not_counted_for_eviction_bytes', 'bytes'),
  gauge('memory', 'mem_clients_slaves', 'redis_mem_clients_slaves', 'bytes'),
  gauge('memory', 'mem_clients_normal', 'redis_mem_clients_normal', 'bytes'),
  gauge('memory', 'number_of_cached_scripts', 'redis_number_of_cached_scripts', 'scripts'),
  gauge('memory', 'active_defrag_running', 'redis_active_defrag_running', 'boolean'),
  gauge('memory', 'lazyfree_pending_objects', 'redis_lazyfree_pending_objects', 'objects'),
  gauge('persistence', 'loading', 'redis_loading_dump_file', 'boolean'),
  gauge('persistence', 'rdb_changes_since_last_save', 'redis_rdb_changes_since_last_save', 'changes'),
  gauge('persistence', 'rdb_bgsave_in_progress', 'redis_rdb_bgsave_in_progress', 'boolean'),
  gauge('persistence', 'rdb_last_save_time', 'redis_rdb_last_save_timestamp_seconds', 'seconds'),
  gauge('persistence', 'rdb_last_bgsave_status', 'redis_rdb_last_bgsave_status', 'boolean'),
  gauge('persistence', 'rdb_last_bgsave_time_sec', 'redis_rdb_last_bgsave_duration_sec', 'seconds'),
  gauge('persistence', 'rdb_current_bgsave_time_sec', 'redis_rdb_current_bgsave_duration_sec', 'seconds'),
  gauge('persistence', 'rdb_last_cow_size', 'redis_rdb_last_cow_size_bytes', 'bytes'),
  counter('persistence', 'rdb_saves', 'redis_rdb_saves_total', 'saves/s'),
  gauge('persistence', 'aof_enabled', 'redis_aof_enabled', 'boolean'),
  gauge('persistence', 'aof_rewrite_in_progress', 'redis_aof_rewrite_in_progress', 'boolean'),
  gauge('persistence', 'aof_rewrite_scheduled', 'redis_aof_rewrite_scheduled', 'boolean'),
  gauge('persistence', 'aof_last_rewrite_time_sec', 'redis_aof_last_rewrite_duration_sec', 'seconds'),
  gauge('persistence', 'aof_current_rewrite_time_sec', 'redis_aof_current_rewrite_duration_sec', 'seconds'),
  gauge('persistence', 'aof_last_bgrewrite_status', 'redis_aof_last_bgrewrite_status', 'boolean'),
  gauge('persistence', 'aof_last_write_status', 'redis_aof_last_write_status', 'boolean'),
  gauge('persistence', 'aof_last_cow_size', 'redis_aof_last_cow_size_bytes', 'bytes'),
  gauge('persistence', 'aof_current_size', 'redis_aof_current_size_bytes', 'bytes'),
  gauge('persistence', 'aof_delayed_fsync', 'redis_aof_delayed_fsync', 'fsyncs'),
  gauge('persistence', 'module_fork_in_progress', 'redis_module_fork_in_progress', 'boolean'),
  counter('stats', 'total_connections_received', 'redis_connections_received_total', 'connections/s'),
  counter('stats', 'total_commands_processed', 'redis_commands_processed_total', 'commands/s'),
  counter('stats', 'rejected_connections', 'redis_rejected_connections_total', 'connections/s'),
  counter('stats', 'total_net_input_bytes', 'redis_net_input_bytes_total', 'bytes/s'),
  counter('stats', 'total_net_output_bytes', 'redis_net_output_bytes_total', 'bytes/s'),
  counter('stats', 'expired_keys', 'redis_expired_keys_total', 'keys/s'),
  counter('stats', 'evicted_keys', 'redis_evicted_keys_total', 'keys/s'),
  counter('stats', 'evicted_clients', 'redis_evicted_clients_total', 'clients/s'),
  counter('stats', 'keyspace_hits', 'redis_keyspace_hits_total', 'keys/s'),
  counter('stats', 'keyspace_misses', 'redis_keyspace_misses_total', 'keys/s'),
  counter('stats', 'total_error_replies', 'redis_total_error_replies', 'replies/s'),
  counter('stats', 'unexpected_error_replies', 'redis_unexpected_error_replies', 'replies/s'),
  counter('stats', 'total_reads_processed', 'redis_total_reads_processed', 'reads/s'),
  counter('stats', 'total_writes_processed', 'redis_total_writes_processed', 'writes/s'),
  counter('stats', 'expire_cycle_cpu_milliseconds', 'redis_expire_cycle_cpu_time_ms_total', 'ms/s'),
  gauge('stats', 'expired_stale_perc', 'redis_expired_stale_percentage', 'percent'),
  gauge('stats', 'expired_time_cap_reached_count', 'redis_expired_time_cap_reached_total', 'cycles'),
  gauge('stats', 'latest_fork_usec', 'redis_latest_fork_seconds', 'seconds', microseconds),
  gauge('stats', 'pubsub_channels', 'redis_pubsub_channels', 'channels'),
  gauge('stats', 'pubsub_patterns', 'redis_pubsub_patterns', 'patterns'),
  gauge('stats', 'active_defrag_hits', 'redis_defrag_hits', 'allocations'),
  gauge('stats', 'active_defrag_misses', 'redis_defrag_misses', 'allocations'),
  gauge('stats', 'active_defrag_key_hits', 'redis_defrag_key_hits', 'keys'),
  gauge('stats', 'active_defrag_key_misses', 'redis_defrag_key_misses', 'keys'),
  gauge('replication', 'connected_slaves', 'redis_connected_slaves', 'replicas'),
  gauge('replication', 'master_repl_offset', 'redis_master_repl_offset', 'bytes'),
  gauge('replication', 'repl_backlog_active', 'redis_repl_backlog_is_active', 'boolean'),
  gauge('replication', 'repl_backlog_size', 'redis_replication_backlog_bytes', 'bytes'),
  gauge('replication', 'repl_backlog_histlen', 'redis_repl_backlog_history_bytes', 'bytes'),
  gauge('replication', 'master_link_status', 'redis_master_link_up', 'boolean'),
  gauge('replication', 'master_last_io_seconds_ago', 'redis_master_last_io_seconds_ago', 'seconds'),
  gauge('replication', 'master_sync_in_progress', 'redis_master_sync_in_progress', 'boolean'),
  gauge('stats', 'sync_full', 'redis_replica_resyncs_full', 'resyncs'),
  gauge('stats', 'sync_partial_ok', 'redis_replica_partial_resync_accepted', 'resyncs'),
  gauge('stats', 'sync_partial_err', 'redis_replica_partial_resync_denied', 'resyncs'),
  counter('cpu', 'used_cpu_sys', 'redis_cpu_sys_seconds_total', 'seconds/s'),
  counter('cpu', 'used_cpu_user', 'redis_cpu_user_seconds_total', 'seconds/s'),
  counter('cpu', 'used_cpu_sys_children', 'redis_cpu_sys_children_seconds_total', 'seconds/s'),
  counter('cpu', 'used_cpu_user_children', 'redis_cpu_user_children_seconds_total', 'seconds/s'),
  counter('cpu', 'used_cpu_sys_main_thread', 'redis_cpu_sys_main_thread_seconds_total', 'seconds/s'),
  counter('cpu', 'used_cpu_user_main_thread', 'redis_cpu_user_main_thread_seconds_total', 'seconds/s'),
  gauge('cluster', 'cluster_enabled', 'redis_cluster_enabled', 'boolean'),
];

/** Fields of INFO server/memory/replication that become labels of `redis_instance_info`. */
const instanceLabels: readonly [section: string, field: string][] = [
  ['server', 'redis_version'],
  ['server', 'redis_mode'],
  ['server', 'os'],
  ['server', 'tcp_port'],
  ['replication', 'role'],
  ['memory', 'maxmemory_policy'],
];

/** Builds readings for one entity. */
function readingFactory(entity: EntityRef) {
  return (
    name: string,
    type: MetricType,
    unit: string,
    help: string,
    labels: Labels,
    value: number | null,
  ): MetricReading => ({ descriptor: { name, entity, type, unit, labels, help }, value });
}

/**
 * The metrics an `INFO all` reply holds, named as redis_exporter names them: the fields of every section,
 * `redis_db_keys{db}` and friends from keyspace, `redis_commands_total{cmd}` and friends from commandstats,
 * `redis_latency_percentiles_usec{cmd,quantile}` from latencystats, `redis_errors_total{err}` from errorstats,
 * `redis_instance_info{…}` and `redis_up`. Fields the server does not report are left out.
 *
 * @param sections - the parsed reply
 * @param entity - the instance's entity
 */
export function infoMetricReadings(sections: InfoSections, entity: EntityRef): MetricReading[] {
  const reading = readingFactory(entity);
  const readings: MetricReading[] = [reading('redis_up', 'gauge', 'boolean', 'INFO answered', {}, 1)];
  for (const metric of fieldMetrics) {
    const value = infoNumber(sections[metric.section]?.[metric.field]);
    if (value === undefined) continue;
    const scaled = metric.scale === undefined ? value : value * metric.scale;
    readings.push(reading(metric.name, metric.type, metric.unit, metric.help, {}, scaled));
  }
  const info: Labels = {};
  for (const [section, field] of instanceLabels) {
    const value = sections[section]?.[field];
    if (value !== undefined) info[field] = value;
  }
  readings.push(reading('redis_instance_info', 'gauge', 'info', 'server facts as labels (INFO)', info, 1));
  for (const [db, value] of Object.entries(sections.keyspace ?? {})) {
    const fields = parseInfoFields(value);
    const labels = { db };
    const keys = infoNumber(fields.keys);
    const expires = infoNumber(fields.expires);
    const ttl = infoNumber(fields.avg_ttl);
    if (keys !== undefined)
      readings.push(
        reading('redis_db_keys', 'gauge', 'keys', 'keys in the database (INFO keyspace)', labels, keys),
      );
    if (expires !== undefined)
      readings.push(
        reading(
          'redis_db_keys_expiring',
          'gauge',
          'keys',
          'keys with a TTL (INFO keyspace)',
          labels,
          expires,
        ),
      );
    if (ttl !== undefined)
      readings.push(
        reading(
          'redis_db_avg_ttl_seconds',
          'gauge',
          'seconds',
          'average TTL (INFO keyspace)',
          labels,
          ttl / 1000,
        ),
      );
  }
  for (const [field, value] of Object.entries(sections.commandstats ?? {})) {
    if (!field.startsWith('cmdstat_')) continue;
    const labels = { cmd: field.slice('cmdstat_'.length) };
    const fields = parseInfoFields(value);
    const calls = infoNumber(fields.calls);
    const usec = infoNumber(fields.usec);
    const rejected = infoNumber(fields.rejected_calls);
    const failed = infoNumber(fields.failed_calls);
    if (calls !== undefined)
      readings.push(
        reading(
          'redis_commands_total',
          'counter',
          'commands/s',
          'calls by command (INFO commandstats)',
          labels,
          calls,
        ),
      );
    if (usec !== undefined)
      readings.push(
        reading(
          'redis_commands_duration_seconds_total',
          'counter',
          'seconds/s',
          'time spent by command (INFO commandstats)',
          labels,
          usec * microseconds,
        ),
      );
    if (rejected !== undefined)
      readings.push(
        reading(
          'redis_commands_rejected_calls_total',
          'counter',
          'commands/s',
          'calls refused before running, by command (INFO commandstats)',
          labels,
          rejected,
        ),
      );
    if (failed !== undefined)
      readings.push(
        reading(
          'redis_commands_failed_calls_total',
          'counter',
          'commands/s',
          'calls that failed while running, by command (INFO commandstats)',
          labels,
          failed,
        ),
      );
  }
  for (const [field, value] of Object.entries(sections.latencystats ?? {})) {
    if (!field.startsWith('latency_percentiles_usec_')) continue;
    const cmd = field.slice('latency_percentiles_usec_'.length);
    for (const [percentile, text] of Object.entries(parseInfoFields(value))) {
      const latency = infoNumber(text);
      if (latency === undefined || !percentile.startsWith('p')) continue;
      readings.push(
        reading(
          'redis_latency_percentiles_usec',
          'gauge',
          'microseconds',
          'command latency percentile since the server started or CONFIG RESETSTAT (INFO latencystats)',
          { cmd, quantile: percentile.slice(1) },
          latency,
        ),
      );
    }
  }
  for (const [field, value] of Object.entries(sections.errorstats ?? {})) {
    if (!field.startsWith('errorstat_')) continue;
    const count = infoNumber(parseInfoFields(value).count);
    if (count === undefined) continue;
    readings.push(
      reading(
        'redis_errors_total',
        'counter',
        'errors/s',
        'error replies by error prefix (INFO errorstats)',
        { err: field.slice('errorstat_'.length) },
        count,
      ),
    );
  }
  return readings;
}
