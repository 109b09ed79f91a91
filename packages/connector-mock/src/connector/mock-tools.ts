import {
  type AnyTool,
  entityRefSchema,
  type JsonValue,
  type MetricSeries,
  type Span,
  type Tool,
  type ToolContext,
  throwIfAborted,
} from '@aisre/core';
import { z } from 'zod';
import { formatIsoTime, parseDuration } from '../scenario/duration';
import type { Simulation } from '../simulation/simulation';
import { listChanges } from '../telemetry/change-events';
import { searchLogs } from '../telemetry/log-generator';
import { listMetrics, rangeQuery, roundValue } from '../telemetry/metric-query';
import { listSignals } from '../telemetry/signal-feed';
import { entityAttributes } from '../telemetry/topology-snapshot';
import { queryCallStats, querySpans, spansOfTraces } from '../telemetry/trace-generator';

/** What the tools read: the current simulation, the clock, the environment name. */
export interface MockToolState {
  /** The simulation as of the latest applied action. */
  simulation(): Simulation;
  /** The scenario clock. */
  now(): number;
  /** The environment name. */
  environment: string;
}

const lookbackSchema = z
  .string()
  .refine((text) => (parseDuration(text) ?? 0) > 0, 'expected a duration like 30m, 2h or 1d')
  .optional();

function windowOf(
  state: MockToolState,
  lookback: string | undefined,
  fallback: string,
): { start: number; end: number } {
  const end = state.now();
  return { start: end - (parseDuration(lookback ?? fallback) ?? 3_600_000), end };
}

function time(epochMs: number): string {
  return formatIsoTime(epochMs).slice(11, 19);
}

