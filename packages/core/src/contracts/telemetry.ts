import { z } from 'zod';
import {
  type IsoTime,
  isoTimeSchema,
  type JsonValue,
  jsonValueSchema,
  type Labels,
  labelsSchema,
} from './common';
import { type EntityRef, entityRefSchema } from './entity-ref';

/** How a metric behaves. */
export type MetricType = 'gauge' | 'counter' | 'histogram' | 'summary';

/** A metric a connector can serve. */
export interface MetricDescriptor {
  /** The metric name as the source names it (`redis_mem_fragmentation_ratio`, `http_server_request_duration_seconds`). */
  name: string;
  /** The entity it describes. */
  entity: EntityRef;
  /** How it behaves. */
  type: MetricType;
  /** The unit (`seconds`, `bytes`, `ratio`, `requests`, …). */
  unit: string;
  /** Labels that tell its series apart, beyond the entity. */
  labels: Labels;
  /** What it measures. */
  help: string;
}

/** Zod schema of a {@link MetricDescriptor}. */
export const metricDescriptorSchema: z.ZodType<MetricDescriptor> = z.object({
  name: z.string().min(1),
  entity: entityRefSchema,
  type: z.enum(['gauge', 'counter', 'histogram', 'summary']),
  unit: z.string(),
  labels: labelsSchema,
  help: z.string(),
});

/** A point of a series: `[epoch milliseconds, value]`; `null` is a missing value. */
export type MetricPoint = [number, number | null];

/** A series of values over time. Counters arrive as per-second rates. */
export interface MetricSeries {
  /** The metric name. */
  metric: string;
  /** The entity it describes. */
  entity: EntityRef;
  /** Labels beyond the entity. */
  labels: Labels;
  /** The unit. */
  unit: string;
  /** Points in time order. */
  points: MetricPoint[];
}

/** Zod schema of a {@link MetricSeries}. */
export const metricSeriesSchema: z.ZodType<MetricSeries> = z.object({
  metric: z.string().min(1),
  entity: entityRefSchema,
  labels: labelsSchema,
  unit: z.string(),
  points: z.array(z.tuple([z.number(), z.number().nullable()])),
});

/** A range query for metrics. */
export interface MetricRangeQuery {
  /** The metric name. */
  metric: string;
  /** Only series of this entity (absent: all entities). */
  entity?: EntityRef;
  /** Only series with these labels. */
  labels?: Labels;
  /** Start, epoch milliseconds. */
  start: number;
  /** End, epoch milliseconds (never later than the connector's "now"). */
  end: number;
  /** Resolution, milliseconds (the connector may use its native step). */
  stepMs?: number;
}

/** Zod schema of a {@link MetricRangeQuery} (end not before start). */
export const metricRangeQuerySchema: z.ZodType<MetricRangeQuery> = z
  .object({
    metric: z.string().min(1),
    entity: entityRefSchema.optional(),
    labels: labelsSchema.optional(),
    start: z.number().finite(),
    end: z.number().finite(),
    stepMs: z.number().positive().optional(),
  })
  .refine((query) => query.end >= query.start, { message: 'end must not be before start', path: ['end'] });

/** A log line. */
export interface LogRecord {
  /** When it was written. */
  at: IsoTime;
  /** The entity that wrote it. */
  entity: EntityRef;
  /** Severity level. */
  level: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** The message. */
  message: string;
  /** Structured fields. */
  attributes: Record<string, JsonValue>;
}

/** Zod schema of a {@link LogRecord}. */
export const logRecordSchema: z.ZodType<LogRecord> = z.object({
  at: isoTimeSchema,
  entity: entityRefSchema,
  level: z.enum(['debug', 'info', 'warn', 'error', 'fatal']),
  message: z.string(),
  attributes: z.record(z.string(), jsonValueSchema),
});

/** A log search. */
export interface LogQuery {
  /** Only lines of this entity. */
  entity?: EntityRef;
  /** Case-insensitive substring (or the source's native query) to match. */
  text?: string;
  /** Minimum level. */
  minLevel?: LogRecord['level'];
  /** Start, epoch milliseconds. */
  start: number;
  /** End, epoch milliseconds. */
  end: number;
  /** At most this many lines, newest first. */
  limit?: number;
}

