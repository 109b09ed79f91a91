import { z } from 'zod';
import type { ConnectorError, InvalidInputError } from '../errors/aisre-error';
import { type IsoTime, isoTimeSchema, type JsonValue, jsonValueSchema, type Severity } from './common';
import { type EntityRef, entityRefSchema } from './entity-ref';
import type { ActuationResult, RemediationAction, RemediationProposal } from './remediation';
import type { Report } from './report';
import type { Signal } from './signal';
import type {
  CallStats,
  ChangeEvent,
  LogQuery,
  LogRecord,
  MetricDescriptor,
  MetricRangeQuery,
  MetricSeries,
  Span,
} from './telemetry';
import type { AnyTool, CallContext } from './tool';

/** A filter by entity and time window, used by several capabilities. */
export interface WindowQuery {
  /** Only what concerns this entity (absent: everything). */
  entity?: EntityRef;
  /** Start, epoch milliseconds. */
  start: number;
  /** End, epoch milliseconds. */
  end: number;
}

const endNotBeforeStart = { message: 'end must not be before start', path: ['end'] };

/** Zod schema of a {@link WindowQuery}: end not before start. Connectors validate what they receive with it. */
export const windowQuerySchema: z.ZodType<WindowQuery> = z
  .object({ entity: entityRefSchema.optional(), start: z.number().finite(), end: z.number().finite() })
  .refine((query) => query.end >= query.start, endNotBeforeStart);

/** A span query: a window and at most how many spans. */
export interface SpanQuery extends WindowQuery {
  /** At most this many spans. */
  limit?: number;
}

/** Zod schema of a {@link SpanQuery}. */
export const spanQuerySchema: z.ZodType<SpanQuery> = z
  .object({
    entity: entityRefSchema.optional(),
    start: z.number().finite(),
    end: z.number().finite(),
    limit: z.number().int().positive().optional(),
  })
  .refine((query) => query.end >= query.start, endNotBeforeStart);

/** A metrics listing query. */
export interface MetricListQuery {
  /** Only the metrics of this entity. */
  entity?: EntityRef;
}

/** Zod schema of a {@link MetricListQuery}. */
export const metricListQuerySchema: z.ZodType<MetricListQuery> = z.object({
  entity: entityRefSchema.optional(),
});

/** Metrics: which exist, and their values over time. */
export interface MetricsCapability {
  /** The metrics available, optionally only those of one entity. */
  list(query: MetricListQuery, context: CallContext): Promise<MetricDescriptor[]>;
  /** The series of one metric over a window (counters as per-second rates). */
  range(query: MetricRangeQuery, context: CallContext): Promise<MetricSeries[]>;
}

/** Logs: search. */
export interface LogsCapability {
  /** Lines matching the query, newest first. */
  search(query: LogQuery, context: CallContext): Promise<LogRecord[]>;
}

/** Traces: raw spans and aggregated call statistics. */
export interface TracesCapability {
  /** Spans in the window (optionally of one entity), at most `limit`. */
  spans(query: SpanQuery, context: CallContext): Promise<Span[]>;
  /** Calls between entities aggregated over the window. */
  callStats(query: WindowQuery, context: CallContext): Promise<CallStats[]>;
}

/** Changes: deploys, config changes, scheduled job runs. */
export interface ChangesCapability {
  /** Changes in the window, oldest first. */
  list(query: WindowQuery, context: CallContext): Promise<ChangeEvent[]>;
}

/** An entity found by a topology scan. */
export interface TopologyEntity {
  /** Its ref. */
  ref: EntityRef;
  /** Attributes (tier, replicas, team, limits, …). */
  attributes: Record<string, JsonValue>;
}

/** A relation found by a topology scan. */
export interface TopologyRelation {
  /** From this entity… */
  from: EntityRef;
  /** …to this one. */
  to: EntityRef;
  /** The relation kind (`depends-on`, `calls`, `runs-on`, `part-of`, `selects`, `owned-by`, …). */
  kind: string;
  /** Attributes of the relation. */
  attributes: Record<string, JsonValue>;
}

/** What a topology scan found. Raw Kubernetes objects, when present, are ingested by the knowledge graph. */
export interface TopologySnapshot {
  /** When it was observed. */
  observedAt: IsoTime;
  /** Entities. */
  entities: TopologyEntity[];
  /** Relations. */
  relations: TopologyRelation[];
  /** Raw Kubernetes objects (Deployments, Services, CronJobs, …) as the API returns them. */
  kubernetesObjects: JsonValue[];
}

