import {
  type AnyTool,
  isoTimeSchema,
  type JsonValue,
  type Labels,
  type Tool,
  type ToolResult,
  throwIfAborted,
} from '@aisre/core';
import { z } from 'zod';
import { sampleValue, toPoints } from './metrics-capability';
import { moduleName } from './module-name';
import type { PrometheusApi } from './prometheus-api';
import type { MatrixSeries } from './prometheus-responses';
import type { PrometheusSettings } from './prometheus-settings';

const units: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds of a duration like `90s`, `30m`, `2h`, `1d`, `1h30m`; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((sum, part) => sum + Number(part[1]) * (units[part[2] ?? 's'] ?? 0), 0);
}

const durationSchema = (fallback: string) =>
  z
    .string()
    .refine((text) => (parseDuration(text) ?? 0) > 0, 'expected a duration like 90s, 30m, 2h or 1d')
    .default(fallback);
const promqlSchema = z.string().min(1).max(4000).describe('a PromQL expression');
const matchersSchema = z
  .array(z.string().min(1).max(1000))
  .min(1)
  .max(10)
  .describe('series selectors, e.g. ["up{job=\\"redis\\"}"]');
const labelNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a label name');

function round(value: number): number {
  return Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4));
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels).filter(([name]) => name !== '__name__');
  const name = labels.__name__ ?? '';
  return `${name}{${entries.map(([key, value]) => `${key}="${value}"`).join(',')}}`;
}

function thin<T>(items: readonly T[], most: number): T[] {
  if (items.length <= most) return [...items];
  const stride = (items.length - 1) / (most - 1);
  return Array.from({ length: most }, (_, index) => items[Math.round(index * stride)] as T);
}

function summarizeSeries(series: MatrixSeries): { text: string; data: JsonValue } {
  const points = toPoints(series);
  const values = points.map(([, value]) => value).filter((value): value is number => value !== null);
  const first = values[0];
  const last = values[values.length - 1];
  const minimum = values.length > 0 ? Math.min(...values) : undefined;
  const maximum = values.length > 0 ? Math.max(...values) : undefined;
  const mean = values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
  const show = (value: number | undefined) => (value === undefined ? 'none' : String(round(value)));
  return {
    text: `${formatLabels(series.metric)}: first ${show(first)}, last ${show(last)}, min ${show(minimum)}, max ${show(maximum)}, mean ${show(mean)} over ${points.length} points`,
    data: {
      labels: series.metric,
      first: first ?? null,
      last: last ?? null,
      min: minimum ?? null,
      max: maximum ?? null,
      mean: mean === undefined ? null : round(mean),
      points: thin(points, 20).map(([at, value]) => [new Date(at).toISOString(), value]),
    },
  };
}

function more(total: number, shown: number, what: string): string {
  return total > shown ? `\n… ${total - shown} more ${what} not shown: narrow the query` : '';
}

/**
 * The model-callable tools: PromQL instant and range queries, series, label values, metadata, alerts and
 * rules. Outputs are kept small (at most 20 results, thinned points); queries the server rejects fail with an
 * `InvalidInputError` carrying its explanation, so a model can fix its PromQL.
 *
 * @param api - the HTTP API
 * @param settings - entity and severity mapping
 */
