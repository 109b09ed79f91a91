import {
  type AnyTool,
  type ConnectorCapabilities,
  entityRefSchema,
  type JsonValue,
  labelsSchema,
  type MetricSeries,
  type Tool,
  type ToolContext,
  type TopologySnapshot,
  throwIfAborted,
} from '@aisre/core';
import { z } from 'zod';

/** How far back a tool reads by default, minutes. */
const defaultLookbackMinutes = 60;

const lookbackSchema = z
  .number()
  .int()
  .positive()
  .max(7 * 24 * 60)
  .optional()
  .describe(`how far back from the as-of time to read, minutes (default ${defaultLookbackMinutes})`);

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4));
}

function labelText(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}="${labels[name]}"`)
    .join(',');
}

/** One series as a model reads it: its summary line, and its points (thinned to at most 60). */
function summarize(series: MetricSeries): { text: string; data: JsonValue } {
  const values = series.points.map(([, value]) => value).filter((value): value is number => value !== null);
  const missing = series.points.length - values.length;
  const stride = Math.max(1, Math.ceil(series.points.length / 60));
  const points = series.points
    .filter((_, index) => index % stride === 0 || index === series.points.length - 1)
    .map(([at, value]): JsonValue => [new Date(at).toISOString(), value === null ? null : round(value)]);
  const name = `${series.metric}{${labelText(series.labels)}} ${series.entity} [${series.unit}]`;
  if (values.length === 0)
    return {
      text: `${name}: no values over ${series.points.length} points`,
      data: { ...series, points },
    };
  const first = values[0] as number;
  const last = values[values.length - 1] as number;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const change =
    first !== 0 ? ` (${last >= first ? '+' : ''}${round(((last - first) / Math.abs(first)) * 100)} %)` : '';
  return {
    text: `${name}: first ${round(first)}, last ${round(last)}${change}, min ${round(Math.min(...values))}, max ${round(Math.max(...values))}, mean ${round(mean)} over ${values.length} points${missing > 0 ? ` (${missing} missing)` : ''}`,
    data: {
      metric: series.metric,
      entity: series.entity,
      labels: series.labels,
      unit: series.unit,
      first: round(first),
      last: round(last),
      minimum: round(Math.min(...values)),
      maximum: round(Math.max(...values)),
      mean: round(mean),
      points,
    },
  };
}

function tool<Input>(definition: Tool<Input, JsonValue>): AnyTool {
  return {
    ...definition,
    run: async (input: Input, context: ToolContext) => {
      throwIfAborted(context.signal, `connector-replay: tool ${definition.name}`);
      return definition.run(input, context);
    },
  };
}

/**
 * The model-callable tools of a replay connector, each answered through its capabilities — so as of its
 * clock, never with data recorded after it: `list_metrics` and `query_metric` always, `search_logs` when
 * logs were recorded, `describe_entity` when a topology was. Inputs are zod schemas (strict: unknown fields
 * are refused); windows end at the as-of time and reach back `lookbackMinutes`.
 *
 * @param capabilities - the connector's capabilities
 * @param now - the connector's as-of time, epoch ms
 */
export function createReplayTools(capabilities: ConnectorCapabilities, now: () => number): AnyTool[] {
  const window = (lookbackMinutes: number | undefined) => {
    const end = now();
    return { start: Math.max(0, end - (lookbackMinutes ?? defaultLookbackMinutes) * 60_000), end };
  };
  const tools: AnyTool[] = [];
  const metrics = capabilities.metrics;
  if (metrics) {
    tools.push(
      tool({
        name: 'list_metrics',
        description:
          'List the recorded metric series (name, labels, unit, type), for one entity or every entity, optionally only names containing a text.',
        input: z.strictObject({
          entity: entityRefSchema.optional(),
          contains: z.string().min(1).optional().describe('only metric names containing this text'),
        }),
        run: async (input, context) => {
          const descriptors = (
            await metrics.list(input.entity ? { entity: input.entity } : {}, context)
          ).filter((descriptor) => !input.contains || descriptor.name.includes(input.contains));
          const text = descriptors
            .map(
              (descriptor) =>
                `${descriptor.entity} ${descriptor.name}{${labelText(descriptor.labels)}} ${descriptor.type} [${descriptor.unit}]`,
            )
            .join('\n');
          return { text: text || 'no recorded metrics match', data: descriptors as unknown as JsonValue };
        },
      }),
      tool({
        name: 'query_metric',
        description:
          'Read a recorded metric over the last `lookbackMinutes` (default 60) up to the as-of time, for one entity or every entity, and summarise each series: first, last, min, max, mean, with its points. Counters come as per-second rates.',
        input: z.strictObject({
          metric: z.string().min(1),
          entity: entityRefSchema.optional(),
          labels: labelsSchema.optional(),
          lookbackMinutes: lookbackSchema,
        }),
        run: async (input, context) => {
          const series = await metrics.range(
            {
              metric: input.metric,
              ...(input.entity ? { entity: input.entity } : {}),
              ...(input.labels ? { labels: input.labels } : {}),
              ...window(input.lookbackMinutes),
            },
            context,
          );
          const summaries = series.map(summarize);
          return {
            text:
              summaries.map((summary) => summary.text).join('\n') ||
              `no recorded series of ${input.metric} in that window`,
            data: summaries.map((summary) => summary.data),
          };
        },
      }),
    );
  }
  const logs = capabilities.logs;
  if (logs) {
    tools.push(
      tool({
        name: 'search_logs',
        description:
          'Search recorded log lines (newest first) by entity, case-insensitive text and minimum level over the last `lookbackMinutes` (default 60) up to the as-of time.',
        input: z.strictObject({
          entity: entityRefSchema.optional(),
          text: z.string().min(1).optional(),
          minLevel: z.enum(['debug', 'info', 'warn', 'error', 'fatal']).optional(),
          lookbackMinutes: lookbackSchema,
          limit: z.number().int().positive().max(500).optional(),
        }),
        run: async (input, context) => {
          const lines = await logs.search(
            {
              ...window(input.lookbackMinutes),
              ...(input.entity ? { entity: input.entity } : {}),
              ...(input.text ? { text: input.text } : {}),
              ...(input.minLevel ? { minLevel: input.minLevel } : {}),
              limit: input.limit ?? 30,
            },
            context,
          );
          const text = lines
            .map((line) => `${line.at} ${line.level} ${line.entity} ${line.message}`)
            .join('\n');
          return { text: text || 'no matching lines', data: lines as unknown as JsonValue };
        },
      }),
    );
  }
  const topology = capabilities.topology;
  if (topology) {
    tools.push(
      tool({
        name: 'describe_entity',
        description:
          'Describe one recorded entity: its attributes, what it depends on (calls) and what depends on it.',
        input: z.strictObject({ entity: entityRefSchema }),
        run: async (input, context): Promise<{ text: string; data: JsonValue }> => {
          const snapshot: TopologySnapshot = await topology.scan(context);
          const found = snapshot.entities.find((entity) => entity.ref === input.entity);
          if (!found) return { text: `${input.entity} is not in the recording`, data: { found: false } };
          const unique = (refs: string[]) => [...new Set(refs)].sort();
          const dependsOn = unique(
            snapshot.relations
              .filter((relation) => relation.from === input.entity)
              .map((relation) => relation.to),
          );
          const dependents = unique(
            snapshot.relations
              .filter((relation) => relation.to === input.entity)
              .map((relation) => relation.from),
          );
          const attributes = found.attributes ?? {};
          return {
            text: [
              `${input.entity}: ${
                Object.entries(attributes)
                  .map(([key, value]) => `${key}=${String(value)}`)
                  .join(', ') || 'no attributes'
              }`,
              `depends on: ${dependsOn.join(', ') || 'nothing'}`,
              `depended on by: ${dependents.join(', ') || 'nothing'}`,
            ].join('\n'),
            data: { found: true, ref: input.entity, attributes, dependsOn, dependents },
          };
        },
      }),
    );
  }
  return tools;
}