/** Zod schema of a {@link TopologySnapshot}, to validate what a connector returns. */
export const topologySnapshotSchema: z.ZodType<TopologySnapshot> = z.object({
  observedAt: isoTimeSchema,
  entities: z.array(z.object({ ref: entityRefSchema, attributes: z.record(z.string(), jsonValueSchema) })),
  relations: z.array(
    z.object({
      from: entityRefSchema,
      to: entityRefSchema,
      kind: z.string().min(1),
      attributes: z.record(z.string(), jsonValueSchema),
    }),
  ),
  kubernetesObjects: z.array(jsonValueSchema),
});

/** Topology: scan the system's structure. */
export interface TopologyCapability {
  /** Scans the system as it is now. */
  scan(context: CallContext): Promise<TopologySnapshot>;
}

/** Actuator: apply (or dry-run) remediation actions. Only called after policy and approval allow it. */
export interface ActuatorCapability {
  /** True when this actuator can apply actions of this type to this target. */
  supports(action: RemediationAction): boolean;
  /** Applies the action, or only says what it would do when `dryRun` is true. */
  apply(
    action: RemediationAction,
    options: { dryRun: boolean },
    context: CallContext,
  ): Promise<ActuationResult>;
}

/** A message for humans: an escalation, a report, an update. */
export interface Notification {
  /** What kind of message. */
  kind: 'escalation' | 'report' | 'update';
  /** Title line. */
  title: string;
  /** The entity concerned. */
  entity: EntityRef;
  /** Severity. */
  severity: Severity;
  /**
   * For an escalation, how soon it needs a human: `page` wakes on-call now, `working-hours` tells the owning
   * team without waking anyone. A notifier routes on it (a paging service's high and low urgency); absent: page.
   */
  urgency?: 'page' | 'working-hours';
  /** The body, Markdown. */
  body: string;
  /** The report, when there is one. */
  report?: Report;
  /** Proposed fixes, when there are some. */
  proposals?: RemediationProposal[];
}

/** Notifier: escalate, post reports. */
export interface NotifierCapability {
  /** Delivers the notification; returns the delivery id when the system gives one. */
  notify(notification: Notification, context: CallContext): Promise<{ delivered: boolean; id?: string }>;
}

/** Signals: alerts and other signals the system raises. */
export interface SignalsCapability {
  /** Signals raised in the window (firing alerts, deploys, …). */
  list(query: WindowQuery, context: CallContext): Promise<Signal[]>;
  /** Calls `listener` for each new signal until the returned function is called or `signal` aborts. */
  subscribe?(listener: (signal: Signal) => void, options: { signal?: AbortSignal }): () => void;
}

/** The typed interfaces the built-in engine calls directly. A connector implements the ones its system has. */
export interface ConnectorCapabilities {
  /** Metrics. */
  metrics?: MetricsCapability;
  /** Logs. */
  logs?: LogsCapability;
  /** Traces. */
  traces?: TracesCapability;
  /** Changes. */
  changes?: ChangesCapability;
  /** Topology. */
  topology?: TopologyCapability;
  /** Actuator. */
  actuator?: ActuatorCapability;
  /** Notifier. */
  notifier?: NotifierCapability;
  /** Signals (alerts). */
  signals?: SignalsCapability;
}

/** The name of a capability. */
export type CapabilityName = keyof ConnectorCapabilities;

/** Every capability name, in a stable order. */
export const capabilityNames: readonly CapabilityName[] = [
  'metrics',
  'logs',
  'traces',
  'changes',
  'topology',
  'actuator',
  'notifier',
  'signals',
];

/**
 * A connector to a system: model-callable tools plus typed capabilities.
 *
 * Rules every connector follows: it does not manage its own concurrency or retries across calls (the
 * scheduler owns concurrency and budget), does not mutate its input, honours the `AbortSignal`, and
 * reports failures as {@link ConnectorError}s (bad input as {@link InvalidInputError}s).
 */
export interface Connector {
  /** Unique name (`mock`, `prometheus`, `redis`). */
  name: string;
  /** Model-callable tools. */
  tools: AnyTool[];
  /** Typed capabilities. */
  capabilities: ConnectorCapabilities;
}