export function createPrometheusTools(api: PrometheusApi, settings: PrometheusSettings): AnyTool[] {
  const guard = (signal: AbortSignal, tool: string) => throwIfAborted(signal, `${moduleName}: ${tool}`);

  const query: Tool<{ query: string; time?: string | undefined }> = {
    name: 'prometheus_query',
    description:
      'Runs a PromQL instant query (at `time`, ISO, default now) and returns at most 20 series with their values. Use for current levels: `redis_memory_used_bytes / redis_memory_max_bytes`, `sum by (state) (pg_stat_activity_count)`.',
    input: z.strictObject({ query: promqlSchema, time: isoTimeSchema.optional() }),
    async run(input, context): Promise<ToolResult> {
      guard(context.signal, 'prometheus_query');
      const at = input.time ? Date.parse(input.time) : context.clock.now();
      const data = await api.query(
        input.query,
        at,
        { operation: 'tool prometheus_query', userQuery: true },
        context,
      );
      if (data.resultType === 'scalar' || data.resultType === 'string') {
        const value = data.resultType === 'scalar' ? sampleValue(data.result[1]) : data.result[1];
        return { text: `${data.resultType}: ${String(value)}`, data: { resultType: data.resultType, value } };
      }
      if (data.resultType === 'matrix') {
        const shown = data.result.slice(0, 20).map(summarizeSeries);
        return {
          text: `${data.result.length} series\n${shown.map((one) => one.text).join('\n')}${more(data.result.length, shown.length, 'series')}`,
          data: { resultType: 'matrix', total: data.result.length, series: shown.map((one) => one.data) },
        };
      }
      const shown = data.result
        .slice(0, 20)
        .map((sample) => ({ labels: sample.metric, value: sampleValue(sample.value[1]) }));
      return {
        text: `${data.result.length} series at ${new Date(at).toISOString()}\n${shown
          .map((one) => `${formatLabels(one.labels)} ${one.value === null ? 'NaN' : round(one.value)}`)
          .join('\n')}${more(data.result.length, shown.length, 'series')}`,
        data: { resultType: 'vector', total: data.result.length, samples: shown },
      };
    },
  };

  const queryRange: Tool<{
    query: string;
    lookback: string;
    end?: string | undefined;
    step?: string | undefined;
  }> = {
    name: 'prometheus_query_range',
    description:
      'Runs a PromQL range query over the `lookback` before `end` (ISO, default now) and summarises each series (first, last, min, max, mean, 20 sampled points), at most 20 series. Wrap counters in rate(): `rate(redis_evicted_keys_total[1m])`.',
    input: z.strictObject({
      query: promqlSchema,
      lookback: durationSchema('1h'),
      end: isoTimeSchema.optional(),
      step: z
        .string()
        .refine((text) => (parseDuration(text) ?? 0) > 0, 'expected a duration like 15s or 1m')
        .optional(),
    }),
    async run(input, context) {
      guard(context.signal, 'prometheus_query_range');
      const end = input.end ? Math.min(Date.parse(input.end), context.clock.now()) : context.clock.now();
      const span = parseDuration(input.lookback) ?? 3_600_000;
      const stepMs = Math.max(input.step ? (parseDuration(input.step) ?? 0) : 0, Math.ceil(span / 300), 1000);
      const data = await api.queryRange(
        input.query,
        { start: end - span, end, stepMs },
        { operation: 'tool prometheus_query_range', userQuery: true },
        context,
      );
      const shown = data.result.slice(0, 20).map(summarizeSeries);
      return {
        text: `${data.result.length} series, ${input.lookback} to ${new Date(end).toISOString()}, step ${stepMs / 1000}s\n${shown
          .map((one) => one.text)
          .join('\n')}${more(data.result.length, shown.length, 'series')}`,
        data: { total: data.result.length, stepMs, series: shown.map((one) => one.data) },
      };
    },
  };

  const series: Tool<{ match: string[]; lookback: string }> = {
    name: 'prometheus_series',
    description:
      'Lists the label sets of the series matching the selectors in the `lookback` (default 1h), at most 50: which instances, jobs and label values exist for a metric.',
    input: z.strictObject({ match: matchersSchema, lookback: durationSchema('1h') }),
    async run(input, context) {
      guard(context.signal, 'prometheus_series');
      const end = context.clock.now();
      const found = await api.series(
        input.match,
        { start: end - (parseDuration(input.lookback) ?? 3_600_000), end },
        { operation: 'tool prometheus_series', userQuery: true },
        context,
      );
      const shown = found.slice(0, 50);
      return {
        text: `${found.length} series\n${shown.map(formatLabels).join('\n')}${more(found.length, shown.length, 'series')}`,
        data: { total: found.length, series: shown },
      };
    },
  };

  const labelValues: Tool<{ label: string; match?: string[] | undefined; lookback: string }> = {
    name: 'prometheus_label_values',
    description:
      'Lists the values of one label (e.g. `job`, `instance`, `__name__` for metric names), optionally only on series matching the selectors, in the `lookback` (default 1h); at most 200.',
    input: z.strictObject({
      label: labelNameSchema,
      match: matchersSchema.optional(),
      lookback: durationSchema('1h'),
    }),
    async run(input, context) {
      guard(context.signal, 'prometheus_label_values');
      const end = context.clock.now();
      const values = await api.labelValues(
        input.label,
        input.match ?? [],
        { start: end - (parseDuration(input.lookback) ?? 3_600_000), end },
        { operation: 'tool prometheus_label_values', userQuery: true },
        context,
      );
      const shown = values.slice(0, 200);
      return {
        text: `${values.length} values of ${input.label}: ${shown.join(', ')}${more(values.length, shown.length, 'values')}`,
        data: { label: input.label, total: values.length, values: shown },
      };
    },
  };

  const metadata: Tool<{ metric: string }> = {
    name: 'prometheus_metadata',
    description:
      "Reads a metric's type (counter, gauge, histogram, summary), unit and help text as its exporter describes it.",
    input: z.strictObject({
      metric: z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]*$/, 'expected a metric name'),
    }),
    async run(input, context) {
      guard(context.signal, 'prometheus_metadata');
      const data = await api.metadata(input.metric, { operation: 'tool prometheus_metadata' }, context);
      const entries = (data[input.metric] ?? []).slice(0, 5);
      if (entries.length === 0)
        return { text: `no metadata for ${input.metric}`, data: { metric: input.metric, entries: [] } };
      return {
        text: entries
          .map(
            (entry) =>
              `${input.metric}: ${entry.type}${entry.unit ? ` (${entry.unit})` : ''}: ${entry.help ?? ''}`,
          )
          .join('\n'),
        data: {
          metric: input.metric,
          entries: entries.map((entry) => ({
            type: entry.type,
            unit: entry.unit ?? '',
            help: entry.help ?? '',
          })),
        },
      };
    },
  };

  const alerts: Tool<{ state?: 'firing' | 'pending' | undefined }> = {
    name: 'prometheus_alerts',
    description:
      'Lists the alerts Prometheus has pending or firing now (name, state, since when, entity, severity, summary), at most 50; `state` keeps only firing or pending ones.',
    input: z.strictObject({ state: z.enum(['firing', 'pending']).optional() }),
    async run(input, context) {
      guard(context.signal, 'prometheus_alerts');
      const data = await api.alerts({ operation: 'tool prometheus_alerts' }, context);
      const kept = data.alerts.filter((alert) => !input.state || alert.state === input.state);
      const shown = kept.slice(0, 50).map((alert) => ({
        alertname: alert.labels.alertname ?? '',
        state: alert.state,
        activeAt: alert.activeAt ?? null,
        entity: settings.entities.entityOf(alert.labels) ?? null,
        severity: settings.severityOf(alert.labels),
        summary: alert.annotations?.summary ?? alert.annotations?.description ?? '',
        labels: alert.labels,
      }));
      return {
        text:
          shown.length === 0
            ? 'no alerts pending or firing'
            : `${kept.length} alerts\n${shown
                .map(
                  (alert) =>
                    `${alert.alertname} ${alert.state} since ${alert.activeAt ?? '?'} on ${alert.entity ?? '?'} (${alert.severity}): ${alert.summary}`,
                )
                .join('\n')}${more(kept.length, shown.length, 'alerts')}`,
        data: { total: kept.length, alerts: shown },
      };
    },
  };

  const rules: Tool<{ type?: 'alert' | 'record' | undefined }> = {
    name: 'prometheus_rules',
    description:
      'Lists the alerting and recording rules (name, type, state, health, for, expression), at most 50; `type` keeps only alert or record rules. Shows what is being alerted on and which rules fail to evaluate.',
    input: z.strictObject({ type: z.enum(['alert', 'record']).optional() }),
    async run(input, context) {
      guard(context.signal, 'prometheus_rules');
      const data = await api.rules(input.type, { operation: 'tool prometheus_rules' }, context);
      const all = data.groups.flatMap((group) => group.rules.map((rule) => ({ group: group.name, rule })));
      const shown = all.slice(0, 50).map(({ group, rule }) => ({
        group,
        name: rule.name,
        type: rule.type,
        state: rule.state ?? null,
        health: rule.health ?? null,
        forSeconds: rule.duration ?? null,
        query: (rule.query ?? '').slice(0, 300),
        ...(rule.lastError ? { lastError: rule.lastError.slice(0, 300) } : {}),
      }));
      return {
        text: `${all.length} rules\n${shown
          .map(
            (rule) =>
              `${rule.group}/${rule.name} ${rule.type}${rule.state ? ` ${rule.state}` : ''} health ${rule.health ?? '?'}${rule.forSeconds ? ` for ${rule.forSeconds}s` : ''}: ${rule.query}${rule.lastError ? ` (error: ${rule.lastError})` : ''}`,
          )
          .join('\n')}${more(all.length, shown.length, 'rules')}`,
        data: { total: all.length, rules: shown },
      };
    },
  };

  return [query, queryRange, series, labelValues, metadata, alerts, rules];
}
