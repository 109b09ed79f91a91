import type { JsonValue } from '@aisre/core';
import type { QuantileSeries } from './quantiles';

/** Why requests fail, for picking log lines and span errors. */
export type ErrorCode =
  | 'background'
  | 'release-exception'
  | 'config-error'
  | 'oom-restart'
  | 'disk-full'
  | 'transient'
  | 'pg-too-many-clients'
  | 'pg-lock-timeout'
  | 'pg-statement-timeout'
  | 'pg-disk-full'
  | 'redis-oom'
  | 'redis-misconf'
  | 'upstream'
  | 'timeout';

/** One cause of failures and its share of requests per step. */
export interface ErrorCause {
  /** What fails. */
  code: ErrorCode;
  /** Share of the entity's requests failing for this cause, per step. */
  ratio: Float64Array;
  /** For failures passed on from a callee: the callee's entity index. */
  peer?: number;
}

/** How an entity serves the calls it receives. */
export interface EntityHealth {
  /** Latency of its own work, without calls (server side). */
  own: QuantileSeries;
  /** Server-side latency of a request, calls included. */
  latency: QuantileSeries;
  /** Share of requests answered with an error. */
  errorRatio: Float64Array;
  /** The error ratio broken down by cause. */
  causes: ErrorCause[];
  /** Time added on the way in (network), seconds, median. */
  intakeAddedSeconds: Float64Array;
  /** Extra time added at the 99th percentile on the way in, seconds. */
  intakeJitterSeconds: Float64Array;
  /** Multiplier on client-observed time (waiting for a pooled connection). */
  intakeWaitFactor: Float64Array;
  /** Share of client calls timing out beyond what latency explains. */
  intakeTimeoutRatio: Float64Array;
  /** Extra work per call for callers (cache misses), seconds. */
  missPenaltySeconds: Float64Array;
}

/** What a caller sees of one callee. */
export interface EdgeView {
  /** Client-observed latency (capped at the timeout). */
  latency: QuantileSeries;
  /** Client-observed latency plus the caller's extra work (used to compose the caller's latency). */
  effective: QuantileSeries;
  /** Share of calls answered with an error. */
  errorRatio: Float64Array;
  /** Share of calls that time out. */
  timeoutRatio: Float64Array;
}

/** One run of a cronjob. */
export interface JobRun {
  /** Start, epoch milliseconds. */
  startMs: number;
  /** End, epoch milliseconds. */
  endMs: number;
  /** True when the run loads its datastores heavily. */
  heavy: boolean;
  /** True when the run was stopped before it finished. */
  stopped: boolean;
}

/** Containers of an entity: CPU, memory, restarts, volume. Totals over its pods. */
export interface ResourceUsage {
  /** CPU use, cores. */
  cpuCores: Float64Array;
  /** CPU limit, cores. */
  cpuLimitCores: Float64Array;
  /** Working set, bytes. */
  memoryBytes: Float64Array;
  /** Memory limit, bytes. */
  memoryLimitBytes: Float64Array;
  /** Container restarts during the step. */
  restarts: Float64Array;
  /** OOM kills during the step. */
  oomKills: Float64Array;
  /** Volume use, bytes. */
  volumeUsedBytes: Float64Array;
  /** Volume size, bytes. */
  volumeCapacityBytes: Float64Array;
  /** Near-limit memory pressure, 0..1 (GC pauses). */
  memoryPressure: Float64Array;
  /** Steps at which a pod was OOM-killed, with the pod's ordinal. */
  oomEvents: { step: number; pod: number }[];
  /** Share of the step the entity's containers exist (cronjobs: while running). */
  present: Float64Array;
}

/** Redis internals. */
export interface RedisState {
  /** used_memory, bytes. */
  usedBytes: Float64Array;
  /** maxmemory, bytes. */
  maxBytes: Float64Array;
  /** used_memory_rss, bytes. */
  rssBytes: Float64Array;
  /** mem_fragmentation_ratio. */
  fragmentation: Float64Array;
  /** Evictions per second. */
  evictionsPerSecond: Float64Array;
  /** Keyspace hits per second. */
  hitsPerSecond: Float64Array;
  /** Keyspace misses per second. */
  missesPerSecond: Float64Array;
  /** Connected clients. */
  connectedClients: Float64Array;
  /** Share of the memory limit reached, 0..1, for evictions and refusals. */
  fullness: Float64Array;
}

/** PostgreSQL internals. */
export interface PostgresState {
  /** Sessions running a query. */
  active: Float64Array;
  /** Idle sessions. */
  idle: Float64Array;
  /** Sessions idle in a transaction. */
  idleInTransaction: Float64Array;
  /** max_connections. */
  maxConnections: Float64Array;
  /** How saturated the connection slots are, 0..1 (clients wait and are refused). */
  saturation: Float64Array;
  /** Longest open transaction, seconds. */
  maxTransactionSeconds: Float64Array;
  /** Locks held or awaited, by mode. */
  locks: Record<string, Float64Array>;
  /** Commits per second. */
  commitsPerSecond: Float64Array;
  /** Deadlocks per second. */
  deadlocksPerSecond: Float64Array;
  /** Database size, bytes. */
  sizeBytes: Float64Array;
  /** Mean statement execution time, seconds. */
  meanExecSeconds: Float64Array;
}

/** A queue's flow. */
export interface QueueState {
  /** Messages published per second. */
  publishedPerSecond: Float64Array;
  /** Messages delivered to consumers per second. */
  deliveredPerSecond: Float64Array;
  /** Messages ready (depth). */
  ready: Float64Array;
  /** Consumers attached. */
  consumers: Float64Array;
  /** Age of the oldest unconsumed message, seconds. */
  lagSeconds: Float64Array;
}

/** A change to the system as the change log records it (no trace of why it happened). */
export interface SystemChange {
  /** The entity changed. */
  entity: number;
  /** The change-event kind. */
  kind: 'deploy' | 'config' | 'rollback' | 'scale' | 'other' | 'infrastructure';
  /** When, epoch milliseconds. */
  atMs: number;
  /** One line for humans. */
  summary: string;
  /** Who made it. */
  actor: string;
  /** Details (versions, keys, …). */
  attributes: Record<string, JsonValue>;
  /** True when the change rolls pods (a deploy, a restart). */
  rollsPods: boolean;
}