/** Zod schema of a {@link LogQuery} (end not before start). */
export const logQuerySchema: z.ZodType<LogQuery> = z
  .object({
    entity: entityRefSchema.optional(),
    text: z.string().optional(),
    minLevel: z.enum(['debug', 'info', 'warn', 'error', 'fatal']).optional(),
    start: z.number().finite(),
    end: z.number().finite(),
    limit: z.number().int().positive().optional(),
  })
  .refine((query) => query.end >= query.start, { message: 'end must not be before start', path: ['end'] });

/** A span, OpenTelemetry-like. */
export interface Span {
  /** Trace id. */
  traceId: string;
  /** Span id. */
  spanId: string;
  /** Parent span id, absent for a root span. */
  parentSpanId?: string;
  /** `service.name` of the emitting service, as an entity. */
  entity: EntityRef;
  /** Operation name. */
  name: string;
  /** Span kind. */
  kind: 'server' | 'client' | 'producer' | 'consumer' | 'internal';
  /** The called entity for client / producer spans (`peer.service`, `server.address`, `db.system`). */
  peer?: EntityRef;
  /** Start time. */
  start: IsoTime;
  /** Duration in milliseconds. */
  durationMs: number;
  /** Status. */
  status: 'ok' | 'error' | 'unset';
  /** Other attributes (`db.system`, `http.response.status_code`, …). */
  attributes: Record<string, JsonValue>;
}

/** Zod schema of a {@link Span}. */
export const spanSchema: z.ZodType<Span> = z.object({
  traceId: z.string().min(1),
  spanId: z.string().min(1),
  parentSpanId: z.string().min(1).optional(),
  entity: entityRefSchema,
  name: z.string(),
  kind: z.enum(['server', 'client', 'producer', 'consumer', 'internal']),
  peer: entityRefSchema.optional(),
  start: isoTimeSchema,
  durationMs: z.number().nonnegative(),
  status: z.enum(['ok', 'error', 'unset']),
  attributes: z.record(z.string(), jsonValueSchema),
});

/** Aggregated calls from one entity to another over a window. */
export interface CallStats {
  /** The caller. */
  from: EntityRef;
  /** The callee. */
  to: EntityRef;
  /** Calls per second. */
  rate: number;
  /** Fraction of calls that failed, 0..1. */
  errorRatio: number;
  /** Median latency, milliseconds. */
  p50Ms: number;
  /** 95th percentile latency, milliseconds. */
  p95Ms: number;
  /** 99th percentile latency, milliseconds. */
  p99Ms: number;
}

/** Zod schema of {@link CallStats}. */
export const callStatsSchema: z.ZodType<CallStats> = z.object({
  from: entityRefSchema,
  to: entityRefSchema,
  rate: z.number().nonnegative(),
  errorRatio: z.number().min(0).max(1),
  p50Ms: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
});

/** What kind of change a {@link ChangeEvent} records. */
export type ChangeKind = 'deploy' | 'config' | 'scale' | 'rollback' | 'job-run' | 'infrastructure' | 'other';

/** A change to the system: a deploy, a config change, a scheduled job run, a scale event. */
export interface ChangeEvent {
  /** Unique id. */
  id: string;
  /** The entity that changed (or, for job runs, the job). */
  entity: EntityRef;
  /** What kind of change. */
  kind: ChangeKind;
  /** When it happened (for job runs: when the run started). */
  at: IsoTime;
  /** When it ended, for things that last (job runs). */
  endedAt?: IsoTime;
  /** One line for humans. */
  summary: string;
  /** Who or what made it. */
  actor?: string;
  /** Details: versions (`from`, `to`), changed keys, … */
  attributes: Record<string, JsonValue>;
}

/** Zod schema of a {@link ChangeEvent}. */
export const changeEventSchema: z.ZodType<ChangeEvent> = z.object({
  id: z.string().min(1),
  entity: entityRefSchema,
  kind: z.enum(['deploy', 'config', 'scale', 'rollback', 'job-run', 'infrastructure', 'other']),
  at: isoTimeSchema,
  endedAt: isoTimeSchema.optional(),
  summary: z.string(),
  actor: z.string().optional(),
  attributes: z.record(z.string(), jsonValueSchema),
});
