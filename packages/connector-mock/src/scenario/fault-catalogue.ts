import type { FaultTypeDescriptor, ParameterDescriptor } from '../types';

const ramp = (
  fallback: number,
  what = 'Minutes from the start until the fault is at full strength',
): ParameterDescriptor => ({
  name: 'rampMinutes',
  description: what,
  kind: 'number',
  default: fallback,
  minimum: 0,
  maximum: 1440,
  unit: 'minutes',
});

const number = (
  name: string,
  fallback: number,
  minimum: number,
  maximum: number,
  description: string,
  unit?: string,
): ParameterDescriptor => ({
  name,
  description,
  kind: 'number',
  default: fallback,
  minimum,
  maximum,
  ...(unit ? { unit } : {}),
});

/**
 * The fault catalogue: every fault type a scenario may use, the entry kinds it fits, its parameters with
 * their defaults, the telemetry it produces, how it spreads, and the remediation actions that end it.
 */
export const faultTypes: readonly FaultTypeDescriptor[] = [
  {
    type: 'redis.memory-fragmentation',
    summary: 'The allocator fragments: RSS grows far above the data set and commands slow down.',
    targetKinds: ['redis'],
    onset: 'gradual',
    telemetry:
      '`redis_mem_fragmentation_ratio` climbs from about 1.1 to `ratio`; `redis_memory_used_rss_bytes` and the container working set follow while `redis_memory_used_bytes` stays flat and there are no evictions; `redis_latency_percentiles_usec` rises by `latencyMultiplier`; a few client-side command timeouts.',
    spread:
      'Callers see slower calls (client p99 to the redis) and a small share of `Command timed out` errors (`callerErrorRatio`), which add to their latency and 5xx with damping, up the call chain.',
    mitigations: [
      '`redis.config-set` with `{ parameter: "activedefrag", value: "yes" }` (recovers over about 15 minutes)',
      '`redis.memory-purge` (recovers over about 3 minutes)',
    ],
    params: [
      number('ratio', 1.9, 1.2, 5, 'Fragmentation ratio (RSS / used memory) at full strength'),
      ramp(60),
      number(
        'latencyMultiplier',
        2.9,
        1,
        200,
        'Command latency at full strength relative to normal (tens when the host pages)',
      ),
      number('callerErrorRatio', 0.0003, 0, 0.5, 'Share of client calls that time out at full strength'),
    ],
  },
  {
    type: 'redis.memory-pressure',
    summary:
      'The data set grows to `maxmemory`: keys are evicted (or, with `noeviction`, writes are refused).',
    targetKinds: ['redis'],
    onset: 'gradual',
    telemetry:
      "`redis_memory_used_bytes` climbs to `redis_memory_max_bytes`; then `redis_evicted_keys_total` rises to `evictionsPerSecond`, `redis_keyspace_misses_total` rises and hits fall toward `hitRatio`. With `policy: noeviction` there are no evictions but writes fail with `OOM command not allowed when used memory > 'maxmemory'`.",
    spread:
      'Callers pay for the extra cache misses (their own latency rises); with `noeviction` their writes fail and their 5xx rise, damped up the chain.',
    mitigations: ['`redis.config-set` with `{ parameter: "maxmemory", value: <more than now> }`'],
    params: [
      ramp(45, 'Minutes until the data set reaches maxmemory'),
      number('evictionsPerSecond', 150, 1, 100_000, 'Evictions per second once full', 'keys/s'),
      number('hitRatio', 0.6, 0, 1, 'Keyspace hit ratio once full (normal is about 0.93)'),
      {
        name: 'policy',
        description: 'maxmemory-policy of the instance',
        kind: 'choice',
        default: 'allkeys-lru',
        choices: ['allkeys-lru', 'volatile-lru', 'noeviction'],
      },
    ],
  },
  {
    type: 'db.connection-pool-saturation',
    summary:
      'Connections pile up (sessions left idle in transaction) until clients wait for or are refused one.',
    targetKinds: ['postgres'],
    onset: 'gradual',
    telemetry:
      '`pg_stat_database_numbackends` and `pg_stat_activity_count{state="idle in transaction"}` climb toward `utilization` × `pg_settings_max_connections`; `pg_stat_activity_max_tx_duration` grows; postgres logs `FATAL: sorry, too many clients already` (SQLSTATE 53300). Clients show `db_client_connections_usage{state="used"}` at their `db_client_connections_max` and `db_client_operation_duration_seconds` up to `latencyMultiplier` × normal.',
    spread:
      'Every client of the database waits for connections (latency) and gets refused ones (`errorRatio`, errors), which reach their callers with damping: login or checkout failures several hops up.',
    mitigations: [
      '`postgres.terminate-idle` (recovers in about a minute)',
      '`postgres.config-set` with `{ parameter: "max_connections", value: <more than now> }`',
    ],
    params: [
      number('utilization', 0.95, 0.5, 1, 'Share of max_connections in use at full strength'),
      ramp(30),
      number('latencyMultiplier', 5, 1, 100, 'Client operation latency at full strength relative to normal'),
      number('errorRatio', 0.06, 0, 1, 'Share of client operations refused at full strength'),
    ],
  },
  {
    type: 'db.slow-queries',
    summary:
      'Queries get slow: lock contention (a long transaction holds locks) or a bad plan (sequential scans).',
    targetKinds: ['postgres'],
    onset: 'abrupt',
    telemetry:
      '`pg_stat_statements_mean_exec_time_seconds` rises by `latencyMultiplier`; more active sessions. `lock-contention`: `pg_locks_count` (ShareLock, ExclusiveLock) and `pg_stat_activity_max_tx_duration` rise, some deadlocks, logs `still waiting for ShareLock` and `canceling statement due to lock timeout`, CPU stays normal. `bad-plan`: CPU rises, logs `duration: … ms  statement: …`, statement timeouts.',
    spread:
      "Clients see slower queries (`db_client_operation_duration_seconds`, client p99) and some failures (`timeoutRatio`), which raise their latency and errors and their callers' in turn.",
    mitigations: [
      'lock contention: `postgres.terminate-blocking` or `postgres.terminate-idle`',
      'bad plan: `postgres.analyze`',
    ],
    params: [
      {
        name: 'cause',
        description: 'What makes the queries slow',
        kind: 'choice',
        default: 'lock-contention',
        choices: ['lock-contention', 'bad-plan'],
      },
      number('latencyMultiplier', 8, 1, 1000, 'Query latency at full strength relative to normal'),
      ramp(3),
      number(
        'timeoutRatio',
        0.02,
        0,
        1,
        'Share of queries cancelled (lock or statement timeout) at full strength',
      ),
    ],
  },
  {
    type: 'deploy.bad-release',
    summary: 'A new version is deployed that fails part of its requests and is slower.',
    targetKinds: ['service'],
    onset: 'abrupt',
    telemetry:
      'A `deploy` change event with the new version at the start (the Deployment image tag changes too), then 5xx at `errorRatio` (exceptions in the logs, tagged with the version) and latency × `latencyMultiplier` on the service.',
    spread: 'Callers get the 5xx and the latency, damped at each hop.',
    mitigations: ['`deployment.rollback` (recovers once the old pods are up, about 2 minutes)'],
    params: [
      number('errorRatio', 0.12, 0, 1, 'Share of requests failing'),
      number('latencyMultiplier', 1.6, 1, 100, 'Latency relative to normal'),
      {
        name: 'version',
        description: 'The version deployed; `auto` bumps the current one',
        kind: 'text',
        default: 'auto',
      },
    ],
  },
  {
    type: 'config.bad-change',
    summary: 'A configuration value is changed to something the service cannot use.',
    targetKinds: ['service'],
    onset: 'abrupt',
    telemetry:
      'A `config` change event naming the changed key at the start, then 5xx at `errorRatio` with log lines about the key, latency × `latencyMultiplier`.',
    spread: 'Callers get the errors, damped at each hop.',
    mitigations: ['`config.revert` (recovers in about a minute)'],
    params: [
      { name: 'key', description: 'The configuration key changed', kind: 'text', default: 'FEATURE_FLAGS' },
      number('errorRatio', 0.2, 0, 1, 'Share of requests failing'),
      number('latencyMultiplier', 1.2, 1, 100, 'Latency relative to normal'),
    ],
  },
  {
    type: 'cpu.saturation',
    summary:
      'The containers use their whole CPU limit (a hot loop, an expensive code path): everything queues.',
    targetKinds: ['service', 'redis', 'postgres'],
    onset: 'gradual',
    telemetry:
      '`container_cpu_usage_seconds_total` rises to `utilization` × the CPU limit (`kube_pod_container_resource_limits{resource="cpu"}`); server latency (or command / query latency) × `latencyMultiplier`; liveness-probe timeouts in the logs.',
    spread: 'Callers see the latency, and timeouts when it crosses their client timeout.',
    mitigations: [
      '`deployment.scale` with more `replicas` than now (services)',
      '`deployment.set-resources` with a higher `cpu` limit',
    ],
    params: [
      number('utilization', 0.98, 0.5, 1, 'CPU use relative to the limit at full strength'),
      ramp(10),
      number('latencyMultiplier', 4, 1, 100, 'Latency at full strength relative to normal'),
    ],
  },
  {
    type: 'memory.leak',
    summary: 'The working set grows steadily until containers are OOM-killed and restart, again and again.',
    targetKinds: ['service'],
    onset: 'gradual',
    telemetry:
      '`container_memory_working_set_bytes` grows by `growthMbPerHour` per pod (pods staggered) up to the memory limit, then `container_oom_events_total` and `kube_pod_container_status_restarts_total` step up, `OOMKilled` lines appear and memory drops back; GC pauses slow requests near the limit; each kill fails some in-flight requests.',
    spread: 'Callers see latency and short bursts of errors around each restart.',
    mitigations: [
      '`deployment.rollback` (ends it)',
      '`deployment.restart` only resets memory: it grows again',
    ],
    params: [number('growthMbPerHour', 400, 1, 100_000, 'Working-set growth per pod', 'MiB/h')],
  },
  {
    type: 'disk.full',
    summary: 'A volume fills up (WAL, snapshots, logs) until writes fail.',
    targetKinds: ['postgres', 'redis', 'service'],
    onset: 'gradual',
    telemetry:
      '`kubelet_volume_stats_used_bytes` climbs to `kubelet_volume_stats_capacity_bytes` over `fillMinutes`; once full, writes fail (`errorRatio`): postgres logs `could not extend file … No space left on device`, redis `Write error saving DB on disk: No space left on device` and refuses writes (`MISCONF`), services log `ENOSPC: no space left on device`.',
    spread: "Callers' writes fail: their 5xx rise, damped up the chain.",
    mitigations: ['`volume.expand` with a larger `sizeGi` than now'],
    params: [
      number('fillMinutes', 90, 1, 10_080, 'Minutes from the start until the volume is full', 'minutes'),
      number('errorRatio', 0.5, 0, 1, 'Share of operations failing once full'),
    ],
  },
  {
    type: 'network.latency',
    summary: 'The network path into the target is slow (a bad node, a noisy neighbour, a misrouted link).',
    targetKinds: ['service', 'redis', 'postgres', 'queue'],
    onset: 'abrupt',
    telemetry:
      "Nothing on the target itself: its own server-side latency, CPU and dependencies stay normal. Every caller's client-side latency to it (`http_client_request_duration_seconds{peer=…}`, client spans) rises by `addedMs` (p99 by `addedMs` + `jitterMs`), with timeouts if that crosses the client timeout.",
    spread:
      "Callers' own latency rises by the added time on the share of requests that call the target, up the chain.",
    mitigations: ['`deployment.restart` of the target (its pods move to healthy nodes, about 2 minutes)'],
    params: [
      number('addedMs', 250, 1, 60_000, 'Added latency per call', 'ms'),
      number('jitterMs', 300, 0, 60_000, 'Extra latency at the 99th percentile', 'ms'),
      ramp(0),
    ],
  },
  {
    type: 'dependency.timeout',
    summary: 'An external dependency slows down: calls to it take seconds and time out.',
    targetKinds: ['external'],
    onset: 'abrupt',
    telemetry:
      'Callers\' client latency to it (`http_client_request_duration_seconds{peer=…}`) rises toward `latencyMs` and is capped by their 5 s client timeout; `http_client_requests_total{status="timeout"}` rises; callers log `ETIMEDOUT`.',
    spread:
      'Callers return errors and are slow on the requests that need the dependency; damped up the chain.',
    mitigations: ['none: it ends when the provider recovers (`end`)'],
    params: [number('latencyMs', 4000, 10, 120_000, 'Median latency of calls while degraded', 'ms'), ramp(2)],
  },
  {
    type: 'cronjob.resource-contention',
    summary: 'A scheduled job becomes heavy: while it runs it loads the datastores it uses.',
    targetKinds: ['cronjob'],
    onset: 'abrupt',
    telemetry:
      "`job-run` change events at every scheduled run (as without the fault) but runs last `runMinutes`; during runs the job's CPU is high, and each datastore it depends on shows latency × `loadMultiplier`, more CPU, long transactions and AccessExclusiveLocks (postgres) or a BGSAVE fork with RSS growth (redis). Between runs everything is normal.",
    spread:
      'Every other client of those datastores is slower (and times out more) while the job runs, up their call chains.',
    mitigations: [
      '`cronjob.suspend` (the active job is stopped)',
      '`cronjob.reschedule` with a new `schedule` (the active job is stopped; later runs follow the new schedule and are light)',
    ],
    params: [
      number('runMinutes', 40, 1, 1440, 'How long each run lasts', 'minutes'),
      number(
        'loadMultiplier',
        5,
        1,
        100,
        'Latency of the loaded datastores while the job runs, relative to normal',
      ),
    ],
  },
];

/** The descriptor of a fault type; `undefined` for an unknown type. */
export function faultTypeDescriptor(type: string): FaultTypeDescriptor | undefined {
  return faultTypes.find((descriptor) => descriptor.type === type);
}
