import type { Labels } from '../contracts/common';
import type { ChangeKind } from '../contracts/telemetry';

/**
 * A metric the fault moves. `on: 'self'` reads the entity's own series; `on: 'callers'` reads the
 * client-side series its callers report about it (label `peer` = the entity).
 */
export interface MetricSignature {
  /** The metric name, as exporters and OpenTelemetry name it. */
  metric: string;
  /** Only series with these labels (e.g. `{ quantile: '0.99' }`). */
  labels?: Labels;
  /** Where to read it. */
  on: 'self' | 'callers';
  /** The direction the fault moves it. */
  direction: 'up' | 'down';
  /** `present`: the fault moves it; `absent`: the fault leaves it normal (a discriminator). */
  expect: 'present' | 'absent';
  /** P(this reading | the fault): how reliably the fault shows it. */
  sensitivity: number;
  /** P(not this reading | another cause): how rarely something else shows it. */
  specificity: number;
  /** Scale floor relative to the baseline level (default 0.05): changes smaller than this are noise. */
  relativeFloor?: number;
  /** Only for entities of these kinds (default: every kind the pattern strikes). */
  kinds?: string[];
  /** Summarise the recent window by its peak (bursts, restarts, OOM kills, a sawtooth) instead of its median. */
  aggregate?: 'median' | 'peak';
  /** Also read a sustained monotonic trend (gradual faults whose baseline is already drifting). */
  trend?: boolean;
  /**
   * Read utilization against a limit instead of a change: the recent level divided by the recent level of
   * the limit series (same entity); the reading is "observed" above `threshold`.
   */
  limit?: { metric: string; labels?: Labels; threshold: number };
}

/**
 * Log lines the fault writes. Matched case-insensitively as substrings of warn-or-worse lines: the entity's
 * own (`on: 'self'`, the default) or its callers' (`on: 'callers'`: the errors clients get back, such as
 * `OOM command not allowed` or `ETIMEDOUT`).
 */
export interface LogSignature {
  /** Whose lines to read (default `self`). */
  on?: 'self' | 'callers';
  /** Any of these substrings. */
  anyOf: string[];
  /** P(such a line | the fault). */
  sensitivity: number;
  /** P(no such line | another cause). */
  specificity: number;
}

/** Changes that precede the fault (a deploy before a bad release, a job run during contention). */
export interface ChangeSignature {
  /** Change kinds that count. */
  kinds: ChangeKind[];
  /** How long before the symptom onset a change still counts, milliseconds. */
  withinMs: number;
  /** For job runs: the run must overlap the symptom onset rather than precede it. */
  overlapping?: boolean;
  /** P(such a change | the fault). */
  sensitivity: number;
  /** P(no such change | another cause). */
  specificity: number;
}

/**
 * A known way things fail: the fault, the entity kinds it strikes, how common it is, and the telemetry
 * signature it leaves. The built-in library covers the mock connector's fault catalogue; users add their own
 * through {@link InvestigatorOptions.patterns}.
 */
export interface FailurePattern {
  /** The fault id, dotted (`redis.memory-fragmentation`). */
  fault: string;
  /** Entity kinds it strikes (`redis`, `postgres`, `service`, `external`, `cronjob`, `queue`). */
  entityKinds: string[];
  /** A title for reports. */
  title: string;
  /** The claim, with `{entity}` where the entity goes. */
  statement: string;
  /** Relative base rate among faults of the same entity kind (default 1). */
  baseRate: number;
  /** Whether it starts gradually (leaks, fragmentation) or abruptly (bad release). */
  onset: 'gradual' | 'abrupt';
  /** Metrics it moves. */
  metrics: MetricSignature[];
  /** Log lines it writes, or its callers write about it. */
  logs?: LogSignature | LogSignature[];
  /** Changes that precede it. */
  changes?: ChangeSignature;
}

const p99 = { quantile: '0.99' };
const serverLatency = (sensitivity: number, specificity: number): MetricSignature => ({
  metric: 'http_server_request_duration_seconds',
  labels: p99,
  kinds: ['service'],
  on: 'self',
  direction: 'up',
  expect: 'present',
  sensitivity,
  specificity,
});
const serverErrors = (sensitivity: number, specificity: number): MetricSignature => ({
  metric: 'http_server_requests_total',
  labels: { status: '5xx' },
  kinds: ['service'],
  on: 'self',
  direction: 'up',
  expect: 'present',
  sensitivity,
  specificity,
  relativeFloor: 0.2,
  aggregate: 'peak',
});
const up = (metric: string, sensitivity: number, specificity: number, labels?: Labels): MetricSignature => ({
  metric,
  ...(labels ? { labels } : {}),
  on: 'self',
  direction: 'up',
  expect: 'present',
  sensitivity,
  specificity,
});

const redisLatency = (sensitivity: number, specificity: number): MetricSignature => ({
  ...up('redis_latency_percentiles_usec', sensitivity, specificity),
  kinds: ['redis'],
});
const postgresQueryTime = (sensitivity: number, specificity: number): MetricSignature => ({
  ...up('pg_stat_statements_mean_exec_time_seconds', sensitivity, specificity),
  kinds: ['postgres'],
});

