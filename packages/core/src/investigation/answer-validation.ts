// Connector answers validated at the edge. Each parser gives exactly what its zod schema gives (a fresh copy,
// the schema's key order, unknown keys stripped) in one direct pass over well-formed data, and hands anything
// that pass does not accept to the schema, so bad data still gets the schema's error naming the bad field.
import { isoTimeSchema, type JsonValue } from '../contracts/common';
import {
  type TopologyEntity,
  type TopologyRelation,
  type TopologySnapshot,
  topologySnapshotSchema,
} from '../contracts/connector';
import { isEntityRef } from '../contracts/entity-ref';
import { type MetricPoint, type MetricSeries, metricSeriesSchema } from '../contracts/telemetry';
import { parseWith } from '../errors/zod-issues';

const seriesListSchema = metricSeriesSchema.array();
/** Nesting deeper than this goes to the schema. */
const maximumJsonDepth = 64;

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

/**
 * Validates a `topology.scan` answer at the edge: the same result as `topologySnapshotSchema`. Attribute and
 * Kubernetes values are checked as JSON values; an object reached twice (shared or cyclic) goes to the schema,
 * which decides how to copy it.
 *
 * @param value - the connector's answer (untrusted)
 * @param what - the module and thing being parsed, for the error message (`core: mock topology`)
 */
export function parseTopologySnapshot(value: unknown, what: string): TopologySnapshot {
  return readTopology(value) ?? parseWith(topologySnapshotSchema, value, what);
}

function readTopology(value: unknown): TopologySnapshot | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { observedAt, entities, relations, kubernetesObjects } = value as Record<string, unknown>;
  if (!Array.isArray(entities) || !Array.isArray(relations) || !Array.isArray(kubernetesObjects))
    return undefined;
  if (typeof observedAt !== 'string' || !isoTimeSchema.safeParse(observedAt).success) return undefined;
  const seen = new Set<object>();
  const entitiesCopy: TopologyEntity[] = [];
  for (const entity of entities) {
    if (!isPlainRecord(entity)) return undefined;
    const { ref, attributes } = entity as Record<string, unknown>;
    const attributesCopy = readJsonRecord(attributes, seen, 1);
    if (!isEntityRef(ref) || !attributesCopy) return undefined;
    entitiesCopy.push({ ref, attributes: attributesCopy });
  }
  const relationsCopy: TopologyRelation[] = [];
  for (const relation of relations) {
    if (!isPlainRecord(relation)) return undefined;
    const { from, to, kind, attributes } = relation as Record<string, unknown>;
    if (!isEntityRef(from) || !isEntityRef(to) || typeof kind !== 'string' || kind.length === 0)
      return undefined;
    const attributesCopy = readJsonRecord(attributes, seen, 1);
    if (!attributesCopy) return undefined;
    relationsCopy.push({ from, to, kind, attributes: attributesCopy });
  }
  const objectsCopy: JsonValue[] = [];
  for (const object of kubernetesObjects) {
    const copy = readJson(object, seen, 1);
    if (copy === undefined) return undefined;
    objectsCopy.push(copy);
  }
  return { observedAt, entities: entitiesCopy, relations: relationsCopy, kubernetesObjects: objectsCopy };
}

/** A JSON value copied as `jsonValueSchema` would, or `undefined` when the schema must judge it. */
function readJson(value: unknown, seen: Set<object>, depth: number): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'object': {
      if (value === null) return null;
      if (!Array.isArray(value)) return readJsonRecord(value, seen, depth);
      if (depth > maximumJsonDepth || seen.has(value)) return undefined;
      seen.add(value);
      const out: JsonValue[] = [];
      for (let index = 0; index < value.length; index++) {
        const item = readJson(value[index], seen, depth + 1);
        if (item === undefined) return undefined;
        out.push(item);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A record of JSON values copied in key order; symbol keys, `__proto__` and odd objects go to the schema. */
function readJsonRecord(
  value: unknown,
  seen: Set<object>,
  depth: number,
): Record<string, JsonValue> | undefined {
  if (!isPlainRecord(value) || depth > maximumJsonDepth || seen.has(value)) return undefined;
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  seen.add(value);
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return undefined;
    const item = readJson((value as Record<string, unknown>)[key], seen, depth + 1);
    if (item === undefined) return undefined;
    out[key] = item;
  }
  return out;
}
