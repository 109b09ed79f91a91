import { isEntityRef } from '../contracts/entity-ref';
import { type MetricPoint, type MetricSeries, metricSeriesSchema } from '../contracts/telemetry';
import { parseWith } from '../errors/zod-issues';

const seriesListSchema = metricSeriesSchema.array();

/**
 * Validates a `metrics.range` answer at the edge and returns it as fresh typed values: the same result as
 * `metricSeriesSchema.array()` (the same copy, the same key order, unknown keys stripped), in one pass over
 * the points. Well-formed data takes a direct path; anything the direct path does not accept goes through
 * the zod schema, so a bad answer gets the schema's {@link InvalidInputError} naming the offending field.
 *
 * @param value - the connector's answer (untrusted)
 * @param what - the module and thing being parsed, for the error message (`core: mock metrics`)
 */
export function parseMetricSeriesList(value: unknown, what: string): MetricSeries[] {
  return readSeriesList(value) ?? parseWith(seriesListSchema, value, what);
}

/** The list copied as the schema would, or `undefined` when any part needs the schema to judge it. */
function readSeriesList(value: unknown): MetricSeries[] | undefined {
  if (!Array.isArray(value)) return undefined;
  // Built by push, so the arrays stay packed: JSON.stringify (the step digest) walks packed arrays fastest.
  const out: MetricSeries[] = [];
  for (let index = 0; index < value.length; index++) {
    const series = readSeries(value[index]);
    if (!series) return undefined;
    out.push(series);
  }
  return out;
}

function readSeries(value: unknown): MetricSeries | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { metric, entity, labels, unit, points } = value as Record<string, unknown>;
  if (typeof metric !== 'string' || metric.length === 0 || !isEntityRef(entity) || typeof unit !== 'string')
    return undefined;
  const labelsCopy = readLabels(labels);
  const pointsCopy = labelsCopy && readPoints(points);
  if (!labelsCopy || !pointsCopy) return undefined;
  return { metric, entity, labels: labelsCopy, unit, points: pointsCopy };
}

/** String labels copied in key order; own symbol keys, `__proto__` and non-string values go to the schema. */
function readLabels(value: unknown): Record<string, string> | undefined {
  if (!isPlainRecord(value) || Object.getOwnPropertySymbols(value).length > 0) return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const label = (value as Record<string, unknown>)[key];
    if (key === '__proto__' || typeof label !== 'string') return undefined;
    out[key] = label;
  }
  return out;
}

/** `[finite number, finite number | null]` pairs, copied. */
function readPoints(value: unknown): MetricPoint[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: MetricPoint[] = [];
  for (let index = 0; index < value.length; index++) {
    const point: unknown = value[index];
    if (!Array.isArray(point) || point.length !== 2) return undefined;
    const at: unknown = point[0];
    const level: unknown = point[1];
    if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
    if (level !== null && (typeof level !== 'number' || !Number.isFinite(level))) return undefined;
    out.push([at, level]);
  }
  return out;
}

/** A plain object (its prototype is `Object.prototype` or `null`): what the direct path reads without surprises. */
function isPlainRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