/** The built-in failure-pattern library. */
export const builtInFailurePatterns: readonly FailurePattern[] = [
  {
    fault: 'redis.memory-fragmentation',
    entityKinds: ['redis'],
    title: 'Redis memory fragmentation',
    statement: '{entity} is slowed by memory fragmentation: RSS far above the data set',
    baseRate: 1,
    onset: 'gradual',
    metrics: [
      { ...up('redis_mem_fragmentation_ratio', 0.95, 0.97), trend: true },
      up('redis_memory_used_rss_bytes', 0.8, 0.75),
      { ...up('redis_evicted_keys_total', 0.85, 0.6), expect: 'absent' },
    ],
  },
  {
    fault: 'redis.memory-pressure',
    entityKinds: ['redis'],
    title: 'Redis memory pressure and evictions',
    statement: '{entity} is at its memory limit and evicting keys',
    baseRate: 1,
    onset: 'gradual',
    metrics: [
      { ...up('redis_evicted_keys_total', 0.7, 0.95), relativeFloor: 0.2 },
      {
        ...up('redis_memory_used_bytes', 0.9, 0.9),
        limit: { metric: 'redis_memory_max_bytes', threshold: 0.9 },
      },
      up('redis_keyspace_misses_total', 0.6, 0.8),
    ],
    logs: [
      { anyOf: ['OOM command not allowed', 'maxmemory'], sensitivity: 0.4, specificity: 0.98 },
      {
        on: 'callers',
        anyOf: ['OOM command not allowed', 'used memory > '],
        sensitivity: 0.6,
        specificity: 0.99,
      },
    ],
  },
  {
    fault: 'db.connection-pool-saturation',
    entityKinds: ['postgres'],
    title: 'Database connection-pool saturation',
    statement: '{entity} has run out of connections: clients wait for or are refused a connection',
    baseRate: 1,
    onset: 'gradual',
    metrics: [
      {
        ...up('pg_stat_database_numbackends', 0.9, 0.95),
        limit: { metric: 'pg_settings_max_connections', threshold: 0.85 },
      },
      up('pg_stat_database_numbackends', 0.8, 0.8),
      up('pg_stat_activity_count', 0.7, 0.8, { state: 'idle in transaction' }),
      { ...up('db_client_connections_usage', 0.85, 0.85, { state: 'used' }), on: 'callers' },
    ],
    logs: [
      { anyOf: ['too many clients', 'remaining connection slots'], sensitivity: 0.6, specificity: 0.98 },
      {
        on: 'callers',
        anyOf: [
          'too many clients',
          'remaining connection slots',
          'connection pool exhausted',
          'timeout acquiring connection',
        ],
        sensitivity: 0.7,
        specificity: 0.98,
      },
    ],
  },
  {
    fault: 'db.slow-queries',
    entityKinds: ['postgres'],
    title: 'Slow queries (lock contention or a bad plan)',
    statement: '{entity} runs queries slowly: lock contention or a bad plan',
    baseRate: 1,
    onset: 'abrupt',
    metrics: [
      up('pg_stat_statements_mean_exec_time_seconds', 0.95, 0.8),
      up('pg_locks_count', 0.6, 0.8),
      up('pg_stat_activity_max_tx_duration', 0.7, 0.8),
      { ...up('pg_stat_database_numbackends', 0.6, 0.85), expect: 'absent' },
    ],
    logs: {
      anyOf: ['lock timeout', 'deadlock detected', 'canceling statement', 'slow query', 'duration:'],
      sensitivity: 0.6,
      specificity: 0.95,
    },
  },
  {
    fault: 'deploy.bad-release',
    entityKinds: ['service'],
    title: 'Bad release',
    statement: 'a bad release of {entity} causes errors or latency',
    baseRate: 1.2,
    onset: 'abrupt',
    metrics: [serverErrors(0.8, 0.85), serverLatency(0.5, 0.75)],
    changes: { kinds: ['deploy'], withinMs: 45 * 60_000, sensitivity: 0.97, specificity: 0.85 },
  },
  {
    fault: 'config.bad-change',
    entityKinds: ['service', 'redis', 'postgres'],
    title: 'Bad configuration change',
    statement: 'a configuration change to {entity} broke it',
    baseRate: 1,
    onset: 'abrupt',
    metrics: [
      serverErrors(0.7, 0.85),
      serverLatency(0.5, 0.75),
      redisLatency(0.6, 0.7),
      postgresQueryTime(0.6, 0.7),
    ],
    changes: { kinds: ['config'], withinMs: 45 * 60_000, sensitivity: 0.97, specificity: 0.9 },
  },
  {
    fault: 'cpu.saturation',
    entityKinds: ['service', 'redis', 'postgres'],
    title: 'CPU saturation',
    statement: '{entity} is CPU-bound: its containers use their whole CPU limit',
    baseRate: 1,
    onset: 'gradual',
    metrics: [
      {
        ...up('container_cpu_usage_seconds_total', 0.9, 0.92),
        limit: { metric: 'kube_pod_container_resource_limits', labels: { resource: 'cpu' }, threshold: 0.85 },
      },
      up('container_cpu_usage_seconds_total', 0.9, 0.6),
      serverLatency(0.8, 0.7),
      redisLatency(0.8, 0.6),
      postgresQueryTime(0.8, 0.6),
    ],
  },
  {
    fault: 'memory.leak',
    entityKinds: ['service'],
    title: 'Memory leak',
    statement: '{entity} leaks memory: working set grows until containers are OOM-killed and restart',
    baseRate: 1,
    onset: 'gradual',
    metrics: [
      { ...up('container_memory_working_set_bytes', 0.75, 0.9), trend: true },
      {
        ...up('container_memory_working_set_bytes', 0.8, 0.9),
        limit: {
          metric: 'kube_pod_container_resource_limits',
          labels: { resource: 'memory' },
          threshold: 0.8,
        },
        aggregate: 'peak',
      },
      { ...up('kube_pod_container_status_restarts_total', 0.4, 0.95), relativeFloor: 0.5, aggregate: 'peak' },
      { ...up('container_oom_events_total', 0.35, 0.97), relativeFloor: 0.5, aggregate: 'peak' },
    ],
    logs: {
      anyOf: ['OOMKilled', 'out of memory', 'heap out of memory', 'JavaScript heap'],
      sensitivity: 0.35,
      specificity: 0.97,
    },
  },
  {
    fault: 'disk.full',
    entityKinds: ['postgres', 'redis', 'service', 'queue'],
    title: 'Disk full',
    statement: "{entity}'s volume is full: writes fail",
    baseRate: 0.7,
    onset: 'gradual',
    metrics: [
      {
        ...up('kubelet_volume_stats_used_bytes', 0.95, 0.97),
        limit: { metric: 'kubelet_volume_stats_capacity_bytes', threshold: 0.9 },
      },
      { ...up('kubelet_volume_stats_used_bytes', 0.9, 0.9), trend: true },
    ],
    logs: {
      anyOf: ['No space left on device', 'ENOSPC', 'could not extend file', 'disk full'],
      sensitivity: 0.85,
      specificity: 0.99,
    },
  },
  {
    fault: 'network.latency',
    entityKinds: ['service'],
    title: 'Network latency',
    statement: 'calls into {entity} are slow on the network while {entity} itself is healthy',
    baseRate: 0.7,
    onset: 'abrupt',
    metrics: [
      {
        metric: 'http_client_request_duration_seconds',
        labels: p99,
        on: 'callers',
        direction: 'up',
        expect: 'present',
        sensitivity: 0.95,
        specificity: 0.7,
      },
      { ...serverLatency(0.9, 0.75), expect: 'absent' },
      { ...up('container_cpu_usage_seconds_total', 0.85, 0.3), expect: 'absent' },
    ],
  },
  {
    fault: 'dependency.timeout',
    entityKinds: ['external'],
    title: 'External dependency timing out',
    statement: 'the external dependency {entity} is slow or timing out',
    baseRate: 1,
    onset: 'abrupt',
    metrics: [
      {
        metric: 'http_client_request_duration_seconds',
        labels: p99,
        on: 'callers',
        direction: 'up',
        expect: 'present',
        sensitivity: 0.95,
        specificity: 0.85,
      },
      {
        metric: 'http_client_requests_total',
        labels: { status: 'timeout' },
        on: 'callers',
        direction: 'up',
        expect: 'present',
        sensitivity: 0.8,
        specificity: 0.95,
        relativeFloor: 0.2,
      },
    ],
    logs: {
      on: 'callers',
      anyOf: ['ETIMEDOUT', 'timed out', 'timeout', 'ECONNRESET', 'deadline exceeded'],
      sensitivity: 0.8,
      specificity: 0.9,
    },
  },
  {
    fault: 'cronjob.resource-contention',
    entityKinds: ['cronjob'],
    title: 'Scheduled job contending for a datastore',
    statement: 'the scheduled job {entity} loads the datastores it uses while it runs',
    baseRate: 0.8,
    onset: 'abrupt',
    metrics: [up('container_cpu_usage_seconds_total', 0.7, 0.7)],
    changes: {
      kinds: ['job-run'],
      withinMs: 30 * 60_000,
      overlapping: true,
      sensitivity: 0.95,
      specificity: 0.85,
    },
  },
];

/**
 * The failure patterns to use: the built-in library with `extra` added; an extra pattern with the same
 * `fault` replaces the built-in one.
 *
 * @param extra - patterns of the host's own
 */
export function resolveFailurePatterns(extra: readonly FailurePattern[] = []): FailurePattern[] {
  const byFault = new Map<string, FailurePattern>();
  for (const pattern of [...builtInFailurePatterns, ...extra]) byFault.set(pattern.fault, pattern);
  return [...byFault.values()];
}