function summarize(series: MetricSeries): { text: string; data: JsonValue } {
  const values = series.points.map(([, value]) => value).filter((value): value is number => value !== null);
  const first = values[0] ?? 0;
  const last = values[values.length - 1] ?? 0;
  const minimum = Math.min(...values);
  const maximum = Math.max(...values);
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const labels = Object.entries(series.labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  const stride = Math.max(1, Math.ceil(series.points.length / 60));
  const points = series.points.filter(
    (_, index) => index % stride === 0 || index === series.points.length - 1,
  );
  const change =
    first !== 0
      ? ` (${last >= first ? '+' : ''}${roundValue(((last - first) / Math.abs(first)) * 100)}%)`
      : '';
  return {
    text: `${series.metric}{${labels}} ${series.entity} [${series.unit}]: first ${roundValue(first)}, last ${roundValue(last)}${change}, min ${roundValue(minimum)}, max ${roundValue(maximum)}, mean ${roundValue(mean)} over ${values.length} points`,
    data: {
      metric: series.metric,
      entity: series.entity,
      labels: series.labels,
      unit: series.unit,
      first,
      last,
      minimum,
      maximum,
      mean: roundValue(mean),
      points,
    },
  };
}

function tool<Input>(definition: Tool<Input, JsonValue>): AnyTool {
  return {
    ...definition,
    run: async (input: Input, context: ToolContext) => {
      throwIfAborted(context.signal, `connector-mock: tool ${definition.name}`);
      return definition.run(input, context);
    },
  };
}

function traceSummary(spans: Span[]): string {
  const root = spans.find((span) => span.parentSpanId === undefined) ?? spans[0];
  const slowest = spans
    .filter((span) => span.kind === 'client' || span.kind === 'producer')
    .sort((left, right) => right.durationMs - left.durationMs)[0];
  const errors = spans.filter((span) => span.status === 'error').length;
  return `trace ${root?.traceId.slice(0, 12) ?? '?'} ${root?.name ?? ''} on ${root?.entity ?? ''}: ${roundValue(root?.durationMs ?? 0)}ms, ${spans.length} spans, ${errors} errors${
    slowest
      ? `; slowest call ${slowest.entity} -> ${slowest.peer ?? '?'} ${roundValue(slowest.durationMs)}ms`
      : ''
  }`;
}

/** The model-callable tools of the mock connector. They charge nothing themselves. */
export function createMockTools(state: MockToolState): AnyTool[] {
  return [
    tool({
      name: 'list_entities',
      description:
        'List the entities of the system (services, datastores, queues, jobs, external APIs) with tier, team and replicas.',
      input: z.strictObject({ kind: z.string().min(1).optional() }),
      run: async (input) => {
        const simulation = state.simulation();
        const entities = simulation.model.entities.filter(
          (entity) => input.kind === undefined || entity.kind === input.kind,
        );
        const data: Record<string, JsonValue>[] = entities.map((entity) => ({
          ref: entity.ref,
          ...entityAttributes(simulation, entity, state.now(), state.environment),
        }));
        const text = data
          .map(
            (entity) =>
              `${String(entity.ref)} tier ${String(entity.tier)}${entity.team ? ` team ${String(entity.team)}` : ''}`,
          )
          .join('\n');
        return { text: text || 'no entities', data };
      },
    }),
    tool({
      name: 'describe_entity',
      description:
        'Describe one entity: its attributes, what it depends on, what depends on it, queues it consumes, and its metrics.',
      input: z.strictObject({ entity: entityRefSchema }),
      run: async (input) => {
        const simulation = state.simulation();
        const { model } = simulation;
        const entity = model.entities[model.byRef.get(input.entity) ?? -1];
        if (!entity) return { text: `${input.entity} is not known`, data: { found: false } as JsonValue };
        const dependsOn = entity.outgoing.map(
          (edge) => model.entities[model.edges[edge]?.to ?? -1]?.ref ?? '',
        );
        const dependents = entity.incoming.map(
          (edge) => model.entities[model.edges[edge]?.from ?? -1]?.ref ?? '',
        );
        const consumes = entity.consumes.map((queue) => model.entities[queue]?.ref ?? '');
        const consumers = entity.consumers.map((consumer) => model.entities[consumer]?.ref ?? '');
        const metrics = [
          ...new Set(listMetrics(simulation, entity.ref).map((descriptor) => descriptor.name)),
        ];
        const attributes = entityAttributes(simulation, entity, state.now(), state.environment);
        const text = [
          `${entity.ref}: ${Object.entries(attributes)
            .map(([key, value]) => `${key}=${String(value)}`)
            .join(', ')}`,
          `depends on: ${dependsOn.join(', ') || 'nothing'}`,
          `depended on by: ${dependents.join(', ') || 'nothing'}`,
          ...(consumes.length > 0 ? [`consumes: ${consumes.join(', ')}`] : []),
          ...(consumers.length > 0 ? [`consumed by: ${consumers.join(', ')}`] : []),
          `metrics: ${metrics.join(', ') || 'none (only what callers see)'}`,
        ].join('\n');
        return {
          text,
          data: {
            found: true,
            ref: entity.ref,
            attributes,
            dependsOn,
            dependents,
            consumes,
            consumers,
            metrics,
          },
        };
      },
    }),
    tool({
      name: 'list_metrics',
      description: 'List the metric series available for an entity, with labels and units.',
      input: z.strictObject({ entity: entityRefSchema }),
      run: async (input) => {
        const descriptors = listMetrics(state.simulation(), input.entity);
        const lines = descriptors.map((descriptor) => {
          const labels = Object.entries(descriptor.labels)
            .map(([key, value]) => `${key}="${value}"`)
            .join(',');
          return `${descriptor.name}{${labels}} ${descriptor.type} [${descriptor.unit}]`;
        });
        return {
          text: lines.join('\n') || `no metrics for ${input.entity}`,
          data: descriptors as unknown as JsonValue,
        };
      },
    }),
    tool({
      name: 'query_metric',
      description:
        'Query a metric over the last `lookback` (default 1h) and summarize each series: first, last, min, max, mean, with points. Counters come as per-second rates.',
      input: z.strictObject({
        metric: z.string().min(1),
        entity: entityRefSchema.optional(),
        labels: z.record(z.string(), z.string()).optional(),
        lookback: lookbackSchema,
        stepSeconds: z.number().int().positive().max(86_400).optional(),
      }),
      run: async (input) => {
        const window = windowOf(state, input.lookback, '1h');
        const series = rangeQuery(
          state.simulation(),
          {
            metric: input.metric,
            ...(input.entity ? { entity: input.entity } : {}),
            ...(input.labels ? { labels: input.labels } : {}),
            ...window,
            ...(input.stepSeconds ? { stepMs: input.stepSeconds * 1000 } : {}),
          },
          state.now(),
        );
        const summaries = series.map(summarize);
        return {
          text:
            summaries.map((summary) => summary.text).join('\n') ||
            `no series for ${input.metric} in the last ${input.lookback ?? '1h'}`,
          data: summaries.map((summary) => summary.data),
        };
      },
    }),
    tool({
      name: 'search_logs',
      description:
        'Search log lines (newest first) by entity, case-insensitive text and minimum level over the last `lookback` (default 1h).',
      input: z.strictObject({
        entity: entityRefSchema.optional(),
        text: z.string().optional(),
        minLevel: z.enum(['debug', 'info', 'warn', 'error', 'fatal']).optional(),
        lookback: lookbackSchema,
        limit: z.number().int().positive().max(500).optional(),
      }),
      run: async (input) => {
        const lines = searchLogs(
          state.simulation(),
          {
            ...windowOf(state, input.lookback, '1h'),
            ...(input.entity ? { entity: input.entity } : {}),
            ...(input.text ? { text: input.text } : {}),
            ...(input.minLevel ? { minLevel: input.minLevel } : {}),
            limit: input.limit ?? 30,
          },
          state.now(),
        );
        const text = lines
          .map((line) => `${line.at} ${line.level} ${line.entity} ${line.message}`)
          .join('\n');
        return { text: text || 'no matching lines', data: lines as unknown as JsonValue };
      },
    }),
    tool({
      name: 'list_changes',
      description:
        'List deploys, rollbacks, config changes, scaling and cronjob runs (oldest first) over the last `lookback` (default 6h).',
      input: z.strictObject({ entity: entityRefSchema.optional(), lookback: lookbackSchema }),
      run: async (input) => {
        const changes = listChanges(
          state.simulation(),
          { ...windowOf(state, input.lookback, '6h'), ...(input.entity ? { entity: input.entity } : {}) },
          state.now(),
        );
        const text = changes
          .map(
            (change) =>
              `${change.at} ${change.kind} ${change.entity}: ${change.summary}${change.actor ? ` (by ${change.actor})` : ''}`,
          )
          .join('\n');
        return { text: text || 'no changes', data: changes as unknown as JsonValue };
      },
    }),
    tool({
      name: 'get_call_stats',
      description:
        'Calls between entities over the last `lookback` (default 15m): rate, error ratio, p50/p95/p99 latency, as clients see them.',
      input: z.strictObject({ entity: entityRefSchema.optional(), lookback: lookbackSchema }),
      run: async (input) => {
        const stats = queryCallStats(
          state.simulation(),
          { ...windowOf(state, input.lookback, '15m'), ...(input.entity ? { entity: input.entity } : {}) },
          state.now(),
        );
        const text = stats
          .map(
            (item) =>
              `${item.from} -> ${item.to}: ${item.rate}/s, errors ${roundValue(item.errorRatio * 100)}%, p50 ${item.p50Ms}ms p95 ${item.p95Ms}ms p99 ${item.p99Ms}ms`,
          )
          .join('\n');
        return { text: text || 'no calls', data: stats as unknown as JsonValue };
      },
    }),
    tool({
      name: 'find_traces',
      description:
        'Find recent traces touching an entity over the last `lookback` (default 15m), slowest first, optionally only those with errors.',
      input: z.strictObject({
        entity: entityRefSchema.optional(),
        lookback: lookbackSchema,
        errorsOnly: z.boolean().optional(),
        limit: z.number().int().positive().max(50).optional(),
      }),
      run: async (input) => {
        const simulation = state.simulation();
        const touching = querySpans(
          simulation,
          {
            ...windowOf(state, input.lookback, '15m'),
            ...(input.entity ? { entity: input.entity } : {}),
            limit: 400,
          },
          state.now(),
        );
        const traceIds = [...new Set(touching.map((span) => span.traceId))];
        const related = spansOfTraces(
          simulation,
          new Set(traceIds),
          windowOf(state, input.lookback, '15m'),
          state.now(),
        );
        const traces = traceIds
          .map((id) => related.filter((span) => span.traceId === id))
          .filter(
            (spans) =>
              spans.length > 0 && (!input.errorsOnly || spans.some((span) => span.status === 'error')),
          )
          .map((spans) => ({
            spans,
            duration: Math.max(
              ...spans.filter((span) => !span.parentSpanId).map((span) => span.durationMs),
              0,
            ),
          }))
          .sort(
            (left, right) =>
              right.duration - left.duration ||
              (left.spans[0]?.traceId ?? '').localeCompare(right.spans[0]?.traceId ?? ''),
          )
          .slice(0, input.limit ?? 10);
        return {
          text: traces.map((trace) => traceSummary(trace.spans)).join('\n') || 'no traces',
          data: traces.map((trace) => trace.spans) as unknown as JsonValue,
        };
      },
    }),
    tool({
      name: 'list_signals',
      description:
        'List alerts (firing and resolved), deploy and change signals and chat messages over the last `lookback` (default 6h).',
      input: z.strictObject({ entity: entityRefSchema.optional(), lookback: lookbackSchema }),
      run: async (input) => {
        const signals = listSignals(
          state.simulation(),
          { ...windowOf(state, input.lookback, '6h'), ...(input.entity ? { entity: input.entity } : {}) },
          state.now(),
        );
        const text = signals
          .map(
            (signal) =>
              `${time(Date.parse(signal.at))} ${signal.kind}${signal.status ? `/${signal.status}` : ''} ${signal.severity} ${signal.entity}: ${signal.summary}`,
          )
          .join('\n');
        return { text: text || 'no signals', data: signals as unknown as JsonValue };
      },
    }),
  ];
}
