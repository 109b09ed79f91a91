import type {
  ChangeEvent,
  Connector,
  EntityRef,
  InvalidInputError,
  Labels,
  LogRecord,
  MetricPoint,
  MetricType,
  Span,
  TopologyEntity,
  TopologyRelation,
} from '@aisre/core';

/** One recorded metric series: what it measures and its points (`null` values are missing). */
export interface RecordedSeries {
  /** The metric name (`http_server_request_duration_seconds`). */
  metric: string;
  /** The entity it describes. */
  entity: EntityRef;
  /** Labels beyond the entity (`{ quantile: '0.99' }`). */
  labels: Labels;
  /** How the metric behaves (default `gauge`). */
  type: MetricType;
  /** The unit (`seconds`, `requests/s`, `ratio`). */
  unit: string;
  /** What it measures. */
  help: string;
  /** Points in time order, epoch milliseconds. Counters are recorded as per-second rates. */
  points: MetricPoint[];
}

/** Call statistics between two entities at one instant, as recorded (one step of a call series). */
export interface RecordedCallPoint {
  /** When, epoch milliseconds. */
  at: number;
  /** Calls per second (`null`: missing). */
  rate: number | null;
  /** Fraction of calls that failed, 0..1 (`null`: missing). */
  errorRatio: number | null;
  /** Median latency, milliseconds (`null`: missing). */
  p50Ms: number | null;
  /** 95th percentile latency, milliseconds (`null`: missing). */
  p95Ms: number | null;
  /** 99th percentile latency, milliseconds (`null`: missing). */
  p99Ms: number | null;
}

/** Recorded calls from one entity to another over time: the source of `traces.callStats` without spans. */
export interface RecordedCallSeries {
  /** The caller. */
  from: EntityRef;
  /** The callee. */
  to: EntityRef;
  /** Points in time order. */
  points: RecordedCallPoint[];
}

/** The structure of the recorded system: what `topology.scan` returns. */
export interface RecordedTopology {
  /** Entities. */
  entities: TopologyEntity[];
  /** Relations (`calls`, `depends-on`, `consumes`, …). */
  relations: TopologyRelation[];
}

/**
 * Everything a replay serves. Only `series` is required; the other parts switch on the matching capability
 * (`logs`, `traces`, `changes`, `topology`) when present.
 */
export interface ReplayRecording {
  /** Metric series. */
  series: RecordedSeries[];
  /** Log lines. */
  logs?: LogRecord[];
  /** Spans; also aggregated into call statistics. */
  spans?: Span[];
  /** Recorded call statistics over time (for systems whose traces were exported already aggregated). */
  calls?: RecordedCallSeries[];
  /** Deploys, config changes, job runs. */
  changes?: ChangeEvent[];
  /** The call graph and entities. */
  topology?: RecordedTopology;
}

/** What a loader returns: the value, and every problem it skipped over (bad rows, files, fields). */
export interface LoadResult<Value> {
  /** What could be loaded. */
  value: Value;
  /** The problems found, each an `InvalidInputError` naming the file, row and field; the rest loaded. */
  problems: InvalidInputError[];
}

/** Options of {@link createReplayConnector}. */
export interface ReplayConnectorOptions {
  /** The recorded telemetry. It is copied: later changes to it do not reach the connector. */
  recording: ReplayRecording;
  /** The as-of time, epoch milliseconds or ISO (default: the last recorded point). Nothing after it is served. */
  now?: number | string;
  /** The connector's name (default `replay`). */
  name?: string;
}

/** A connector serving a recording as of a movable clock. */
export interface ReplayConnector extends Connector {
  /** The as-of time, epoch milliseconds. */
  now(): number;
  /**
   * Moves the as-of time forward (never back), revealing the data recorded up to it.
   *
   * @throws `InvalidInputError` when `epochMs` is not a finite time at or after {@link ReplayConnector.now}
   */
  advanceTo(epochMs: number): void;
}
