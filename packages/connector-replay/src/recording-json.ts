import {
  changeEventSchema,
  entityRefSchema,
  formatInputIssues,
  InvalidInputError,
  jsonValueSchema,
  labelsSchema,
  logRecordSchema,
  spanSchema,
  toInputIssues,
} from '@aisre/core';
import { z } from 'zod';
import { parseTimestamp } from './time-values';
import type { LoadResult, RecordedCallSeries, RecordedSeries, ReplayRecording } from './types';

const timeSchema = z.union([z.number().finite(), z.string()]).transform((value, context) => {
  const at =
    typeof value === 'number' ? (Math.abs(value) >= 1e12 ? value : value * 1000) : parseTimestamp(value);
  if (at === undefined) {
    context.addIssue({ code: 'custom', message: 'expected Unix seconds, milliseconds or an ISO time' });
    return z.NEVER;
  }
  return at;
});

const seriesSchema = z.object({
  metric: z.string().min(1),
  entity: entityRefSchema,
  labels: labelsSchema.default({}),
  type: z.enum(['gauge', 'counter', 'histogram', 'summary']).default('gauge'),
  unit: z.string().default(''),
  help: z.string().default(''),
  points: z.array(z.tuple([timeSchema, z.number().finite().nullable()])),
});

const nullableNumber = z.number().finite().nullable().default(null);
const callSeriesSchema = z.object({
  from: entityRefSchema,
  to: entityRefSchema,
  points: z.array(
    z.object({
      at: timeSchema,
      rate: nullableNumber,
      errorRatio: nullableNumber,
      p50Ms: nullableNumber,
      p95Ms: nullableNumber,
      p99Ms: nullableNumber,
    }),
  ),
});

const topologyEntitySchema = z.object({
  ref: entityRefSchema,
  attributes: z.record(z.string(), jsonValueSchema).default({}),
});
const topologyRelationSchema = z.object({
  from: entityRefSchema,
  to: entityRefSchema,
  kind: z.string().min(1),
  attributes: z.record(z.string(), jsonValueSchema).default({}),
});

const sections = {
  series: seriesSchema,
  logs: logRecordSchema,
  spans: spanSchema,
  calls: callSeriesSchema,
  changes: changeEventSchema,
} as const;

function problem(
  message: string,
  path: (string | number)[],
  issues = [{ path, message }],
): InvalidInputError {
  return new InvalidInputError(`connector-replay: ${message}`, { issues });
}

function parseItems<Schema extends z.ZodType>(
  items: unknown,
  schema: Schema,
  file: string,
  section: string,
  problems: InvalidInputError[],
): z.output<Schema>[] {
  if (items === undefined) return [];
  if (!Array.isArray(items)) {
    problems.push(problem(`${file}: "${section}" must be an array; skipped`, [file, section]));
    return [];
  }
  const out: z.output<Schema>[] = [];
  items.forEach((item, index) => {
    const result = schema.safeParse(item);
    if (result.success) out.push(result.data);
    else {
      const issues = toInputIssues(result.error).map((issue) => ({
        ...issue,
        path: [section, index, ...issue.path],
      }));
      problems.push(
        problem(
          `${file}: ${section}[${index}] is invalid: ${formatInputIssues(issues)}; skipped`,
          [file, section, index],
          issues,
        ),
      );
    }
  });
  return out;
}

/**
 * Parses a recording from JSON: `{ series, logs?, spans?, calls?, changes?, topology? }` (a bare array is
 * read as `series`). Each item is validated on its own with the contract schemas: an invalid item becomes an
 * `InvalidInputError` naming the file, the section, the index and the field, and the others load. Times are
 * Unix seconds, milliseconds or ISO strings; `null` values are missing.
 *
 * @param text - the file's text
 * @param file - the file name, for error messages
 */
export function parseRecordingJson(text: string, file: string): LoadResult<ReplayRecording> {
  const problems: InvalidInputError[] = [];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    problems.push(
      problem(
        `${file}: not JSON (${error instanceof Error ? error.message : String(error)}); nothing loaded`,
        [file],
      ),
    );
    return { value: { series: [] }, problems };
  }
  const root: Record<string, unknown> = Array.isArray(document)
    ? { series: document }
    : document !== null && typeof document === 'object'
      ? (document as Record<string, unknown>)
      : {};
  if (root !== document && !Array.isArray(document)) {
    problems.push(
      problem(`${file}: expected an object { series, … } or an array of series; nothing loaded`, [file]),
    );
  }
  const series = parseItems(root.series, sections.series, file, 'series', problems) as RecordedSeries[];
  for (const one of series) one.points.sort((a, b) => a[0] - b[0]);
  const calls = parseItems(root.calls, sections.calls, file, 'calls', problems) as RecordedCallSeries[];
  const recording: ReplayRecording = {
    series,
    ...(root.logs === undefined
      ? {}
      : { logs: parseItems(root.logs, sections.logs, file, 'logs', problems) }),
    ...(root.spans === undefined
      ? {}
      : { spans: parseItems(root.spans, sections.spans, file, 'spans', problems) }),
    ...(root.calls === undefined ? {} : { calls }),
    ...(root.changes === undefined
      ? {}
      : { changes: parseItems(root.changes, sections.changes, file, 'changes', problems) }),
  };
  const topology = root.topology;
  if (topology !== undefined) {
    const shape = (topology ?? {}) as Record<string, unknown>;
    recording.topology = {
      entities: parseItems(shape.entities, topologyEntitySchema, file, 'topology.entities', problems),
      relations: parseItems(shape.relations, topologyRelationSchema, file, 'topology.relations', problems),
    };
  }
  return { value: recording, problems };
}
