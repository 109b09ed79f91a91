// Reads structured facts a report carries (topology scans, metric series, change lists, metric evidence),
// for the built-in catalogue to size its proposals. Only connector outputs validated by the contracts' schemas
// are read: never log text, never model text.
import type { JsonValue, Labels } from '../contracts/common';
import { topologySnapshotSchema } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { Report } from '../contracts/report';
import {
  type ChangeEvent,
  type ChangeKind,
  changeEventSchema,
  metricSeriesSchema,
} from '../contracts/telemetry';

/** An entity related to another in a topology scan. */
export interface TopologyNeighbour {
  /** The related entity. */
  ref: EntityRef;
  /** The relation kind (`depends-on`, …). */
  relation: string;
  /** `out`: the entity points at it; `in`: it points at the entity. */
  direction: 'out' | 'in';
}

const kindOf = (ref: string) => ref.slice(0, ref.indexOf(':'));

function outputsOf(report: Report, tool: string): JsonValue[] {
  return report.steps.flatMap((step) =>
    step.tool === tool && step.error === undefined && step.output !== undefined ? [step.output] : [],
  );
}

function snapshots(report: Report) {
  return outputsOf(report, 'topology.scan').flatMap((output) => {
    const parsed = topologySnapshotSchema.safeParse(output);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The attributes a topology scan reported for an entity (later scans override earlier ones). */
export function topologyAttributes(report: Report, entity: EntityRef): Record<string, JsonValue> {
  const attributes: Record<string, JsonValue> = {};
  for (const snapshot of snapshots(report)) {
    for (const found of snapshot.entities)
      if (found.ref === entity) Object.assign(attributes, found.attributes);
  }
  return attributes;
}

/** Entities related to `entity` in the topology scans, optionally only of one kind. */
export function topologyNeighbours(report: Report, entity: EntityRef, kind?: string): TopologyNeighbour[] {
  const found = new Map<string, TopologyNeighbour>();
  for (const snapshot of snapshots(report)) {
    for (const relation of snapshot.relations) {
      const neighbour =
        relation.from === entity
          ? { ref: relation.to as EntityRef, relation: relation.kind, direction: 'out' as const }
          : relation.to === entity
            ? { ref: relation.from as EntityRef, relation: relation.kind, direction: 'in' as const }
            : undefined;
      if (neighbour && (kind === undefined || kindOf(neighbour.ref) === kind))
        found.set(neighbour.ref, neighbour);
    }
  }
  return [...found.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

function labelsMatch(actual: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([name, value]) => actual[name] === value);
}

/**
 * The latest value of a metric of an entity: the last point of the series a `metrics.range` step returned,
 * else the `recent` level of a metric evidence excerpt; `undefined` when the report has neither.
 */
export function latestMetricValue(
  report: Report,
  entity: EntityRef,
  metric: string,
  labels: Labels = {},
): number | undefined {
  let latest: { at: number; value: number } | undefined;
  for (const output of outputsOf(report, 'metrics.range')) {
    const parsed = metricSeriesSchema.array().safeParse(output);
    if (!parsed.success) continue;
    for (const series of parsed.data) {
      if (series.metric !== metric || series.entity !== entity || !labelsMatch(series.labels, labels))
        continue;
      for (const [at, value] of series.points) {
        if (value !== null && Number.isFinite(value) && (!latest || at >= latest.at)) latest = { at, value };
      }
    }
  }
  if (latest) return latest.value;
  for (const evidence of report.evidence) {
    const excerpt = evidence.excerpt;
    if (!excerpt || typeof excerpt !== 'object' || Array.isArray(excerpt)) continue;
    const series = excerpt.series;
    const recent = excerpt.recent;
    if (
      excerpt.entity === entity &&
      typeof series === 'string' &&
      (series === metric || series.startsWith(`${metric}{`)) &&
      typeof recent === 'number' &&
      Number.isFinite(recent)
    ) {
      return recent;
    }
  }
  return undefined;
}

/** Changes of an entity the investigation listed, of the given kinds, newest first. */
export function changesOf(report: Report, entity: EntityRef, kinds: readonly ChangeKind[]): ChangeEvent[] {
  const changes = new Map<string, ChangeEvent>();
  for (const output of outputsOf(report, 'changes.list')) {
    const parsed = changeEventSchema.array().safeParse(output);
    if (!parsed.success) continue;
    for (const change of parsed.data) {
      if (change.entity === entity && kinds.includes(change.kind))
        changes.set(change.id, change as ChangeEvent);
    }
  }
  return [...changes.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));
}

/** The first attribute among `names` that holds a finite positive number (numeric strings count). */
export function numberAttribute(
  attributes: Record<string, JsonValue>,
  names: readonly string[],
): number | undefined {
  for (const name of names) {
    const value = attributes[name];
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (Number.isFinite(number) && number > 0) return number;
  }
  return undefined;
}

/** The first attribute among `names` that holds a non-empty string. */
export function textAttribute(
  attributes: Record<string, JsonValue>,
  names: readonly string[],
): string | undefined {
  for (const name of names) {
    const value = attributes[name];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}
