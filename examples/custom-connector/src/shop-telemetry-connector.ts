import {
  type CallContext,
  type ChangeEvent,
  type Connector,
  type EntityRef,
  InvalidInputError,
  type MetricDescriptor,
  type MetricSeries,
  type Tool,
  throwIfAborted,
  toInputIssues,
} from '@aisre/core';
import { z } from 'zod';
import { parseMetricsCsv } from './metrics-csv';
import { changeLog, metricColumns, metricsCsv, slowStatements, topology } from './shop-telemetry-data';

const name = 'shop-telemetry';

// Zod at the edge: every input is validated before it is used, and bad input is an InvalidInputError.
const entityRef = z.string().regex(/^[a-z][a-z0-9-]*:[^/]+\/.+$/, 'expected kind:namespace/name');
const windowSchema = z
  .object({ entity: entityRef.optional(), start: z.number().finite(), end: z.number().finite() })
  .refine((window) => window.end >= window.start, { message: 'end must not be before start', path: ['end'] });
const rangeSchema = z
  .object({
    metric: z.string().min(1),
    entity: entityRef.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    start: z.number().finite(),
    end: z.number().finite(),
    stepMs: z.number().positive().optional(),
  })
  .refine((query) => query.end >= query.start, { message: 'end must not be before start', path: ['end'] });
const listSchema = z.object({ entity: entityRef.optional() });
const topQueriesSchema = z.object({ limit: z.number().int().min(1).max(20).default(5) });

function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toInputIssues(result.error);
  const details = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new InvalidInputError(`${name}: ${what}: ${details}`, { issues, cause: result.error });
}

function labelsMatch(labels: Record<string, string>, wanted: Record<string, string> | undefined): boolean {
  return Object.entries(wanted ?? {}).every(([key, value]) => labels[key] === value);
}

/** Options of {@link createShopTelemetryConnector}. */
export interface ShopTelemetryOptions {
  /** The metrics CSV (default: the shop's incident). */
  metricsCsv?: string;
  /** The change log (default: the shop's). */
  changes?: readonly ChangeEvent[];
}

/**
 * A connector for "your own telemetry": metrics from a CSV export, a change log and a fixed topology, plus
 * one tool a model can call. It follows the connector rules: it validates its input (InvalidInputError),
 * honours the AbortSignal (CancelledError through `throwIfAborted`), never returns data from after the
 * clock's "now", and never mutates its input.
 *
 * @param options - the data to serve
 */
export function createShopTelemetryConnector(options: ShopTelemetryOptions = {}): Connector {
  const series = parseMetricsCsv(options.metricsCsv ?? metricsCsv, metricColumns);
  const changes = options.changes ?? changeLog;

  const upTo = (one: MetricSeries, start: number, end: number): MetricSeries => ({
    ...one,
    labels: { ...one.labels },
    points: one.points.filter(([at]) => at >= start && at <= end).map(([at, value]) => [at, value]),
  });

  const topQueries: Tool<z.output<typeof topQueriesSchema>> = {
    name: 'orders_db_top_queries',
    description:
      'Lists the slowest statements of the orders database (pg_stat_statements) with their call counts, mean time and plan. Use it to see which queries a database slowdown comes from.',
    input: topQueriesSchema,
    async run(input, context) {
      throwIfAborted(context.signal, `${name}: orders_db_top_queries`);
      const { limit } = validate(topQueriesSchema, input, 'orders_db_top_queries');
      const rows = slowStatements.slice(0, limit).map((row) => ({ ...row }));
      const text = rows
        .map((row) => `${row.meanMs} ms × ${row.calls}: ${row.query} (${row.plan})`)
        .join('\n');
      return { text, data: rows };
    },
  };

  return {
    name,
    tools: [topQueries],
    capabilities: {
      metrics: {
        async list(query, context: CallContext): Promise<MetricDescriptor[]> {
          throwIfAborted(context.signal, `${name}: metrics.list`);
          const { entity } = validate(listSchema, query, 'metrics.list');
          return Object.values(metricColumns)
            .filter((column) => entity === undefined || column.entity === entity)
            .map((column) => ({
              name: column.metric,
              entity: column.entity,
              type: column.type,
              unit: column.unit,
              labels: { ...column.labels },
              help: column.help,
            }));
        },
        async range(query, context) {
          throwIfAborted(context.signal, `${name}: metrics.range`);
          const valid = validate(rangeSchema, query, 'metrics.range');
          const end = Math.min(valid.end, context.clock.now());
          return series
            .filter((one) => one.metric === valid.metric)
            .filter((one) => valid.entity === undefined || one.entity === valid.entity)
            .filter((one) => labelsMatch(one.labels, valid.labels))
            .map((one) => upTo(one, valid.start, end));
        },
      },
      changes: {
        async list(query, context) {
          throwIfAborted(context.signal, `${name}: changes.list`);
          const valid = validate(windowSchema, query, 'changes.list');
          const end = Math.min(valid.end, context.clock.now() + 1);
          return changes
            .filter((change) => valid.entity === undefined || change.entity === (valid.entity as EntityRef))
            .filter((change) => Date.parse(change.at) >= valid.start && Date.parse(change.at) < end)
            .map((change) => structuredClone(change));
        },
      },
      topology: {
        async scan(context) {
          throwIfAborted(context.signal, `${name}: topology.scan`);
          return { observedAt: new Date(context.clock.now()).toISOString(), ...structuredClone(topology) };
        },
      },
    },
  };
}
